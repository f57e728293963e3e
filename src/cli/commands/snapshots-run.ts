import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessError, describeError } from '../../core/errors.ts';
import { buildSnapshot } from '../snapshot/build.ts';
import type { SnapshotBuild } from '../snapshot/build.ts';
import { snapshotBuilds } from '../snapshot/targets.ts';

export interface SnapshotsBuildFlags {
  into?: string;
}

/**
 * The body of `falconer snapshots build`: builds every snapshot command's blob with this Node.js,
 * all at once, prints those it built and throws when any failed (exit code 1), naming each that
 * failed. The entry scripts are read from this module's folder, the bundle's (every chunk sits
 * in dist/cli/).
 */
export async function runSnapshotsBuild(flags: SnapshotsBuildFlags): Promise<void> {
  const builds = snapshotBuilds({ bundleDir: fileURLToPath(new URL('./', import.meta.url)), node: process.execPath, into: flags.into });
  const started = performance.now();
  const results = await Promise.allSettled(builds.map(buildSnapshot));
  const seconds = (performance.now() - started) / 1000;
  const built = builds.filter((_, i) => results[i]?.status === 'fulfilled');
  if (built.length > 0) process.stdout.write(describeBuilt(built, seconds, flags.into));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new ProcessError(failures.map(withCause).join('\n'));
}

function withCause(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause === undefined ? describeError(err) : `${describeError(err)} (${describeError(cause)})`;
}

function describeBuilt(built: readonly SnapshotBuild[], seconds: number, into: string | undefined): string {
  const width = Math.max(...built.map((b) => b.command.length));
  const lines = built.map((b) => `  ${b.command.padEnd(width)}  ${b.blob} (${(statSync(b.blob).size / 1e6).toFixed(1)} MB)`);
  const use = into === undefined ? 'The launcher starts from them with this Node.js binary.' : `The launcher starts from them with this Node.js binary when FALCONER_SNAPSHOT_DIR=${resolve(into)}.`;
  const what = built.length === 1 ? 'the startup snapshot' : 'the startup snapshots';
  return [`Built ${what} for Node.js ${process.version} (${process.execPath}) in ${seconds.toFixed(1)} s:`, ...lines, use, ''].join('\n');
}
