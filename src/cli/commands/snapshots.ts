import type { Command } from 'commander';
import type { SnapshotsBuildFlags } from './snapshots-run.ts';

/**
 * `falconer snapshots build [--into <dir>]`: builds the startup snapshots of `validate` and `mcp`
 * now, in the foreground, rather than on their first start (src/cli/snapshot/README.md). With
 * --into, into a folder that the launcher reads from FALCONER_SNAPSHOT_DIR, read-only at run time:
 * the image's /opt/falconer/snapshots.
 */
export function registerSnapshotsCommand(program: Command): void {
  const snapshots = program
    .command('snapshots')
    .description('Startup snapshots of `falconer validate` and `falconer mcp`, for the Node.js that runs falconer');

  snapshots
    .command('build')
    .description('Build the startup snapshots now, into the cache folder the launcher reads (or --into a prebuilt folder); prints what it built')
    .option('--into <dir>', 'a prebuilt folder, read-only at run time, that the launcher reads when FALCONER_SNAPSHOT_DIR names it (e.g. in an image)')
    .action(async (flags: SnapshotsBuildFlags) => {
      // Loaded on demand, as every command's body is.
      const { runSnapshotsBuild } = await import('./snapshots-run.ts');
      await runSnapshotsBuild(flags);
    });
}
