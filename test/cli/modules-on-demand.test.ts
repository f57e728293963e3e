/**
 * What the bundle loads only on demand (src/build/bundle.ts): the built-ins `child_process`,
 * `worker_threads`, `v8` and `crypto` on their first use (and util's lazy exports not at all),
 * @dabh/diagnostics' development build (winston's debug loggers) only when DEBUG or DIAGNOSTICS
 * asks for it, and, in validate's first-run script, `yaml` only for YAML the loader's own reader
 * leaves to it and `commander` only for command lines that are not plain. Read from the process
 * itself: a preloaded script writes Node's list of the built-in modules it loaded, and the files
 * it required, when the process exits.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { VALIDATE_FIRST_RUN } from '../../src/cli/snapshot/names.ts';
import { PACKAGES_ON_DEMAND } from '../../src/build/bundle.ts';
import { unreachableKubeconfig } from '../support/launched.ts';
import { shippedCli } from '../support/shipped-cli.ts';

const bundle = dirname(shippedCli());
const work = mkdtempSync(join(tmpdir(), 'falconer-on-demand-'));
const STABLE = join(import.meta.dirname, '../../../shared/falco-rules/falco_rules.yaml');
const ON_DEMAND = ['child_process', 'worker_threads', 'v8', 'crypto'];
const YAML_FILE = PACKAGES_ON_DEMAND['yaml'] ?? '';
const COMMANDER_FILE = PACKAGES_ON_DEMAND['commander'] ?? '';

/**
 * Writes the list to LOADED_LIST when the process exits or, when LOADED_AT is set, as soon as the
 * process writes a line to stdout that holds it (what was loaded by then).
 */
const preload = join(work, 'loaded.cjs');
writeFileSync(
  preload,
  [
    "const { writeFileSync } = require('node:fs');",
    'const { LOADED_LIST: list, LOADED_AT: at } = process.env;',
    'let written = false;',
    'const files = () => Object.keys(require.cache).map((f) => `File ${f}`);',
    'const record = () => { if (!written) writeFileSync(list, [...process.moduleLoadList, ...files()].join("\\n")); written = true; };',
    "process.on('exit', record);",
    'if (at) {',
    '  const write = process.stdout.write.bind(process.stdout);',
    '  process.stdout.write = (chunk, ...rest) => { if (String(chunk).includes(at)) record(); return write(chunk, ...rest); };',
    '}',
  ].join('\n'),
);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The built-in modules the process loaded, by name (`NativeModule <name>` in Node's list). */
  readonly builtins: Set<string>;
  /** The files it required, by base name. */
  readonly files: Set<string>;
}

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}, input = ''): Run {
  const list = join(work, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  const r = spawnSync(process.execPath, ['--require', preload, ...args], {
    encoding: 'utf8',
    input,
    timeout: 60_000,
    env: { PATH: process.env['PATH'], HOME: work, FALCONER_NO_SNAPSHOT: '1', LOADED_LIST: list, ...env },
  });
  const lines = readFileSync(list, 'utf8').split('\n');
  const builtins = new Set(lines.flatMap((l) => /^NativeModule (.+)$/.exec(l)?.[1] ?? []));
  const files = new Set(lines.flatMap((l) => /^File .*\/([^/]+)$/.exec(l)?.[1] ?? []));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, builtins, files };
}

