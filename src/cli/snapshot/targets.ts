import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheRoot } from '../../controlplane/versions.ts';
import { FalconerError } from '../../core/errors.ts';
import type { SnapshotBuild } from './build.ts';
import { SNAPSHOT_COMMANDS, cacheKey, prebuiltKey, snapshotId } from './names.ts';

export interface SnapshotTargets {
  /** The bundle's folder (dist/cli/), which holds the entry scripts `snapshot-<command>.cjs`. */
  readonly bundleDir: string;
  /** The Node.js binary the snapshots are for. */
  readonly node: string;
  /** A prebuilt folder, for the launcher's FALCONER_SNAPSHOT_DIR; else the cache folder. */
  readonly into?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The snapshots `falconer snapshots build` makes, one per snapshot command, named and keyed as the
 * launcher looks for them: in the cache folder's `snapshots/` with the cache's key, or in a
 * prebuilt folder with the prebuilt key (names.ts says why the two differ).
 */
export function snapshotBuilds(targets: SnapshotTargets): SnapshotBuild[] {
  const node = statSync(targets.node, { bigint: true });
  const folder = targets.into !== undefined ? resolve(targets.into) : join(cacheRoot(targets.env), 'snapshots');
  const key = targets.into !== undefined ? prebuiltKey(node) : cacheKey(node);
  return SNAPSHOT_COMMANDS.map((command) => {
    const entry = join(targets.bundleDir, `snapshot-${command}.cjs`);
    return { command, entry, blob: join(folder, `${snapshotId(command, readEntry(command, entry))}.blob`), key };
  });
}

function readEntry(command: string, entry: string): Buffer {
  try {
    return readFileSync(entry);
  } catch (err) {
    // `npm run falconer -- …` runs the sources, which have no entry scripts: they are bundled.
    throw new FalconerError(`No snapshot entry script for \`falconer ${command}\` (${entry}): snapshots are built by the shipped CLI, after \`npm run build\``, { cause: err });
  }
}
