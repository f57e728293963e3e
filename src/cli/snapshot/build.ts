import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { runCommand } from '../../controlplane/run-command.ts';
import { ProcessError } from '../../core/errors.ts';

/** One startup snapshot to build (src/cli/snapshot/README.md). */
export interface SnapshotBuild {
  readonly command: string;
  /** The command's snapshot entry script beside main.js, `snapshot-<command>.cjs`. */
  readonly entry: string;
  /** Where the blob goes: in the user's cache folder, or in a prebuilt folder. */
  readonly blob: string;
  /** What the blob's `.key` file will hold: the Node.js binary it is for (names.ts). */
  readonly key: string;
}

/** A lock older than this belongs to a build that died: it is taken over. */
const STALE_LOCK_MS = 120_000;

/**
 * The build, one script for both ways of running it: in the background, when the launcher found
 * no snapshot (a lock file is given), and in the foreground, for `falconer snapshots build` (no
 * lock). The blob and its key are renamed into place only when the build succeeded, blob first,
 * so the launcher never pairs a key with a blob it does not describe. Each bundle has its own
 * blob (`<command>-<digest>.blob`): after a build, the command's two newest stay (a second
 * installed version may be in use beside this one) and older ones go, so upgrades do not pile up
 * 8–15 MB files. In the background the build waits for the command that asked for it to end (for
 * at most 2 s; two processes starting at once on a small machine slowed that command's first start
 * by ~45 ms), runs at low priority, removes its lock when it ends,
 * and a failure leaves `<blob>.failed` holding the key (not retried for this Node.js and bundle);
 * in the foreground node's messages go to stderr, for the caller to report.
 */
const BUILD_SCRIPT = `
node=$1 entry=$2 blob=$3 key=$4 lock=$5 asker=$6
tmp="$blob.$$.tmp"
trap 'rm -f "$tmp" "$tmp.key"; [ -z "$lock" ] || rm -f "$lock"' EXIT
low=
if [ -n "$lock" ] && command -v nice >/dev/null 2>&1; then low='nice -n 10'; fi
# In the background, the command that asked for the snapshot goes first: the build waits until that
# process has ended (validate) or 2 s have passed (mcp serves on), so as not to slow its start.
n=0
while [ -n "$asker" ] && [ "$n" -lt 20 ] && kill -0 "$asker" 2>/dev/null; do sleep 0.1 || break; n=$((n + 1)); done
if $low "$node" --snapshot-blob "$tmp" --build-snapshot "$entry" >/dev/null; then
  mv -f "$tmp" "$blob" && printf '%s\\n' "$key" > "$tmp.key" && mv -f "$tmp.key" "$blob.key" || exit 1
  rm -f "$blob.failed"
  ls -t "\${blob%-*}"-*.blob 2>/dev/null | tail -n +3 | while IFS= read -r old; do rm -f "$old" "$old.key" "$old.failed"; done
else
  status=$?
  [ -z "$lock" ] || printf '%s\\n' "$key" > "$blob.failed"
  exit "$status"
fi
`;

/**
 * Builds the blob now, with the Node.js that runs this process; resolves once the blob and its
 * key are in place. Rejects with a ProcessError that names the command, the blob and what node
 * said.
 */
export async function buildSnapshot(build: SnapshotBuild): Promise<void> {
  const failed = (reason: string, options: { cause?: unknown; exitCode?: number | null } = {}): ProcessError =>
    new ProcessError(`Could not build the startup snapshot of \`falconer ${build.command}\` into ${build.blob}: ${reason}`, options);
  try {
    mkdirSync(dirname(build.blob), { recursive: true });
  } catch (err) {
    throw failed('cannot create its folder', { cause: err });
  }
  const run = await runCommand('sh', ['-c', BUILD_SCRIPT, 'falconer-snapshot', process.execPath, build.entry, build.blob, build.key, '', ''], { allowFailure: true });
  if (run.code !== 0) throw failed(`${nodeMessage(run.stderr)} (exit code ${run.code})`, { exitCode: run.code });
}

/**
 * Every build prints warnings that Node has not yet verified some built-in modules the entries
 * require in snapshots (the tests check that the snapshots behave as main.js does): they are
 * left out of the message, which keeps what went wrong.
 */
const SNAPSHOT_MODULE_WARNING = [/^\(node:\d+\) Warning: It's not yet fully verified whether built-in module/, /^It may still work in some cases/, /^To request support for the module/, /^\(Use `node --trace-warnings/];

function nodeMessage(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '' && !SNAPSHOT_MODULE_WARNING.some((w) => w.test(line)));
  return lines.length === 0 ? 'node printed no message' : lines.slice(-10).join('\n');
}

/** Starts the build unless another process is building the same blob; true when it started. */
export function buildSnapshotInBackground(request: SnapshotBuild): boolean {
  const lock = `${request.blob}.lock`;
  try {
    mkdirSync(dirname(request.blob), { recursive: true });
    if (!takeLock(lock)) return false;
    const child = spawn('sh', ['-c', BUILD_SCRIPT, 'falconer-snapshot', process.execPath, request.entry, request.blob, request.key, lock, String(process.pid)], {
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
