/**
 * Snapshots built ahead of time (`falconer snapshots build --into <dir>`) and the launcher's
 * prebuilt folder (FALCONER_SNAPSHOT_DIR), as the image uses them: the folder is built once here,
 * by the Dockerfile's own line (its folder moved to a temporary one), and every start below
 * begins with an empty cache folder, as each container does.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { mcpToolsList, snapshotOf, unreachableKubeconfig, validateCmdline } from '../support/launched.ts';
import { launcherEnv, shippedLauncher, snapshotIds } from '../support/shipped-cli.ts';
import { VALIDATE_FIRST_RUN } from '../../src/cli/snapshot/names.ts';

const work = mkdtempSync(join(tmpdir(), 'falconer-prebuilt-'));
const launcher = shippedLauncher();
const ids = snapshotIds(launcher);
const prebuilt = join(work, 'snapshots');
const DOCKERFILE = readFileSync(fileURLToPath(new URL('../../Dockerfile', import.meta.url)), 'utf8');

const GOOD = '- rule: Shell\n  desc: a shell\n  condition: evt.type = execve and proc.name = bash\n  output: shell (user=%user.name)\n  priority: WARNING\n';

let caches = 0;
/** The launcher's environment with a cache folder of its own, empty (and this Node.js on PATH). */
function freshEnv(extra: NodeJS.ProcessEnv = {}): { env: NodeJS.ProcessEnv; cache: string } {
  const cache = join(work, `cache-${(caches += 1)}`);
  const { FALCONER_NO_SNAPSHOT: _off, ...inherited } = process.env;
  return { env: { ...launcherEnv({ ...inherited, FALCONER_CACHE_DIR: cache }), ...extra }, cache };
}

/** The Dockerfile's snapshot build: `RUN [NAME=value…] falconer snapshots build …`, and the folder its ENV names. */
function dockerfileBuild(): { env: Record<string, string>; args: string[]; folder: string; lines: string[] } {
  const lines = DOCKERFILE.split('\n');
  const run = lines.find((l) => /^RUN .*\bfalconer snapshots build\b/.test(l));
  const folder = /^ENV FALCONER_SNAPSHOT_DIR=(\S+)$/m.exec(DOCKERFILE)?.[1];
  assert.ok(run !== undefined && folder !== undefined, 'the Dockerfile builds the snapshots and sets FALCONER_SNAPSHOT_DIR');
  const words = run.slice('RUN '.length).trim().split(/\s+/);
  const at = words.indexOf('falconer');
  const assignments = words.slice(0, at).map((w) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(w));
  assert.ok(at >= 0 && assignments.every((m) => m !== null), run);
  const env = Object.fromEntries(assignments.map((m) => [m?.[1] ?? '', m?.[2] ?? '']));
  return { env, args: words.slice(at + 1), folder, lines };
}