describe('modules the bundle loads on demand', () => {
  after(() => rmSync(work, { recursive: true, force: true }));

  it('validate from its first-run script loads neither child_process nor worker_threads', () => {
    const r = run([join(bundle, VALIDATE_FIRST_RUN), bundle, 'validate', STABLE]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /: Ok$/m);
    for (const name of ['child_process', 'worker_threads']) assert.equal(r.builtins.has(name), false, `${name} was loaded`);
    // v8 it does load, on demand too: validate's V8 flags are set at run time (src/cli/v8-tuning.ts)
    assert.ok(r.builtins.has('v8'));
    // the check can fail: a start that does load one shows it in the same list
    assert.ok(r.builtins.has('fs') && r.builtins.has('path'), [...r.builtins].join(' '));
  });

  it('loads worker_threads when a condition is nested deeper than this thread can follow', () => {
    const deep = join(work, 'deep.yaml');
    writeFileSync(deep, `- rule: Deep\n  desc: d\n  condition: ${'('.repeat(1500)}evt.type = open${')'.repeat(1500)}\n  output: o\n  priority: INFO\n`);
    const r = run([join(bundle, VALIDATE_FIRST_RUN), bundle, 'validate', deep]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${deep}: Ok\n`);
    assert.ok(r.builtins.has('worker_threads'));
  });

  it('validate\'s first-run script loads yaml only for YAML the loader\'s own reader leaves to it, and commander only for a command line that is not plain; it reports as the snapshot script does', () => {
    const plain = run([join(bundle, VALIDATE_FIRST_RUN), bundle, 'validate', STABLE]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.ok(plain.files.has(VALIDATE_FIRST_RUN), [...plain.files].join(' '));
    assert.equal(plain.files.has(YAML_FILE), false, `${YAML_FILE} was loaded`);
    // a plain command line runs without commander; help is commander's
    assert.equal(plain.files.has(COMMANDER_FILE), false, `${COMMANDER_FILE} was loaded`);
    const help = run([join(bundle, VALIDATE_FIRST_RUN), bundle, 'validate', '--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: falconer validate/m);
    assert.ok(help.files.has(COMMANDER_FILE), `${COMMANDER_FILE} was not loaded for --help`);
    // anchors, a flow mapping, and a YAML error: each goes to yaml
    const cases = {
      anchors: '- list: shells\n  items: &shells [bash, sh]\n- list: more_shells\n  items: *shells\n- rule: r\n  desc: d\n  condition: proc.name in (more_shells)\n  output: o\n  priority: INFO\n',
      flow: '- {macro: m, condition: proc.name = bash}\n- rule: r\n  desc: d\n  condition: m\n  output: o\n  priority: INFO\n',
      broken: '- rule: r\n  desc: [unclosed\n  output: o\n',
    };
    for (const [name, text] of Object.entries(cases)) {
      const file = join(work, `${name}.yaml`);
      writeFileSync(file, text);
      const args = ['validate', '--json', file];
      const first = run([join(bundle, VALIDATE_FIRST_RUN), bundle, ...args]);
      assert.ok(first.files.has(YAML_FILE), `${name}: ${YAML_FILE} was not loaded`);
      const whole = run([join(bundle, 'snapshot-validate.cjs'), bundle, ...args]);
      assert.equal(first.status, whole.status, name);
      assert.equal(first.stdout, whole.stdout, name);
      assert.ok(first.stdout.length > 0, name);
    }
  });

  it('mcp answers tools/list with none of them loaded, nor what util\'s lazy exports would load', () => {
    const kubeconfig = unreachableKubeconfig(join(work, 'kubeconfig'));
    const requests = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ];
    // stdin ends after the requests: the server answers them, then exits.
    const r = run([join(bundle, 'main.js'), 'mcp', '--kubeconfig', kubeconfig], { LOADED_AT: '"id":2' }, requests.map((m) => `${JSON.stringify(m)}\n`).join(''));
    assert.match(r.stdout, /"falco_validate_rules"/, r.stderr);
    // what the process had loaded when it answered tools/list
    for (const name of [...ON_DEMAND, 'tls', 'http2']) assert.equal(r.builtins.has(name), false, `${name} was loaded`);
  });

  it('--help and --version register every command without loading what the commands run', () => {
    for (const flag of ['--help', '--version']) {
      const r = run([join(bundle, 'main.js'), flag]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, flag === '--help' ? /Commands:[\s\S]*\bdev\b/ : /^\d+\.\d+\.\d+/);
      // dev's HTTP server and the control plane's processes (src/cli/commands/dev-run.ts, cluster.ts)
      for (const name of [...ON_DEMAND, 'http', 'tls', 'http2']) assert.equal(r.builtins.has(name), false, `${flag}: ${name} was loaded`);
    }
  });

  it('winston\'s debug loggers print when DEBUG names them, as with the development build, and not otherwise; never on mcp\'s protocol stream', () => {
    const kubeconfig = unreachableKubeconfig(join(work, 'kubeconfig'));
    const args = [join(bundle, 'main.js'), 'mcp', '--kubeconfig', kubeconfig];
    const list = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } })}\n`;
    const asked = run(args, { DEBUG: 'winston:create-logger' }, list);
    assert.match(asked.stderr, /^winston:create-logger: Define prototype method for "info"$/m, asked.stdout + asked.stderr);
    // stdout holds the answer and nothing else (src/cli/commands/mcp-stdio.ts)
    const lines = asked.stdout.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, asked.stdout);
    assert.equal((JSON.parse(lines[0] ?? '') as { id?: number }).id, 1);
    const quiet = run(args);
    assert.doesNotMatch(quiet.stdout + quiet.stderr, /winston:/);
    assert.match(quiet.stderr, /MCP server running on stdio/);
    const production = run(args, { DEBUG: 'winston:create-logger', NODE_ENV: 'production' });
    assert.doesNotMatch(production.stdout + production.stderr, /winston:/);
  });
});
