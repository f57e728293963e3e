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
 *   of 220 KB together) are not slower than with Node's defaults; small ones turn it off as well
 *   once the files are read (NO_MAGLEV_BELOW_BYTES).
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
 * - `--min-semi-space-size=8`: the young generation starts at 8 MB instead of 1 MB, so reading
 *   falco_rules.yaml from the startup snapshot takes no scavenge (8 with 1 MB, 3 with 2 MB). Pages
 *   are only touched as they are allocated, so peak RSS stays within ~1 MB of 2 MB's (65–67 MB);
 *   wall time is ~2 ms less than with 2 MB (70.2 vs 72.1 ms, median of 51, alternated).
 */
export const STARTUP_FLAGS: Readonly<Record<string, readonly string[]>> = {
  validate: ['--min-semi-space-size=8'],
};

/**
 * Start-only flags for a start from the command's startup snapshot, after STARTUP_FLAGS; the
 * launcher passes them on that path only.
 *
 * - `--no-rehash-snapshot`: V8 draws a new hash seed on every start and rehashes each hash table
 *   and string hash in the deserialized heap for it (and derives the hasher's secrets from it).
 *   A snapshot built here already holds a seed drawn at random when it was built, so this start
 *   keeps that one: ~5 ms less for `validate` (65 vs 70 ms, median of 41, alternated). The seed
 *   is then fixed per snapshot rather than per process, which only matters against inputs crafted
 *   to collide in V8's hash tables, and `validate` reads one file and exits. Never on main.js's
 *   path: there the seed in Node's own snapshot is the same in every install of that release.
 *   (The worker thread that validates deeply nested input starts from Node's own snapshot and,
 *   with the flag process-wide, keeps that seed too: one short-lived read of the same file.)
 */
export const SNAPSHOT_START_FLAGS: Readonly<Record<string, readonly string[]>> = {
  validate: ['--no-rehash-snapshot'],
};

/**
 * Below this many bytes of rules, `falconer validate` runs without Maglev as well: the run ends
 * before the engine's code has run often enough for Maglev's compiles to pay back. falco_rules.yaml
 * (64 KB): −3 ms; the sandbox rules alone (95 KB): −4 ms; falco_rules.yaml with a small file of
 * one's own (70 KB, compiled twice): −1 ms. Above it Maglev pays: falco_rules.yaml with the
 * incubating rules (130 KB) +6 ms without it, all three published files (220 KB) +25 ms.
 * (Medians of 20–30 alternated runs each.)
 */
export const NO_MAGLEV_BELOW_BYTES = 100_000;

/** The flags for a validation of `bytes` of rules, set once they are read (none above the limit). */
export function v8FlagsForInput(bytes: number): readonly string[] {
  return bytes < NO_MAGLEV_BELOW_BYTES ? ['--no-maglev'] : [];
}

/** Sets the flags for a validation of `bytes` of rules, before it starts. */
export function tuneV8ForInput(bytes: number): void {
  const flags = v8FlagsForInput(bytes);
  if (flags.length > 0) setFlagsFromString(flags.join(' '));
}

/** The V8 flags the command `argv` names runs with (none for most). */
export function v8FlagsFor(argv: readonly string[]): readonly string[] {
  return SHORT_RUN_FLAGS[subcommandOf(argv) ?? ''] ?? [];
}

/** Sets the flags of the command `argv` names, if it has any. */
export function tuneV8For(argv: readonly string[]): void {
  const flags = v8FlagsFor(argv);
  if (flags.length > 0) setFlagsFromString(flags.join(' '));
}
