import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/**
 * The build script, one for both ways of running it: the launcher starts it in the background
 * when it finds no snapshot, and `falconer snapshots build` runs it here, in the foreground. It
 * sits beside this module: in src/cli/snapshot/ in the sources, and in dist/cli/, where
 * `npm run build` copies it, in the bundle.
 */
export const BUILD_SCRIPT = fileURLToPath(new URL('./snapshot-build.sh', import.meta.url));

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
  const run = await runCommand('sh', [BUILD_SCRIPT, process.execPath, build.entry, build.blob, build.key, '', ''], { allowFailure: true });
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
