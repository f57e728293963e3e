/**
 * The CLI as it ships: what `npm run build` writes to dist/cli/. The launcher (package.json's
 * `bin`, the image's `falconer`) is what users run; it starts `validate` and `mcp` from a startup
 * snapshot once one is built (src/cli/snapshot/README.md). Tests that spawn `falconer` run these,
 * not the TypeScript sources, so that they cover what users run; `npm test` builds the bundle and
 * the snapshots before any test starts (test/run.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { BUNDLE_DIR, LAUNCHER } from '../../src/build/bundle.ts';
import { runCommand } from '../../src/controlplane/run-command.ts';
import { cacheRoot } from '../../src/controlplane/versions.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of the bundled CLI's entry point; throws when it has not been built. */
export function shippedCli(): string {
  const main = `${ROOT}${BUNDLE_DIR}/main.js`;
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` (npm test does it first)`);
  return main;
}

/** Absolute path of the launcher, `falconer` as users run it; throws when it has not been built. */
export function shippedLauncher(dir = `${ROOT}${BUNDLE_DIR}`): string {
  const launcher = join(dir, LAUNCHER);
  if (!existsSync(launcher)) throw new Error(`${launcher} is missing: run \`npm run build\` (npm test does it first)`);
  return launcher;
}

/**
 * `env` for running the launcher: this Node.js (24) first on PATH, since the launcher runs the
 * first `node` it finds there and the machine's own may be older; without a prebuilt snapshot
 * folder the machine may name (an image that sets FALCONER_SNAPSHOT_DIR): tests say which
 * snapshots they start from.
 */
export function launcherEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { FALCONER_SNAPSHOT_DIR: _prebuilt, ...rest } = env;
  return { ...rest, PATH: `${process.execPath.replace(/\/node$/, '')}:${env['PATH'] ?? ''}` };
}

/** The blob names the launcher uses, read from it: `validate-<digest>`, `mcp-<digest>`. */
export function snapshotIds(launcher = shippedLauncher()): Record<string, string> {
  const ids = [...readFileSync(launcher, 'utf8').matchAll(/^\s*(\w+)\) id=(\S+) ;;$/gm)];
  return Object.fromEntries(ids.map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** Where the launcher looks for a command's blob under the cache folder `env` names. */
export function snapshotBlob(command: string, env: NodeJS.ProcessEnv = process.env, launcher = shippedLauncher()): string {
  const id = snapshotIds(launcher)[command];
  if (id === undefined) throw new Error(`the launcher ${launcher} names no snapshot for ${command}`);
  return join(cacheRoot(env), 'snapshots', `${id}.blob`);
}

/**
 * Makes sure the snapshots of `validate` and `mcp` exist for this Node.js, the way users get them:
 * the launcher's first start of each asks for one, built in the background; this waits for both.
 */
export async function warmSnapshots(env: NodeJS.ProcessEnv = process.env, launcher = shippedLauncher(), timeoutMs = 120_000): Promise<void> {
  const runEnv = launcherEnv(env);
  const pending = ['validate', 'mcp'].filter((command) => !existsSync(`${snapshotBlob(command, env, launcher)}.key`));
  for (const command of pending) await runCommand(launcher, [command, '--help'], { env: runEnv });
  const deadline = Date.now() + timeoutMs;
  for (const command of pending) {
    const blob = snapshotBlob(command, env, launcher);
    while (!existsSync(`${blob}.key`)) {
      if (existsSync(`${blob}.failed`)) throw new Error(`building the startup snapshot of \`falconer ${command}\` failed (${blob}.failed)`);
      if (Date.now() > deadline) throw new Error(`the startup snapshot of \`falconer ${command}\` was not built within ${timeoutMs / 1000} s (${blob})`);
      await sleep(100);
    }
  }
}
