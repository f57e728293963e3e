import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { subcommandOf } from '../v8-tuning.ts';
import type { SnapshotBuild } from './build.ts';
import { SNAPSHOT_COMMANDS } from './names.ts';

/**
 * How the launcher (dist/cli/falconer) asks main.js for a snapshot it did not find: where the
 * blob goes, and the identity of the Node.js binary it must match (`stat -L -c %d:%i:%s:%Y` of
 * the `node` it runs; the launcher uses a blob only while its `.key` file holds that line).
 */
export const SNAPSHOT_ENV = { blob: 'FALCONER_SNAPSHOT_BLOB', key: 'FALCONER_SNAPSHOT_KEY' } as const;

/**
 * The launcher's request, if any, taken out of `env` so that no process this one starts inherits
 * it. Undefined when there is none, when the command has no snapshot, when the CLI runs from its
 * sources (no entry script beside main), or when a build already failed for this Node.js (its
 * `.failed` file holds the key: nothing is retried until Node.js or the bundle changes).
 */
export function takeSnapshotRequest(env: NodeJS.ProcessEnv, argv: readonly string[], mainUrl: string): SnapshotBuild | undefined {
  const blob = env[SNAPSHOT_ENV.blob];
  const key = env[SNAPSHOT_ENV.key];
  delete env[SNAPSHOT_ENV.blob];
  delete env[SNAPSHOT_ENV.key];
  if (blob === undefined || blob === '' || key === undefined || key === '') return undefined;
  const command = subcommandOf(argv);
  if (command === undefined || !SNAPSHOT_COMMANDS.includes(command)) return undefined;
  const entry = fileURLToPath(new URL(`./snapshot-${command}.cjs`, mainUrl));
  if (!existsSync(entry) || failedBefore(blob, key)) return undefined;
  return { command, blob, key, entry };
}

function failedBefore(blob: string, key: string): boolean {
  try {
    return readFileSync(`${blob}.failed`, 'utf8').trim() === key;
  } catch {
    return false;
  }
}