describe('snapshots built ahead of time into a prebuilt folder', () => {
  let build: SpawnSyncReturns<string>;
  let buildCache = '';

  before(() => {
    const { env, args, folder } = dockerfileBuild();
    const fresh = freshEnv(env);
    buildCache = fresh.cache;
    build = spawnSync(launcher, args.map((a) => (a === folder ? prebuilt : a)), { encoding: 'utf8', env: fresh.env });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('the Dockerfile builds them as root in the runtime stage, once `falconer` is on PATH, into the folder it points the launcher at', () => {
    const { args, folder, lines } = dockerfileBuild();
    assert.deepEqual(args, ['snapshots', 'build', '--into', folder]);
    const index = (pattern: RegExp): number => lines.findIndex((l) => pattern.test(l));
    const runAt = index(/^RUN .*falconer snapshots build/);
    assert.ok(index(/ln -s \S+\/falconer \/usr\/local\/bin\/falconer/) < runAt, 'after the launcher is linked');
    assert.ok(runAt < lines.findLastIndex((l) => l.startsWith('USER ')), 'before USER');
    assert.ok(lines.findLastIndex((l) => l.startsWith('FROM ')) < runAt, 'in the runtime stage');
  });

  it('builds the snapshot of validate and of mcp with their keys (size and mtime of this Node.js), says what it built and writes nothing into the cache', () => {
    assert.equal(build.status, 0, build.stderr);
    assert.equal(build.stderr, '');
    const key = execFileSync('stat', ['-L', '-c', '%s:%Y', process.execPath], { encoding: 'utf8' });
    for (const command of ['validate', 'mcp']) {
      const blob = join(prebuilt, `${ids[command]}.blob`);
      assert.ok(existsSync(blob), blob);
      assert.equal(readFileSync(`${blob}.key`, 'utf8'), key);
      assert.match(build.stdout, new RegExp(`^  ${command} +${blob.replaceAll('.', '\\.')} \\(\\d+\\.\\d MB\\)$`, 'm'));
    }
    assert.match(build.stdout, /^Built the startup snapshots for Node\.js v\d+/);
    // No compile cache either (NODE_DISABLE_COMPILE_CACHE): root's files would stay in the image's /tmp.
    assert.equal(existsSync(buildCache), false);
  });

  it('starts validate from the prebuilt snapshot on its very first start, prints what main.js prints and builds nothing into the cache', async () => {
    const { env, cache } = freshEnv({ FALCONER_SNAPSHOT_DIR: prebuilt });
    const first = await validateCmdline(launcher, env, work, GOOD);
    assert.equal(snapshotOf(first.cmdline), join(prebuilt, `${ids['validate']}.blob`), first.cmdline.join(' '));
    assert.equal(first.result.status, 0, first.result.stderr);
    assert.equal(existsSync(join(cache, 'snapshots')), false, 'no snapshot was asked for');
    const main = await validateCmdline(launcher, { ...env, FALCONER_NO_SNAPSHOT: '1' }, work, GOOD);
    assert.ok(main.cmdline.some((a) => a.endsWith('/main.js')), main.cmdline.join(' '));
    assert.deepEqual(first.result, main.result);
  });

  it('serves MCP tools/list from the prebuilt snapshot on its very first start', async () => {
    const { env, cache } = freshEnv({ FALCONER_SNAPSHOT_DIR: prebuilt });
    const { cmdline, tools, code, stderr } = await mcpToolsList(launcher, env, ['--kubeconfig', unreachableKubeconfig(join(work, 'kubeconfig'))]);
    assert.equal(snapshotOf(cmdline), join(prebuilt, `${ids['mcp']}.blob`));
    assert.ok(tools.includes('falco_validate_rules') && tools.includes('falco_start_monitoring'), tools.join(', '));
    assert.equal(code, 0, stderr);
    assert.equal(existsSync(join(cache, 'snapshots')), false);
  });

  it('falls back when the prebuilt folder was built by another Node.js: to the entry script, with one built in the cache, then to the cache\'s', async () => {
    // What a Node.js upgrade under an old prebuilt folder looks like to the launcher: another size and mtime.
    const other = join(work, 'other-node');
    mkdirSync(other);
    const blob = `${ids['validate']}.blob`;
    copyFileSync(join(prebuilt, blob), join(other, blob));
    writeFileSync(join(other, `${blob}.key`), '1:2\n');
    const { env, cache } = freshEnv({ FALCONER_SNAPSHOT_DIR: other });
    const first = await validateCmdline(launcher, env, work, GOOD);
    assert.ok(first.cmdline.some((a) => a.endsWith(`/${VALIDATE_FIRST_RUN}`)), first.cmdline.join(' '));
    assert.equal(snapshotOf(first.cmdline), undefined, first.cmdline.join(' '));
    assert.equal(first.result.status, 0, first.result.stderr);
    assert.match(first.result.stdout, /^<rules>: Ok$/m);
    const cached = join(cache, 'snapshots', blob);
    for (const deadline = Date.now() + 60_000; !existsSync(`${cached}.key`); await sleep(100)) {
      if (Date.now() > deadline) throw new Error(`no snapshot was built into ${cached} within 60 s`);
    }
    const second = await validateCmdline(launcher, env, work, GOOD);
    assert.equal(snapshotOf(second.cmdline), cached, second.cmdline.join(' '));
    assert.deepEqual(second.result, first.result);
    // A folder that is not there at all is no prebuilt folder either.
    const missing = await validateCmdline(launcher, { ...env, FALCONER_SNAPSHOT_DIR: join(work, 'no-such-folder') }, work, GOOD);
    assert.equal(snapshotOf(missing.cmdline), cached);
  });

  it('fails with exit code 1 and a message naming each command and blob when the folder cannot be written', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, '');
    const into = join(file, 'snapshots');
    const r = spawnSync(launcher, ['snapshots', 'build', '--into', into], { encoding: 'utf8', env: freshEnv().env });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    for (const command of ['validate', 'mcp']) {
      const blob = join(into, `${ids[command]}.blob`).replaceAll('.', '\\.');
      assert.match(r.stderr, new RegExp(`Could not build the startup snapshot of \`falconer ${command}\` into ${blob}: cannot create its folder \\(ENOTDIR`));
    }
    assert.match(r.stderr, /^falconer: /);
  });
});
