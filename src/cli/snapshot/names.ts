import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';

/** The commands the launcher starts from a snapshot: those users feel the start-up of. */
export const SNAPSHOT_COMMANDS: readonly string[] = ['validate', 'mcp'];

/**
 * What the launcher runs for `validate` while no snapshot is built for the Node.js at hand (a
 * first run): validate's snapshot script built again, with `yaml` and `commander` loaded only on
 * demand (src/build/bundle.ts, packagesOnDemand).
 */
export const VALIDATE_FIRST_RUN = 'validate.cjs';

/**
 * The name of a command's blob, `<command>-<digest of its entry script>`: the launcher holds the
 * names of its own build's entries (src/build/bundle.ts writes them in), so a new build of
 * Falconer never starts from an older one's snapshot.
 */
export function snapshotId(command: string, entryScript: Uint8Array): string {
  return `${command}-${createHash('sha256').update(entryScript).digest('hex').slice(0, 16)}`;
}

/**
 * What a blob's `.key` file holds in the cache folder: `stat -L -c %d:%i:%s:%Y` of the `node`
 * binary that built it (device, inode, size, mtime in seconds), as the launcher computes it on
 * each start. A blob is tied to the exact Node.js build that made it: another version refuses to
 * start from it (exit code 14), so the launcher passes it only to the binary its key names.
 */
export function cacheKey(node: BigIntStats): string {
  return `${node.dev}:${node.ino}:${sizeAndMtime(node)}`;
}

/**
 * What a blob's `.key` file holds in a prebuilt folder (`FALCONER_SNAPSHOT_DIR`): size and mtime
 * of the binary, `stat -L -c %s:%Y`, which the launcher takes from the same `stat` as the cache's
 * key. A prebuilt folder is made once and read elsewhere (baked into an image, run on any host),
 * and device and inode numbers of a file in an overlayfs image layer differ from host to host;
 * size and mtime travel with the file in its layer (whole seconds, as a tar header keeps them).
 * The launcher pays for no extra process: hashing the 100 MB binary or asking `node --version`
 * would cost more than the snapshot saves. A false match needs another Node.js build of the same
 * size stamped the same second; a real change of Node.js, or an image tool that rewrites
 * timestamps after the build, changes the key, and the launcher then falls back.
 */
export function prebuiltKey(node: BigIntStats): string {
  return sizeAndMtime(node);
}

function sizeAndMtime(node: BigIntStats): string {
  const seconds = node.mtimeNs / 1_000_000_000n;
  // `%Y` rounds down, also before 1970 (BigInt division rounds toward zero).
  const floor = node.mtimeNs < 0n && seconds * 1_000_000_000n !== node.mtimeNs ? seconds - 1n : seconds;
  return `${node.size}:${floor}`;
}
