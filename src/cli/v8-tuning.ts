import { setFlagsFromString } from 'node:v8';

/** The subcommand `argv` names: its first word after the script that is not an option. */
export function subcommandOf(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

/**
 * V8 flags for commands that run once over one input and exit, set before their code loads.
 *
 * - `--no-opt`: TurboFan compiles the hot loops of the YAML parser and the rules engine on a
 *   background thread, and a 60 KB rules file is read before most of that code is used: for
 *   `falconer validate falco_rules.yaml` it cost ~40 ms of CPU and ~10 MB of RSS for no gain in
 *   wall time. Maglev, the faster mid-tier compiler, stays on, so large inputs (three rules files
 *   of 220 KB together) are not slower than with Node's defaults.
 * - `--semi-space-growth-factor=1`: the young generation keeps its initial size instead of
 *   doubling after the first scavenges: ~8 MB less RSS at the same CPU (more, cheaper scavenges).
 *
 * Measured with `npm run bench -- --only=footprint` (docs/benchmarks.md, Footprint). Long-running
 * commands (operator, mcp, dev) keep Node's defaults: there the optimising compiler pays back.
 */
const SHORT_RUN_FLAGS: Readonly<Record<string, readonly string[]>> = {
  validate: ['--no-opt', '--semi-space-growth-factor=1'],
};

/**
 * Flags that V8 reads only when the process starts, so the launcher (dist/cli/falconer) passes
 * them on node's command line, from a snapshot or not; `npm run build` writes them in.
 *
 * - `--min-semi-space-size=2`: the young generation starts at 2 MB instead of 1 MB. Reading
 *   falco_rules.yaml took 8 scavenges (~9 ms of pauses) from the startup snapshot, now 4 (~4 ms):
 *   5 ms less wall time (108 vs 113 ms, median of 21, alternated) for 2 MB more peak RSS.
 */
export const STARTUP_FLAGS: Readonly<Record<string, readonly string[]>> = {
  validate: ['--min-semi-space-size=2'],
};

/** The V8 flags the command `argv` names runs with (none for most). */
export function v8FlagsFor(argv: readonly string[]): readonly string[] {
  return SHORT_RUN_FLAGS[subcommandOf(argv) ?? ''] ?? [];
}

/** Sets the flags of the command `argv` names, if it has any. */
export function tuneV8For(argv: readonly string[]): void {
  const flags = v8FlagsFor(argv);
  if (flags.length > 0) setFlagsFromString(flags.join(' '));
}
