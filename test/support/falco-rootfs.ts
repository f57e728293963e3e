/**
 * The real Falco root filesystems of `../shared/falco/` (0.42.1) and `../shared/falco-0.44.1/`
 * (0.44.1), made usable. The shared copies reach this machine with every symbolic link flattened
 * into a small regular file that holds the link's target (`usr/lib/.../libcurl.so.4` holds the text
 * `libcurl.so.4.8.0`, `bin` holds `usr/bin`), so neither the shipped launcher nor a chroot can run
 * them as they are. This module copies a tree once per machine into the cache, turning those stubs
 * back into links, and everything that runs the real Falco (tests, image archives, benchmarks)
 * starts from that copy. Test support only: the product never reads `../shared/`.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { cacheRoot } from '../../src/controlplane/versions.ts';

export const FALCO_VERSIONS = ['0.42.1', '0.44.1'] as const;
export type FalcoVersion = (typeof FALCO_VERSIONS)[number];

const sharedDir = new URL('../../../shared/', import.meta.url).pathname;

/** The shared folder of one version (read-only). */
export function sharedFalcoDir(version: FalcoVersion): string {
  return join(sharedDir, version === '0.42.1' ? 'falco' : `falco-${version}`);
}

export function sharedFalcoAvailable(version: FalcoVersion): boolean {
  return existsSync(join(sharedFalcoDir(version), 'rootfs', 'usr', 'bin', 'falco'));
}

/** A link target as the flattening left it: one line, a plain relative or absolute path. */
const LINK_TEXT = /^[A-Za-z0-9._+/-]+$/;
const MAX_LINK_TEXT = 256;

function walkFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walkFiles(path, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Candidate stubs: tiny one-line files whose text looks like a path (not empty, not a config). */
function stubTarget(path: string): string | undefined {
  const size = statSync(path).size;
  if (size === 0 || size > MAX_LINK_TEXT) return undefined;
  const text = readFileSync(path, 'utf8');
  return LINK_TEXT.test(text) ? text : undefined;
}

/** Where a link target points inside `root` (absolute targets are rooted there, as in a chroot). */
function resolveInRoot(root: string, linkPath: string, target: string): string {
  const rel = relative(root, linkPath);
  const joined = target.startsWith('/') ? posix.normalize(target) : posix.join(posix.dirname(`/${rel}`), target);
  return join(root, joined);
}

/**
 * Turns stubs back into links. A stub counts only when its target exists in the tree once the
 * other links are back (targets may pass through restored links, e.g. `/lib/x86_64-linux-gnu/…`
 * through `lib -> usr/lib`), so a real one-line file is never mistaken for a link.
 */
function restoreLinks(root: string): number {
  let pending = walkFiles(root)
    .map((path) => ({ path, target: stubTarget(path) }))
    .filter((s): s is { path: string; target: string } => s.target !== undefined);
  let restored = 0;
  for (;;) {
    const next: typeof pending = [];
    for (const stub of pending) {
      const resolved = resolveInRoot(root, stub.path, stub.target);
      if (resolved !== stub.path && existsSync(resolved)) {
        rmSync(stub.path);
        symlinkSync(stub.target, stub.path);
        restored++;
      } else {
        next.push(stub);
      }
    }
    if (next.length === pending.length) return restored;
    pending = next;
  }
}

function treeKey(src: string): string {
  const hash = createHash('sha256');
  for (const file of walkFiles(src).sort()) {
    const st = lstatSync(file);
    hash.update(`${relative(src, file)}\0${st.size}\0${st.mode}\n`);
  }
  return hash.digest('hex').slice(0, 12);
}

export interface FalcoRootfs {
  version: FalcoVersion;
  /** A root filesystem laid out like the official image, with working links. */
  dir: string;
  /** The shared folder's Dockerfile: what the image carries besides the files. */
  dockerfile: string;
}

/** The usable root filesystem of a version, made once per machine under the cache folder. */
export function falcoRootfs(version: FalcoVersion, env: NodeJS.ProcessEnv = process.env): FalcoRootfs {
  const shared = sharedFalcoDir(version);
  const src = join(shared, 'rootfs');
  if (!existsSync(src)) throw new Error(`No real Falco ${version} at ${shared}: the shared folder must sit beside the checkout`);
  const dest = join(cacheRoot(env), 'falco', `${version}-${treeKey(src)}`, 'rootfs');
  const result = { version, dir: dest, dockerfile: join(shared, 'Dockerfile') };
  if (existsSync(join(dest, '.complete'))) return result;
  // Copy beside the final folder and rename at the end: a half-made tree never looks complete.
  const staging = `${dest}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(staging), { recursive: true });
  cpSync(src, staging, { recursive: true, verbatimSymlinks: true });
  makeWritable(staging);
  restoreLinks(staging);
  writeFileSync(join(staging, '.complete'), `${new Date().toISOString()}\n`);
  rmSync(dest, { recursive: true, force: true });
  renameSync(staging, dest);
  return result;
}

/** The shared files are read-only; the copy must be removable and its folders writable. */
function makeWritable(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(path, 0o755);
      makeWritable(path);
    } else if (entry.isFile()) {
      chmodSync(path, statSync(path).mode & 0o111 ? 0o755 : 0o644);
    }
  }
  chmodSync(dir, 0o755);
}


/** Why tests that run the real Falco locally must be skipped here, or false when they can run. */
export function realFalcoSkipReason(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (unshare, mount, chroot) to run the real Falco';
  return FALCO_VERSIONS.every(sharedFalcoAvailable) ? false : 'needs the real Falco builds in ../shared/falco and ../shared/falco-0.44.1';
}
