import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ProcessError } from '../core/errors.ts';
import { buildAtomically, kubeVersionLdflags } from '../controlplane/build.ts';
import { runCommand } from '../controlplane/run-command.ts';
import { ensureHostPackages } from './host-packages.ts';
import { writeImageArchive } from './image-archive.ts';
import { NODE_BUILD_UNITS, PAUSE_IMAGE, PAUSE_VERSION, nodeCacheDir, nodeModuleDir } from './versions.ts';
import type { NodeBuildUnit } from './versions.ts';

export interface NodeBinaries {
  dir: string;
  binDir: string;
  cniDir: string;
  /** The pause image as an archive, imported into containerd at every node start. */
  pauseArchive: string;
  buildSeconds: number;
}

export interface EnsureNodeBinariesOptions {
  onStep?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

function layout(dir: string, buildSeconds: number): NodeBinaries {
  return { dir, binDir: join(dir, 'bin'), cniDir: join(dir, 'cni'), pauseArchive: join(dir, 'images', 'pause.tar'), buildSeconds };
}

function isComplete(dir: string): boolean {
  const b = layout(dir, 0);
  return NODE_BUILD_UNITS.every((u) => u.outputs.every((o) => existsSync(join(u.into === 'bin' ? b.binDir : b.cniDir, o)))) && existsSync(b.pauseArchive);
}

/** Returns the cached real-node binaries, building them (and installing host packages) first when missing. */
export async function ensureNodeBinaries(options: EnsureNodeBinariesOptions = {}): Promise<NodeBinaries> {
  const dir = nodeCacheDir(options.env);
  if (isComplete(dir)) return layout(dir, 0);
  const step = options.onStep ?? ((): void => undefined);
  await ensureHostPackages(step);
  const started = Date.now();
  await buildAtomically(dir, started, async (staging) => {
    const out = layout(staging, 0);
    mkdirSync(out.binDir, { recursive: true });
    mkdirSync(out.cniDir, { recursive: true });
    for (const unit of NODE_BUILD_UNITS) {
      step(`Building the real node: ${unit.outputs.join(', ')}`);
      await buildUnit(unit, unit.into === 'bin' ? out.binDir : out.cniDir, options);
    }
    step('Building the pause image from kubernetes\' pause.c');
    await buildPauseImage(staging, out.pauseArchive);
  });
  return layout(dir, (Date.now() - started) / 1000);
}

async function buildUnit(unit: NodeBuildUnit, outDir: string, options: EnsureNodeBinariesOptions): Promise<void> {
  const env = { ...process.env, ...options.env, CGO_ENABLED: unit.cgo ? '1' : '0' };
  const stamps = unit.module === 'kubelet' ? kubeVersionLdflags() : unit.ldflags;
  const output = unit.outputs.length === 1 ? join(outDir, unit.outputs[0] ?? '') : `${outDir}/`;
  const args = [
    'build',
    '-v',
    '-trimpath',
    // The relay is this repository's own package: no VCS stamp, so a fresh clone or a tarball builds alike.
    '-buildvcs=false',
    ...(unit.tags.length > 0 ? ['-tags', unit.tags.join(' ')] : []),
    ...(unit.buildmode !== undefined ? [`-buildmode=${unit.buildmode}`] : []),
    '-ldflags',
    `-s -w ${stamps}`.trim(),
    '-o',
    output,
    ...unit.packages,
  ];
  // Niced: the first build takes minutes on two cores and should not starve everything else.
  const child = spawn('nice', ['-n', '10', 'go', ...args], { cwd: nodeModuleDir(unit.module), env, stdio: ['ignore', 'ignore', 'pipe'] });
  let built = 0;
  const tail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    // `go build -v` names each package it compiles: every 200th is a sign of life.
    if (/^[\w.-]+(\/[\w.~+-]+)*$/.test(line) && ++built % 200 === 0) options.onStep?.(`  ${unit.module}: ${built} packages compiled`);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new ProcessError(`Building ${unit.outputs.join(', ')} for the real node failed (go build exit ${code}):\n${tail.join('\n')}`, { exitCode: code });
}

/** pause.c ships inside the kubernetes module; a static binary of it is the whole sandbox image. */
async function buildPauseImage(workDir: string, archive: string): Promise<void> {
  const found = await runCommand('go', ['list', '-m', '-f', '{{.Dir}}', 'k8s.io/kubernetes'], { cwd: nodeModuleDir('kubelet') });
  const source = join(found.stdout.trim(), 'build', 'pause', 'linux', 'pause.c');
  const rootfs = join(workDir, 'pause-rootfs');
  mkdirSync(rootfs, { recursive: true });
  const binary = join(rootfs, 'pause');
  await runCommand('gcc', ['-Os', '-static', `-DVERSION=${PAUSE_VERSION}`, '-o', binary, source]);
  await runCommand('strip', [binary]);
  chmodSync(binary, 0o755);
  await writeImageArchive(rootfs, PAUSE_IMAGE, { env: [], entrypoint: ['/pause'] }, archive);
  rmSync(rootfs, { recursive: true, force: true });
}
