import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { driftedFiles, writeGeneratedFiles } from '../../src/api/generate/main.ts';
import { GENERATED_HEADER, generatedFiles } from '../../src/api/generate/outputs.ts';

const run = promisify(execFile);
const MAIN = join(import.meta.dirname, '..', '..', 'src', 'api', 'generate', 'main.ts');

test('the committed crds/ match the zod schemas (run npm run generate after changing src/api)', async () => {
  assert.deepEqual(await driftedFiles(), []);
});

test('generates one CRD file per kind, each marked as generated', () => {
  const files = generatedFiles();
  assert.deepEqual(
    files.map((f) => f.path),
    ['crds/falconer.dev_falcorulesets.yaml', 'crds/falconer.dev_falcomonitors.yaml'],
  );
  for (const file of files) assert.ok(file.render().startsWith(GENERATED_HEADER), file.path);
});

test('--check exits 1 and names the file that drifted; a generate run repairs it', async () => {
  const root = await mkdtemp(join(tmpdir(), 'falconer-generate-'));
  try {
    assert.equal((await writeGeneratedFiles(root)).length, 2);
    const target = join(root, 'crds', 'falconer.dev_falcomonitors.yaml');
    await writeFile(target, `${await readFile(target, 'utf8')}# hand edit\n`);
    assert.deepEqual(await driftedFiles(root), ['crds/falconer.dev_falcomonitors.yaml']);
    assert.deepEqual(await writeGeneratedFiles(root), ['crds/falconer.dev_falcomonitors.yaml']);
    assert.deepEqual(await driftedFiles(root), []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the generate command in --check mode exits 0 on the committed tree', async () => {
  const { stderr } = await run(process.execPath, [MAIN, '--check']);
  assert.equal(stderr, '');
});
