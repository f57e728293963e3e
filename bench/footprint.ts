/**
 * Footprint: what a user feels at start-up and what the operator holds, each next to the program
 * it competes with, measured alternately in one run.
 *
 * - `falconer validate` (the shipped launcher, a new process each time) against the real Falco
 *   0.42.1's `falco -V` on the same rules file: wall time and peak RSS, on a first run (no
 *   caches), with the compile cache but the startup snapshot off, and from the snapshot.
 * - `falconer mcp` over stdio: process start to the answer of the first `tools/list`, on a first
 *   run and from the snapshot.
 * - The operator as deployed against the official falcosecurity/falco-operator, idle and with 50
 *   monitors (50 `Falco` instances for the official one): peak and settled RSS, CPU.
 *
 * Peak RSS of a short command is its rusage maxrss as GNU time reports it (`/usr/bin/time -f %M`);
 * of a long-running one, VmHWM from /proc. Wall time is measured here, around the spawn.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import { API_GROUP_VERSION } from '../src/api/names.ts';
import { BUNDLE_DIR, LAUNCHER, bundleCli } from '../src/build/bundle.ts';
import { launcherEnv, snapshotBlob } from '../test/support/shipped-cli.ts';
import { falcoRootfs } from '../test/support/falco-rootfs.ts';
import { cpuSeconds, deployedCommandLine, deployedEnv, deployedNodeFlags, statusKb } from './child-operator.ts';
import type { BenchCluster } from './cluster.ts';
import { inParallel } from './cluster.ts';
import { buildOfficialOperator, installOfficialCrds, officialFalco, officialVersion } from './official-operator.ts';
import type { Report } from './report.ts';
import { ratio, summarise } from './stats.ts';
import type { Spread } from './stats.ts';

const SECTION = '6 footprint';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RULES = fileURLToPath(new URL('../../shared/falco-rules/falco_rules.yaml', import.meta.url));
const GNU_TIME = '/usr/bin/time';

interface Run {
  wallMs: number;
  /** User + system CPU time: unlike wall time, hardly moved by other work on the machine. */
  cpuMs: number;
  peakMb: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end under GNU time; wall time from spawn to exit as seen from here. */
