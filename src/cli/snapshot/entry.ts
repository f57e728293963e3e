import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startupSnapshot } from 'node:v8';
import type { Command } from 'commander';
import { bareProgram } from '../program.ts';
import { reportError } from '../report-error.ts';
import { tuneV8For } from '../v8-tuning.ts';

/**
 * The bundle's location as `import.meta.url` reads it in a snapshot's code (src/build/bundle.ts
 * defines one to the other). The snapshot is built once per Node.js and may serve any copy of the
 * same bundle, so it is set on each start from the folder the launcher names, never kept from
 * the build.
 */
const BUNDLE_URL = '__falconerBundleUrl';

function setBundleUrl(url: string): void {
  (globalThis as Record<string, unknown>)[BUNDLE_URL] = url;
}

/** One command that starts from a snapshot (src/cli/snapshot/README.md). */
export interface SnapshotCommand {
  /** Adds the command to `falconer`'s command line (the one `main.js` registers). */
  register(program: Command): void;
  /** Runs the command's code on inputs of its own while the snapshot is built (bytecode is kept). */
  warmUp(): Promise<void>;
  /**
   * The command run straight from the command line's words (`validate`, then its own), without
   * commander, when they are plain; undefined leaves them to commander's command line.
   */
  direct?(words: readonly string[]): (() => Promise<void>) | undefined;
}

/**
 * The body of a snapshot entry (dist/cli/snapshot-<name>.cjs). While the snapshot is built
 * (`node --build-snapshot`): warms the command up, then builds the command line with it, so that a
 * start only parses its arguments. On each start from the snapshot: reads the
 * launcher's arguments (`node --snapshot-blob <blob> <bundle folder> <command> <args…>`) and runs
 * the command as `main.js` would.
 *
 * Run as a plain script (`node snapshot-<name>.cjs <bundle folder> <command> <args…>`), as the
 * launcher runs `validate` while its snapshot is not built yet, it runs the command at once, without
 * the warm-up: one file to load instead of main.js's modules.
 */
export function snapshotEntry(command: SnapshotCommand): void {
  if (!buildingSnapshot()) {
    // The script's own path goes: what is left reads as a start from the snapshot's.
    process.argv.splice(1, 1);
    void start(command, () => commandLine(command));
    return;
  }
  void command.warmUp().then(() => {
    const program = commandLine(command);
    startupSnapshot.setDeserializeMainFunction(() => void start(command, () => program));
  });
}

/**
 * Whether `node --build-snapshot` runs this script. node:v8 is asked only when that flag is on
 * node's command line: loading it costs a plain run ~1 ms (src/build/bundle.ts, builtinsOnDemand).
 */
function buildingSnapshot(): boolean {
  return process.execArgv.includes('--build-snapshot') && startupSnapshot.isBuildingSnapshot();
}

/** `falconer`'s command line with this one command, as main.js registers it. */
function commandLine(command: SnapshotCommand): Command {
  const program = bareProgram();
  command.register(program);
  return program;
}

/**
 * Runs the command the arguments name, straight (SnapshotCommand.direct) or through `program`,
 * made only when needed: the first-run script then loads commander only for command lines that
 * are not plain (src/build/bundle.ts).
 */
async function start(command: SnapshotCommand, program: () => Command): Promise<void> {
  const [execPath = process.execPath, bundleDir = '', ...args] = process.argv;
  const main = join(bundleDir, 'main.js');
  // What main.js sees: the commands read their arguments from there.
  process.argv = [execPath, main, ...args];
  setBundleUrl(pathToFileURL(main).href);
  tuneV8For(process.argv);
  try {
    const direct = command.direct?.(args);
    await (direct === undefined ? program().parseAsync(process.argv) : direct());
  } catch (err) {
    reportError(err, pathToFileURL(main).href);
    process.exitCode = 1;
  }
}
