import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ProcessError } from '../core/errors.ts';
import { runCommand } from './run-command.ts';
import { BUILD_UNITS, COMPONENTS, KUBERNETES_VERSION, binaryDir, helperModuleDir } from './versions.ts';
import type { BuildUnit } from './versions.ts';

export interface BuildProgress {
  unit: BuildUnit['module'];
  built: number;
  total: number;
  last: string;
}

export interface EnsureBinariesOptions {
  onProgress?: (p: BuildProgress) => void;
  onLog?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface BinarySet {
  dir: string;
  /** Folder with kwok's CRDs and default stages, taken from the kwok module that was built. */
  kwokDataDir: string;
  /** Seconds spent building, 0 when the cache was warm. */
  buildSeconds: number;
}

function isComplete(dir: string): boolean {
  return COMPONENTS.every((c) => existsSync(join(dir, c))) && existsSync(join(dir, 'kwok-data', 'crds'));
}

/** Returns the cached control-plane binaries, building them first when this machine has none. */
export async function ensureBinaries(options: EnsureBinariesOptions = {}): Promise<BinarySet> {
  const dir = binaryDir(options.env);
  const result = (buildSeconds: number): BinarySet => ({ dir, kwokDataDir: join(dir, 'kwok-data'), buildSeconds });
  if (isComplete(dir)) return result(0);
  const started = Date.now();
  await buildAtomically(dir, started, async (staging) => {
    for (const unit of BUILD_UNITS) await buildUnit(unit, staging, options);
    await copyKwokData(staging);
  });
  return result((Date.now() - started) / 1000);
}

/**
 * Builds into a folder beside `dir` and renames it into place at the end (with a BUILD_INFO), so
 * an interrupted build never looks complete; a failed one leaves nothing behind.
 */
export async function buildAtomically(dir: string, started: number, build: (staging: string) => Promise<void>): Promise<void> {
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await build(staging);
    writeFileSync(join(staging, 'BUILD_INFO'), `built ${new Date().toISOString()} in ${(Date.now() - started) / 1000}s\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** `-X` stamps so a kubernetes binary reports its real version instead of v0.0.0-master. */
export function kubeVersionLdflags(): string {
  const [major, minor] = KUBERNETES_VERSION.replace(/^v/, '').split('.');
  const stamps = {
    gitVersion: KUBERNETES_VERSION,
    gitMajor: major ?? '',
    gitMinor: minor ?? '',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
  };
  const pkgs = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'];
  return pkgs.flatMap((p) => Object.entries(stamps).map(([k, v]) => `-X ${p}.${k}=${v}`)).join(' ');
}

async function countPackages(unit: BuildUnit, env: NodeJS.ProcessEnv): Promise<number> {
  const out = await runCommand('go', ['list', '-deps', '-f', '{{if not .Standard}}{{.ImportPath}}{{end}}', ...unit.packages], {
    cwd: helperModuleDir(unit.module),
    env,
  });
  return out.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

async function buildUnit(unit: BuildUnit, outDir: string, options: EnsureBinariesOptions): Promise<void> {
  const env = { ...process.env, ...options.env, CGO_ENABLED: '0' };
  const total = await countPackages(unit, env);
  const ldflags = unit.stampKubeVersion ? `-s -w ${kubeVersionLdflags()}` : '-s -w';
  const output = unit.outputs.length === 1 ? join(outDir, unit.outputs[0] ?? '') : `${outDir}/`;
  const args = ['build', '-v', '-trimpath', '-ldflags', ldflags, '-o', output, ...unit.packages];
  const child = spawn('go', args, { cwd: helperModuleDir(unit.module), env, stdio: ['ignore', 'ignore', 'pipe'] });
  let built = 0;
  const tail: string[] = [];
  const lines = createInterface({ input: child.stderr });
  lines.on('line', (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    // `go build -v` names each package as it compiles it: the count is our progress bar.
    if (/^[\w.-]+(\/[\w.~+-]+)*$/.test(line)) {
      built += 1;
      options.onProgress?.({ unit: unit.module, built: Math.min(built, total), total, last: line });
    } else {
      options.onLog?.(line);
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    throw new ProcessError(`Building ${unit.outputs.join(', ')} failed (go build exit ${code}):\n${tail.join('\n')}`, {
      exitCode: code,
    });
  }
}

async function copyKwokData(outDir: string): Promise<void> {
  const out = await runCommand('go', ['list', '-m', '-f', '{{.Dir}}', 'sigs.k8s.io/kwok'], { cwd: helperModuleDir('kwok') });
  const moduleDir = out.stdout.trim();
  const dataDir = join(outDir, 'kwok-data');
  mkdirSync(join(dataDir, 'crds'), { recursive: true });
  const crdDir = join(moduleDir, 'kustomize', 'crd', 'bases');
  for (const file of readdirSync(crdDir)) {
    if (file.endsWith('.yaml')) cpSync(join(crdDir, file), join(dataDir, 'crds', file));
  }
  cpSync(join(moduleDir, 'kustomize', 'stage'), join(dataDir, 'stages'), { recursive: true });
}