async function measured(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-footprint-'));
  const out = join(dir, 'rusage');
  try {
    const started = performance.now();
    const child = spawn(GNU_TIME, ['-f', '%M %U %S', '-o', out, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const status = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const wallMs = performance.now() - started;
    const [kb, user, system] = (readFileSync(out, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    return { wallMs, cpuMs: ((user ?? NaN) + (system ?? NaN)) * 1000, peakMb: (kb ?? NaN) / 1024, status, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The real Falco 0.42.1 in a view of its root filesystem: a private mount namespace, held open by
 * a sleeping process, where /proc is mounted (Falco reads it at start) and the rules file is bound
 * in. Each measured run enters it with nsenter and chroot, which exec into falco (one process).
 */
interface FalcoView {
  argv: string[];
  close(): void;
}

async function openFalcoView(rulesFile: string): Promise<FalcoView> {
  const rootfs = falcoRootfs('0.42.1').dir;
  const inside = '/tmp/falconer-footprint-rules.yaml';
  writeFileSync(join(rootfs, inside), '');
  const script = 'mount --rbind /proc "$1/proc" && mount --bind "$2" "$1$3" && echo ready && exec sleep 3600';
  const holder = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', rootfs, rulesFile, inside], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  holder.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const ready = await new Promise<boolean>((resolve) => {
    createInterface({ input: holder.stdout }).once('line', (l) => resolve(l === 'ready'));
    holder.once('exit', () => resolve(false));
  });
  if (!ready) throw new Error(`could not prepare Falco's root filesystem view: ${stderr.trim()}`);
  return {
    argv: ['nsenter', '-t', String(holder.pid), '-m', 'chroot', rootfs, '/usr/bin/falco', '-V', inside],
    close: () => void holder.kill('SIGKILL'),
  };
}

function add(report: Report, name: string, unit: 'ms' | 'MB', value: Spread, note?: string): void {
  report.add({ section: SECTION, name, unit, value, ...(note === undefined ? {} : { note }) });
}

function addRatio(report: Report, name: string, a: Spread, b: Spread, limit: number): void {
  const x = ratio(a, b);
  report.add({ section: SECTION, name, unit: 'x', value: x, goal: { text: `≤ ${limit}x`, met: x <= limit } });
}

/**
 * Waits until the background build of a snapshot is over (its lock gone, its key written); throws
 * when it failed or takes over a minute.
 */
async function snapshotSettled(blob: string): Promise<void> {
  for (const deadline = Date.now() + 60_000; existsSync(`${blob}.lock`) || !existsSync(`${blob}.key`); await sleep(20)) {
    if (existsSync(`${blob}.failed`)) throw new Error(`the startup snapshot build failed (${blob}.failed)`);
    if (Date.now() > deadline) throw new Error(`the startup snapshot was not built within 60 s (${blob})`);
  }
}

/**
 * Cold `falconer validate` (a new process each time, through the launcher as users run it) vs
 * `falco -V`, alternated: the first run on a machine (no caches), later runs (from the startup
 * snapshot), and for comparison the compile cache alone (snapshot turned off).
 */
async function validateVsFalco(report: Report, main: string, runs: number): Promise<void> {
  if (!existsSync(GNU_TIME)) {
    report.na(SECTION, 'falconer validate vs falco -V', 'x', `${GNU_TIME} (GNU time, Debian package \`time\`) is not installed`);
    return;
  }
  const view = await openFalcoView(RULES);
  const warmCache = mkdtempSync(join(tmpdir(), 'falconer-footprint-cache-'));
  const launcher = join(dirname(main), LAUNCHER);
  const validate = (cache: string, extra: NodeJS.ProcessEnv = {}): Promise<Run> =>
    measured([launcher, 'validate', RULES], launcherEnv({ ...process.env, FALCONER_CACHE_DIR: cache, ...extra }));
  const cases = {
    falco: async (): Promise<Run> => measured(view.argv, process.env),
    cold: async (): Promise<Run> => {
      // A cache folder that does not exist yet: the first run on a machine. The launcher starts
      // the snapshot's build in the background, waited for here, unmeasured, so that it does not
      // run into the next sample, and runs validate from its first-run script (dist/cli/validate.cjs).
      const dir = join(mkdtempSync(join(tmpdir(), 'falconer-footprint-cold-')), 'cache');
      try {
        const run = await validate(dir);
        await snapshotSettled(snapshotBlob('validate', { FALCONER_CACHE_DIR: dir }, launcher));
        return run;
      } finally {
        rmSync(dirname(dir), { recursive: true, force: true });
      }
    },
    // Warm compile cache, snapshot turned off: what the snapshot adds on top of the compile cache.
    compiled: async (): Promise<Run> => validate(warmCache, { FALCONER_NO_SNAPSHOT: '1' }),
    warm: async (): Promise<Run> => validate(warmCache),
  };
  const names = Object.keys(cases) as Array<keyof typeof cases>;
  const samples = Object.fromEntries(names.map((n) => [n, [] as Run[]])) as Record<keyof typeof cases, Run[]>;
  try {
    for (const name of names) {
      const first = await cases[name]();
      // Both print `<file>: Ok` for this file and exit 0, or the comparison is void.
      if (first.status !== 0 || !/: Ok$/m.test(first.stdout)) throw new Error(`${name} did not validate the file: ${first.stderr.slice(-500)}`);
    }
    // The warm cache got its compile cache (the snapshot-off run) and its snapshot from those runs.
    await snapshotSettled(snapshotBlob('validate', { FALCONER_CACHE_DIR: warmCache }, launcher));
    for (let run = 0; run < runs; run += 1) {
      // Rotate the order: no side always runs right after another's page-cache or CPU burst.
      for (let k = 0; k < names.length; k += 1) {
        const name = names[(run + k) % names.length] as keyof typeof cases;
        samples[name].push(await cases[name]());
      }
    }
  } finally {
    view.close();
    rmSync(warmCache, { recursive: true, force: true });
  }
  const wall = (n: keyof typeof cases): Spread => summarise(samples[n].map((r) => r.wallMs));
  const peak = (n: keyof typeof cases): Spread => summarise(samples[n].map((r) => r.peakMb));
  const cpu = (n: keyof typeof cases): Spread => summarise(samples[n].map((r) => r.cpuMs));
  add(report, 'falco -V falco_rules.yaml (real Falco 0.42.1): wall', 'ms', wall('falco'), 'nsenter + chroot into its root filesystem');
  add(report, 'falco -V falco_rules.yaml: peak RSS', 'MB', peak('falco'));
  add(report, 'falconer validate falco_rules.yaml, first run (no caches): wall', 'ms', wall('cold'), 'the launcher: starts the snapshot build, runs the first-run script');
  add(report, 'falconer validate, first run (no caches): peak RSS', 'MB', peak('cold'));
  add(report, 'falconer validate, compile cache warm, snapshot off: wall', 'ms', wall('compiled'), 'FALCONER_NO_SNAPSHOT=1');
  add(report, 'falconer validate, compile cache warm, snapshot off: peak RSS', 'MB', peak('compiled'));
  add(report, 'falconer validate, later runs (from the snapshot): wall', 'ms', wall('warm'));
  add(report, 'falconer validate, later runs (from the snapshot): peak RSS', 'MB', peak('warm'));
  add(report, 'CPU (user + system): falco -V', 'ms', cpu('falco'), 'GNU time, 10 ms resolution');
  add(report, 'CPU (user + system): falconer validate, first run', 'ms', cpu('cold'), 'not counting the snapshot build, which runs detached');
  add(report, 'CPU (user + system): falconer validate, compile cache, snapshot off', 'ms', cpu('compiled'));
  add(report, 'CPU (user + system): falconer validate, from the snapshot', 'ms', cpu('warm'));
  addRatio(report, '  first run / falco -V, wall', wall('cold'), wall('falco'), 1.2);
  addRatio(report, '  first run / falco -V, peak RSS', peak('cold'), peak('falco'), 1.2);
  addRatio(report, '  from the snapshot / falco -V, wall', wall('warm'), wall('falco'), 1.2);
  addRatio(report, '  from the snapshot / falco -V, peak RSS', peak('warm'), peak('falco'), 1.2);
  report.add({ section: SECTION, name: '  compile cache, snapshot off / falco -V, wall', unit: 'x', value: ratio(wall('compiled'), wall('falco')) });
  report.add({ section: SECTION, name: '  first run / falco -V, CPU', unit: 'x', value: ratio(cpu('cold'), cpu('falco')) });
  report.add({ section: SECTION, name: '  from the snapshot / falco -V, CPU', unit: 'x', value: ratio(cpu('warm'), cpu('falco')) });
}

/** Spawns `falconer mcp` (stdio) and sends initialize + tools/list at once; ms until the answer. */
async function mcpFirstToolsList(launcher: string, kubeconfig: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; cpuMs: number; peakMb: number; tools: number }> {
  const started = performance.now();
  // launcherEnv drops a prebuilt folder the machine names; one the caller names stays
  const prebuilt = env['FALCONER_SNAPSHOT_DIR'];
  const childEnv = { ...launcherEnv(env), ...(prebuilt === undefined ? {} : { FALCONER_SNAPSHOT_DIR: prebuilt }) };
  const child = spawn(launcher, ['mcp', '--kubeconfig', kubeconfig], { env: childEnv, stdio: ['pipe', 'pipe', 'ignore'] });
  const messages = [
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'falconer-bench', version: '0' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/list' },
  ];
  child.stdin.write(messages.map((m) => `${JSON.stringify(m)}\n`).join(''));
  try {
    const answer = await new Promise<{ ms: number; tools: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('falconer mcp did not answer tools/list within 30 s')), 30_000);
      child.once('exit', (code) => reject(new Error(`falconer mcp exited with ${code} before answering tools/list`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const msg = JSON.parse(line) as { id?: number; result?: { tools?: unknown[] } };
        if (msg.id !== 2) return;
        clearTimeout(timer);
        resolve({ ms: performance.now() - started, tools: msg.result?.tools?.length ?? 0 });
      });
    });
    return { ...answer, cpuMs: cpuSeconds(child.pid ?? 0) * 1000, peakMb: statusKb(child.pid ?? 0, 'VmHWM') / 1024 };
  } finally {
    child.kill('SIGTERM');
  }
}

async function mcpStart(report: Report, main: string, runs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-footprint-mcp-'));
  const launcher = join(dirname(main), LAUNCHER);
  // tools/list needs no cluster: a kubeconfig that points nowhere is enough to start.
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n');
  const warmCache = join(dir, 'warm');
  const prebuiltDir = join(dir, 'prebuilt');
  const cold: number[] = [];
  const warm: number[] = [];
  const prebuilt: number[] = [];
  const peaks: number[] = [];
  const cpus: number[] = [];
  // A prebuilt folder only where an arm names one (the image sets it; a developer's shell might):
  // launcherEnv leaves out the machine's.
  const baseEnv = launcherEnv(process.env);
  try {
    // The warm cache's first start: it writes the compile cache and has the snapshot built.
    await mcpFirstToolsList(launcher, kubeconfig, { ...baseEnv, FALCONER_CACHE_DIR: warmCache });
    await snapshotSettled(snapshotBlob('mcp', { FALCONER_CACHE_DIR: warmCache }, launcher));
    // What the image does at build time (Dockerfile): snapshots built ahead into a read-only folder.
    const built = spawnSync(launcher, ['snapshots', 'build', '--into', prebuiltDir], { encoding: 'utf8', env: { ...baseEnv, FALCONER_CACHE_DIR: join(dir, 'build-cache') } });
    if (built.status !== 0) throw new Error(`falconer snapshots build failed: ${built.stderr}`);
    for (let run = 0; run < runs; run += 1) {
      const coldCache = join(dir, `cold-${run}`);
      cold.push((await mcpFirstToolsList(launcher, kubeconfig, { ...baseEnv, FALCONER_CACHE_DIR: coldCache })).ms);
      // Its snapshot build, unmeasured, must not run into the next sample.
      await snapshotSettled(snapshotBlob('mcp', { FALCONER_CACHE_DIR: coldCache }, launcher));
      rmSync(coldCache, { recursive: true, force: true });
      // A first start with an empty cache beside a prebuilt folder, as each start of the image is.
      const imageCache = join(dir, `image-${run}`);
      prebuilt.push((await mcpFirstToolsList(launcher, kubeconfig, { ...baseEnv, FALCONER_CACHE_DIR: imageCache, FALCONER_SNAPSHOT_DIR: prebuiltDir })).ms);
      if (existsSync(join(imageCache, 'snapshots'))) throw new Error('a start from the prebuilt folder built a snapshot into the cache');
      rmSync(imageCache, { recursive: true, force: true });
      const w = await mcpFirstToolsList(launcher, kubeconfig, { ...baseEnv, FALCONER_CACHE_DIR: warmCache });
      if (w.tools === 0) throw new Error('falconer mcp listed no tools');
      warm.push(w.ms);
      peaks.push(w.peakMb);
      cpus.push(w.cpuMs);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const coldSpread = summarise(cold);
  const warmSpread = summarise(warm);
  report.add({ section: SECTION, name: 'falconer mcp (stdio): process start → tools/list answered, first run (no caches)', unit: 'ms', value: coldSpread, goal: { text: '≤ 150 ms', met: coldSpread.median <= 150 } });
  report.add({ section: SECTION, name: 'falconer mcp (stdio): process start → tools/list answered, later runs (from the snapshot)', unit: 'ms', value: warmSpread, goal: { text: '≤ 150 ms', met: warmSpread.median <= 150 } });
  const prebuiltSpread = summarise(prebuilt);
  report.add({
    section: SECTION,
    name: 'falconer mcp (stdio): process start → tools/list answered, first run beside a prebuilt snapshot folder (as the image starts)',
    unit: 'ms',
    value: prebuiltSpread,
    goal: { text: '≤ 150 ms', met: prebuiltSpread.median <= 150 },
    note: 'falconer snapshots build --into, FALCONER_SNAPSHOT_DIR; empty cache',
  });
  add(report, 'falconer mcp (stdio): RSS when tools/list is answered (VmHWM), from the snapshot', 'MB', summarise(peaks));
  add(report, 'falconer mcp (stdio): CPU used when tools/list is answered, from the snapshot', 'ms', summarise(cpus), '/proc, 10 ms resolution; robust to load');
}

/** A long-running operator process, sampled from /proc. */
interface Watched {
  figures(): { cpuSeconds: number; peakMb: number; rssMb: number };
  /** Waits until its CPU time stops growing for `quietMs` (or `timeoutMs` passes). */
  settle(quietMs: number, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

function watch(command: string, args: readonly string[], env: Record<string, string> = {}): Watched {
  const child = spawn(command, args, { stdio: 'ignore', env: { ...process.env, ...env } });
  const pid = child.pid ?? 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  return {
    figures: () => ({ cpuSeconds: cpuSeconds(pid), peakMb: statusKb(pid, 'VmHWM') / 1024, rssMb: statusKb(pid, 'VmRSS') / 1024 }),
    async settle(quietMs, timeoutMs) {
      let last = cpuSeconds(pid);
      let quietSince = Date.now();
      while (Date.now() - started < timeoutMs) {
        await sleep(100);
        if (child.exitCode !== null) throw new Error(`${command} exited early with code ${child.exitCode}`);
        const now = cpuSeconds(pid);
        // 10 ms of CPU per 100 ms is background (timers, watch keep-alives), not work.
        if (now - last > 0.01) quietSince = Date.now();
        last = now;
        if (Date.now() - quietSince >= quietMs && Date.now() - started > 2_000) return true;
      }
      return false;
    },
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

interface OperatorSide {
  label: string;
  start(kubeconfig: string): Watched;
  /** Creates `count` monitors (or instances) in `namespace`. */
  populate(namespace: string, count: number): Promise<void>;
}

interface Sample {
  cpuSeconds: number;
  peakMb: number;
  settledMb: number;
  settled: boolean;
}

/**
 * One measurement: the objects first, then the operator started on them and left to settle;
 * the namespace is deleted while it still runs (so its finalizers are served) before it stops.
 */
async function measureSide(bench: BenchCluster, side: OperatorSide, count: number): Promise<Sample> {
  const ns = await bench.createNamespace('bench-footprint');
  await bench.verifySucceeds(ns);
  await side.populate(ns, count);
  const op = side.start(bench.cluster.kubeconfigPath);
  try {
    const settled = await op.settle(3_000, 180_000);
    const f = op.figures();
    return { cpuSeconds: f.cpuSeconds, peakMb: f.peakMb, settledMb: f.rssMb, settled };
  } finally {
    await bench.deleteNamespace(ns);
    await bench.waitForNamespaceGone(ns, 120_000);
    await op.stop();
  }
}

function sides(bench: BenchCluster, falconerMain: string, officialBinary: string): OperatorSide[] {
  const api = KubernetesObjectApi.makeApiClient(bench.kc);
  const apply = async (obj: KubernetesObject): Promise<void> => {
    await api.patch(obj, undefined, undefined, 'falconer-bench', true, PatchStrategy.ServerSideApply);
  };
  const flags = deployedNodeFlags();
  const env = deployedEnv();
  return [
    {
      label: `falconer operator (as deployed: ${deployedCommandLine()})`,
      // All namespaces, as deployed; no leader election (one replica here).
      start: (kubeconfig) => watch(process.execPath, [...flags, falconerMain, 'operator', '--kubeconfig', kubeconfig, '--metrics-port', '0', '--health-port', '0', '--bind-address', '127.0.0.1'], env),
      populate: (ns, count) =>
        inParallel(Array.from({ length: count }, (_, i) => i), 8, (i) =>
          apply({ apiVersion: API_GROUP_VERSION, kind: 'FalcoMonitor', metadata: { name: `m${i}`, namespace: ns }, spec: { ruleSets: { selector: {} } } } as KubernetesObject),
        ),
    },
    {
      label: `official falco-operator ${officialVersion()} (cmd/instance)`,
      start: (kubeconfig) => watch(officialBinary, ['--kubeconfig', kubeconfig, '--metrics-bind-address=0', '--health-probe-bind-address=0', '--leader-elect=false']),
      populate: (ns, count) => inParallel(Array.from({ length: count }, (_, i) => i), 8, (i) => apply(officialFalco(ns, `f${i}`))),
    },
  ];
}

async function operatorsSideBySide(bench: BenchCluster, report: Report, falconerMain: string, rounds: number, onStep: (m: string) => void): Promise<void> {
  let official: string;
  try {
    official = await buildOfficialOperator(onStep);
    await installOfficialCrds(bench.kc);
  } catch (err) {
    report.na(SECTION, 'official falco-operator side by side', 'MB', `could not build or install it: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    return;
  }
  const [falconer, theirs] = sides(bench, falconerMain, official);
  if (falconer === undefined || theirs === undefined) return;
  for (const count of [0, 50]) {
    const what = count === 0 ? 'idle (no monitors)' : `${count} monitors / ${count} Falco instances`;
    onStep(`operators side by side, ${what}`);
    const ours: Sample[] = [];
    const them: Sample[] = [];
    for (let round = 0; round < rounds; round += 1) {
      // Alternate which goes first.
      const order = round % 2 === 0 ? [falconer, theirs] : [theirs, falconer];
      for (const side of order) (side === falconer ? ours : them).push(await measureSide(bench, side, count));
    }
    for (const [side, samples] of [[falconer, ours], [theirs, them]] as const) {
      const unsettled = samples.filter((s) => !s.settled).length;
      const note = unsettled > 0 ? `${unsettled} run(s) did not settle in 180 s` : undefined;
      add(report, `${side.label}, ${what}: peak RSS (VmHWM)`, 'MB', summarise(samples.map((s) => s.peakMb)), note);
      add(report, `${side.label}, ${what}: settled RSS`, 'MB', summarise(samples.map((s) => s.settledMb)));
      report.add({ section: SECTION, name: `${side.label}, ${what}: CPU from exec to settled`, unit: 's', value: summarise(samples.map((s) => s.cpuSeconds)) });
    }
    addRatio(report, `  falconer / official, ${what}, peak RSS`, summarise(ours.map((s) => s.peakMb)), summarise(them.map((s) => s.peakMb)), 1.3);
    addRatio(report, `  falconer / official, ${what}, settled RSS`, summarise(ours.map((s) => s.settledMb)), summarise(them.map((s) => s.settledMb)), 1.3);
  }
}

export interface FootprintOptions {
  quick: boolean;
}

/** The parts that need no cluster: validate vs falco -V, and MCP start-up. */
export async function benchFootprintLocal(report: Report, options: FootprintOptions): Promise<string> {
  await bundleCli(`${ROOT}${BUNDLE_DIR}`);
  const main = `${ROOT}${BUNDLE_DIR}/main.js`;
  await validateVsFalco(report, main, options.quick ? 5 : 11);
  await mcpStart(report, main, options.quick ? 5 : 11);
  return main;
}

/** The operator next to the official one, on the benchmark's cluster. */
export async function benchFootprintOperators(bench: BenchCluster, report: Report, main: string, options: FootprintOptions, onStep: (m: string) => void): Promise<void> {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    report.na(SECTION, 'official falco-operator side by side', 'MB', 'Go is not installed');
    return;
  }
  await operatorsSideBySide(bench, report, main, options.quick ? 2 : 3, onStep);
}
