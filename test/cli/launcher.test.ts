/**
 * The launcher (dist/cli/falconer) and the startup snapshots of `validate` and `mcp`: the first
 * start of a command has a snapshot built in the background and runs without one (`validate` from
 * its first-run script, `mcp` from main.js); later starts run from the snapshot; all of them behave
 * exactly as main.js does; a snapshot is used only with the Node.js binary it was built by. Which of the two a process runs is read from its /proc/<pid>/cmdline
 * while it waits on input (test/support/launched.ts).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { mcpToolsList, snapshotOf, unreachableKubeconfig, validateCmdline as launchedValidate } from '../support/launched.ts';
import { SNAPSHOT_START_FLAGS, STARTUP_FLAGS } from '../../src/cli/v8-tuning.ts';
import { VALIDATE_FIRST_RUN } from '../../src/cli/snapshot/names.ts';
import type { Launched, Run } from '../support/launched.ts';
import { launcherEnv, shippedCli, shippedLauncher, snapshotBlob } from '../support/shipped-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'falconer-launcher-'));
const env = launcherEnv({ ...process.env, FALCONER_CACHE_DIR: join(work, 'cache') });
const launcher = shippedLauncher();
const STABLE = fileURLToPath(new URL('../../../shared/falco-rules/falco_rules.yaml', import.meta.url));

const GOOD = `- macro: spawned
  condition: evt.type = execve
- rule: Shell
  desc: a shell
  condition: spawned and proc.name = bash
  output: shell (user=%user.name)
  priority: WARNING
`;
const BAD = `- rule: Broken
  desc: d
  condition: evt.type = open and proc.nmae = x
  output: o
  priority: INFO
`;

function run(command: string, args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(command, args, { encoding: 'utf8', env: { ...env, ...extraEnv } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const viaLauncher = (args: readonly string[], extraEnv?: NodeJS.ProcessEnv): Run => run(launcher, args, extraEnv);
const viaMain = (args: readonly string[]): Run => run(process.execPath, [shippedCli(), ...args]);
/** Through the launcher, with a cache folder nothing can be written to: never from a snapshot. */
const viaFirstRunScript = (args: readonly string[]): Run => run(launcher, args, { FALCONER_CACHE_DIR: join(work, 'good.yaml', 'cache') });

/** The arguments of every node process here (a process that ends while it is read is skipped). */
function nodeCommandLines(): string[][] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      return args[0]?.endsWith('node') ? [args] : [];
    } catch {
      return [];
    }
  });
}

