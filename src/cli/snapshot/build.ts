import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SnapshotRequest } from './request.ts';

/** A lock older than this belongs to a build that died: it is taken over. */
const STALE_LOCK_MS = 120_000;

/**
 * Builds the blob in a process of its own that outlives this one, at low priority: the command the
 * user ran does not wait for it. The blob and its key are renamed into place only when the build
 * succeeded, blob first, so the launcher never pairs a key with a blob it does not describe. A
 * failed build leaves `<blob>.failed` holding the key (not retried for this Node.js and bundle).
 * Each bundle has its own blob (`<command>-<digest>.blob`): after a build, the command's two newest
 * stay (a second installed version may be in use beside this one) and older ones go, so upgrades
 * do not pile up 8–15 MB files in the cache.
 */
const BUILD_SCRIPT = `
node=$1 entry=$2 blob=$3 key=$4 lock=$5
tmp="$blob.$$.tmp"
trap 'rm -f "$tmp" "$tmp.key" "$lock"' EXIT
low() { if command -v nice >/dev/null 2>&1; then nice -n 10 "$@"; else "$@"; fi; }
if low "$node" --snapshot-blob "$tmp" --build-snapshot "$entry" >/dev/null 2>&1; then
  mv -f "$tmp" "$blob" && printf '%s\\n' "$key" > "$tmp.key" && mv -f "$tmp.key" "$blob.key"
  ls -t "\${blob%-*}"-*.blob 2>/dev/null | tail -n +3 | while IFS= read -r old; do rm -f "$old" "$old.key" "$old.failed"; done
else
  printf '%s\\n' "$key" > "$blob.failed"
fi
`;

/** Starts the build unless another process is building the same blob; true when it started. */
export function buildSnapshotInBackground(request: SnapshotRequest): boolean {
  const lock = `${request.blob}.lock`;
  try {
    mkdirSync(dirname(request.blob), { recursive: true });
    if (!takeLock(lock)) return false;
    const child = spawn('sh', ['-c', BUILD_SCRIPT, 'falconer-snapshot', process.execPath, request.entry, request.blob, request.key, lock], {
      detached: true,
      stdio: 'ignore',
    });
    child.on('error', () => unlinkQuietly(lock));
    child.unref();
    return true;
  } catch {
    // A cache folder that cannot be written: the command runs as it always did, without snapshot.
    unlinkQuietly(lock);
    return false;
  }
}

function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      closeSync(openSync(lock, 'wx'));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let age: number;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (age < STALE_LOCK_MS) return false;
      unlinkQuietly(lock);
    }
  }
  return false;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
