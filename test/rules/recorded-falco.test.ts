import { test } from 'node:test';
import assert from 'node:assert/strict';
import { falcoExitCode, formatFalcoJson, formatFalcoText, parseFalcoValidationOutput, validateRuleFiles } from '../../src/rules/index.ts';
import type { RuleFile } from '../../src/rules/index.ts';
import { PUBLISHED, shared } from './helpers.ts';

/**
 * Agreement with real Falco 0.42.1: every `-V` case recorded in ../shared/falco-outputs is
 * replayed through the engine, which must print the same stdout and exit with the same status.
 */
interface RecordedCase {
  readonly name: string;
  readonly argv: readonly string[];
  readonly stdin?: string;
  readonly rc: number;
}

const cases = (JSON.parse(shared('falco-outputs/index.json')) as RecordedCase[]).filter(
  (c) => c.argv[1] === '-V' && !c.name.includes('missing_file'),
);

/** The files a case validates: `/etc/falco/falco_rules.yaml` is the published stable file. */
function filesOf(c: RecordedCase): RuleFile[] {
  const paths = c.argv.filter((_, i) => c.argv[i - 1] === '-V');
  return paths.map((name) => ({
    name,
    content:
      name === '/dev/stdin'
        ? shared(`falco-outputs/${c.stdin ?? ''}`)
        : name === '/etc/falco/falco_rules.yaml'
          ? shared(PUBLISHED.stable)
          : '',
  }));
}

test('the recordings cover every -V input file', () => {
  const inputs = new Set(cases.map((c) => c.stdin).filter((s) => s !== undefined));
  assert.ok(inputs.size >= 8, `only ${inputs.size} inputs covered`);
});

for (const c of cases) {
  const json = c.argv.includes('json_output=true');
  test(`${c.name}: same stdout and exit status as Falco 0.42.1`, () => {
    const v = validateRuleFiles(filesOf(c), { falcoVersion: '0.42.1' });
    const want = shared(`falco-outputs/cases/${c.name}/stdout`);
    assert.equal(json ? formatFalcoJson(v) : formatFalcoText(v), want);
    assert.equal(falcoExitCode(v), c.rc);
  });

  test(`${c.name}: reading Falco's own output gives the engine's verdict, codes and lines`, () => {
    const v = validateRuleFiles(filesOf(c), { falcoVersion: '0.42.1' });
    const recorded = parseFalcoValidationOutput(shared(`falco-outputs/cases/${c.name}/stdout`));
    assert.equal(recorded.ok, v.ok);
    assert.deepEqual(
      recorded.errors.map((e) => [e.code, e.message, e.file, e.line, e.itemKind, e.itemName]),
      v.errors.map((e) => [e.code, e.message, e.file, e.line, e.itemKind, e.itemName]),
    );
    assert.deepEqual(recorded.warnings.map((w) => w.code), v.warnings.map((w) => w.code));
  });
}

test('a missing file is read from stderr as LOAD_ERR_FILE_READ, as Falco reports it', () => {
  const name = 'validate_missing_file';
  const parsed = parseFalcoValidationOutput(
    shared(`falco-outputs/cases/${name}/stdout`),
    shared(`falco-outputs/cases/${name}/stderr`),
  );
  assert.equal(parsed.ok, false);
  assert.equal(parsed.format, 'none');
  assert.equal(parsed.fatalError, 'Could not open file /etc/falco/no_such_file.yaml for reading');
  assert.equal(parsed.errors[0]?.code, 'LOAD_ERR_FILE_READ');
  assert.equal(parsed.errors[0]?.file, '/etc/falco/no_such_file.yaml');
});