async function waitFor(file: string, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !existsSync(file); await sleep(50)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear within ${timeoutMs / 1000} s`);
  }
}

/** The command line of `falconer validate <fifo>` while it waits for the FIFO, then its result. */
function validateCmdline(extraEnv: NodeJS.ProcessEnv = {}): Promise<Launched> {
  return launchedValidate(launcher, { ...env, ...extraEnv }, work, GOOD);
}

describe('the launcher and the startup snapshots', () => {
  before(() => writeFileSync(join(work, 'good.yaml'), GOOD));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('runs the first-run script first and has a snapshot built; later starts run from it', async () => {
    const blob = snapshotBlob('validate', env);
    assert.equal(existsSync(blob), false);
    const first = await validateCmdline();
    assert.ok(first.cmdline.some((a) => a.endsWith(`/dist/cli/${VALIDATE_FIRST_RUN}`)), first.cmdline.join(' '));
    assert.equal(first.result.status, 0, first.result.stderr);
    await waitFor(`${blob}.key`);
    // The key is the identity of the Node.js binary the launcher found (device, inode, size, mtime).
    assert.match(readFileSync(`${blob}.key`, 'utf8'), /^\d+:\d+:\d+:\d+\n$/);
    const second = await validateCmdline();
    assert.equal(snapshotOf(second.cmdline), blob, second.cmdline.join(' '));
    // the start-only V8 flags come first, on both paths
    const flags = STARTUP_FLAGS['validate'] ?? [];
    assert.ok(flags.length > 0);
    for (const run of [first, second]) assert.deepEqual(run.cmdline.slice(1, 1 + flags.length), flags, run.cmdline.join(' '));
    // the snapshot-only flags follow them from the snapshot, and never reach a start without one
    const snapshotFlags = SNAPSHOT_START_FLAGS['validate'] ?? [];
    assert.ok(snapshotFlags.length > 0);
    assert.deepEqual(second.cmdline.slice(1 + flags.length, 1 + flags.length + snapshotFlags.length), snapshotFlags, second.cmdline.join(' '));
    for (const flag of snapshotFlags) assert.ok(!first.cmdline.includes(flag), first.cmdline.join(' '));
    assert.equal(second.result.status, 0, second.result.stderr);
    assert.deepEqual(second.result, first.result, 'the same output and status from the snapshot');
  });

  it('prints from the snapshot and from the first-run script exactly what main.js prints, for good, bad, JSON, missing and deeply nested input', async () => {
    await waitFor(`${snapshotBlob('validate', env)}.key`);
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, BAD);
    // Deeper than the main thread's stack: validated on a worker thread (large-stack-worker.js).
    const deep = join(work, 'deep.yaml');
    writeFileSync(deep, `- rule: Deep\n  desc: d\n  condition: ${'('.repeat(1500)}evt.type = open${')'.repeat(1500)}\n  output: o\n  priority: INFO\n`);
    const cases = [
      ['validate', STABLE],
      ['validate', bad],
      ['validate', '--json', STABLE, bad],
      ['validate', '--falco-version', '0.42.1', join(work, 'good.yaml')],
      ['validate', '/no/such/file.yaml'],
      ['validate', deep],
      ['validate', '--help'],
      ['validate'],
    ];
    for (const args of cases) {
      const expected = viaMain(args);
      assert.deepEqual(viaLauncher(args), expected, args.join(' '));
      assert.deepEqual(viaFirstRunScript(args), expected, `${args.join(' ')} (first-run script)`);
    }
    assert.equal(viaLauncher(['validate', bad]).status, 1);
    assert.equal(viaLauncher(['validate', deep]).stdout, `${deep}: Ok\n`);
  });

  it('builds the snapshot only once the command that asked for it has ended', async () => {
    const cache = join(work, 'cache-waits');
    const waitEnv = { ...env, FALCONER_CACHE_DIR: cache };
    const blob = snapshotBlob('validate', waitEnv);
    const fifo = join(work, 'waits.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // validate blocks on the FIFO: the asking process stays alive until the rules are written
    const child = spawn(launcher, ['validate', fifo], { env: waitEnv, stdio: 'ignore' });
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    await waitFor(`${blob}.lock`, 30_000);
    await sleep(500);
    const building = (): string[][] => nodeCommandLines().filter((args) => args.includes('--build-snapshot') && args.some((a) => a.startsWith(cache)));
    assert.deepEqual(building(), [], 'no build runs while the command that asked is running');
    assert.equal(existsSync(`${blob}.key`), false);
    writeFileSync(fifo, GOOD);
    assert.equal(await closed, 0);
    await waitFor(`${blob}.key`);
    // The key is renamed into place before the build prunes older blobs and lets go of its lock.
    for (let i = 0; i < 100 && existsSync(`${blob}.lock`); i += 1) await sleep(50);
    assert.equal(existsSync(`${blob}.lock`), false, 'the build lets go of its lock when it ends');
  });

  it("prints Falconer's own version from main.js and from the snapshot, whatever npm_package_version says", async () => {
    await waitFor(`${snapshotBlob('validate', env)}.key`);
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    // npm sets this to the version of the package whose script runs, e.g. a user's own project
    const npmScript = { npm_package_version: '9.9.9-someone-else' };
    for (const args of [['--version'], ['validate', '--version']]) {
      const out = viaLauncher(args, npmScript);
      assert.deepEqual({ status: out.status, stdout: out.stdout }, { status: 0, stdout: `${version}\n` }, args.join(' '));
    }
  });

  it('is not used with another Node.js binary, nor when turned off', async () => {
    const blob = snapshotBlob('validate', env);
    await waitFor(`${blob}.key`);
    const key = readFileSync(`${blob}.key`, 'utf8');
    assert.ok((await validateCmdline({ FALCONER_NO_SNAPSHOT: '1' })).cmdline.some((a) => a.endsWith('/main.js')));
    try {
      // What a Node.js upgrade in place looks like to the launcher: another binary identity.
      writeFileSync(`${blob}.key`, '1:2:3:4\n');
      const other = await validateCmdline();
      assert.ok(other.cmdline.some((a) => a.endsWith(`/${VALIDATE_FIRST_RUN}`)), other.cmdline.join(' '));
      assert.equal(snapshotOf(other.cmdline), undefined, other.cmdline.join(' '));
      assert.equal(other.result.status, 0);
      // ...and it asks for a new one, which replaces the key.
      for (let i = 0; i < 600 && readFileSync(`${blob}.key`, 'utf8') !== key; i += 1) await sleep(100);
      assert.equal(readFileSync(`${blob}.key`, 'utf8'), key);
    } finally {
      writeFileSync(`${blob}.key`, key);
    }
  });

  it('serves MCP over stdio from main.js first, then from the snapshot: tools/list, and exit 0 at the end of stdin', async () => {
    const blob = snapshotBlob('mcp', env);
    assert.equal(existsSync(blob), false);
    const args = ['--read-only', '--kubeconfig', unreachableKubeconfig(join(work, 'kubeconfig'))];
    const first = await mcpToolsList(launcher, env, args);
    assert.ok(first.cmdline.some((a) => a.endsWith('/dist/cli/main.js')), first.cmdline.join(' '));
    await waitFor(`${blob}.key`);
    const second = await mcpToolsList(launcher, env, args);
    assert.equal(snapshotOf(second.cmdline), blob);
    for (const { tools, code, stderr } of [first, second]) {
      assert.ok(tools.includes('falco_validate_rules') && tools.includes('falco_get_version'), tools.join(', '));
      assert.equal(tools.includes('falco_start_monitoring'), false, '--read-only was read from the command line');
      assert.equal(code, 0, stderr);
    }
    assert.deepEqual(second.tools, first.tools);
  });
});
