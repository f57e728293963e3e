/**
 * `npm run generate`: writes every generated file. `--check` writes nothing and exits 1 naming
 * each file that differs from what the sources produce (CI and the drift test use it).
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './outputs.ts';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Paths (relative) of generated files whose content on disk differs from the sources. */
export async function driftedFiles(root: string = REPO_ROOT): Promise<string[]> {
  const drifted: string[] = [];
  for (const file of generatedFiles()) {
    if ((await readIfExists(join(root, file.path))) !== file.render()) drifted.push(file.path);
  }
  return drifted;
}

/** Writes the generated files that changed; returns their relative paths. */
export async function writeGeneratedFiles(root: string = REPO_ROOT): Promise<string[]> {
  const written: string[] = [];
  for (const file of generatedFiles()) {
    const target = join(root, file.path);
    const content = file.render();
    if ((await readIfExists(target)) === content) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    written.push(file.path);
  }
  return written;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--check')) {
    const drifted = await driftedFiles();
    for (const path of drifted) process.stderr.write(`Generated file is out of date: ${path} (run npm run generate)\n`);
    return drifted.length > 0 ? 1 : 0;
  }
  const written = await writeGeneratedFiles();
  for (const path of written) process.stdout.write(`Wrote ${path}\n`);
  if (written.length === 0) process.stdout.write('Generated files are up to date\n');
  return 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
