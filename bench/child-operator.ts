/**
 * The operator as users run it, in its own process: the only way to see its own memory. It
 * runs as shipped — the bundled CLI (dist/cli/, `npm run build`, what the image and the npm
 * package hold) under the node flags and environment of deploy/base/deployment.yaml — and, for
 * comparison, under Node's defaults. CPU and peak RSS come from /proc/<pid> (Linux).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseAllDocuments } from 'yaml';
import { BUNDLE_DIR, bundleCli } from '../src/build/bundle.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** How the child is started: node flags and the CLI script. */
export interface OperatorLaunch {
  /** What the report calls it, e.g. `node --optimize-for-size`. */
  label: string;
  nodeFlags: string[];
  /** Environment variables set on top of this process's (the Deployment's literal `env`). */
  env: Record<string, string>;
  main: string;
}

/**
 * Bundles the CLI the way the image does (npm run build → dist/cli/) and returns two launches:
 * as deployed (node flags from the operator Deployment's command) and with Node's defaults.
 */
export async function shippedOperator(): Promise<{ deployed: OperatorLaunch; defaults: OperatorLaunch }> {
  await bundleCli(`${ROOT}${BUNDLE_DIR}`);
  const main = `${ROOT}${BUNDLE_DIR}/main.js`;
  const nodeFlags = deployedNodeFlags();
  const env = deployedEnv();
  return {
    deployed: { label: `as deployed: ${deployedCommandLine()}`, nodeFlags, env, main },
    defaults: { label: "Node's defaults", nodeFlags: [], env: {}, main },
  };
}

interface Container {
  command?: string[];
  env?: Array<{ name: string; value?: string }>;
}

function deployedContainer(): Container {
  const docs = parseAllDocuments(readFileSync(`${ROOT}deploy/base/deployment.yaml`, 'utf8')).map((d) => d.toJS() as { kind?: string; spec?: { template?: { spec?: { containers?: Container[] } } } });
  const container = docs.find((d) => d.kind === 'Deployment')?.spec?.template?.spec?.containers?.[0];
  if (container === undefined) throw new Error('deploy/base/deployment.yaml: no operator container');
  return container;
}

/** The flags between `node` and the script in the operator Deployment's container command. */
export function deployedNodeFlags(): string[] {
  const command = deployedContainer().command;
  if (command === undefined || command[0] !== 'node') throw new Error('deploy/base/deployment.yaml: the operator container does not run `node …`');
  return command.slice(1, -1);
}

/** The container's environment variables with a literal value (those from the downward API are left out). */
export function deployedEnv(): Record<string, string> {
  return Object.fromEntries((deployedContainer().env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]])));
}

/** How the report names the deployed launch: `MALLOC_…=… node --flags`. */
export function deployedCommandLine(): string {
  const env = Object.entries(deployedEnv()).map(([k, v]) => `${k}=${v} `);
  return `${env.join('')}node ${deployedNodeFlags().join(' ')}`.trim();
}

export interface ChildFigures {
  /** CPU seconds from exec to settled: module loading, lists, and a reconcile of everything. */
  cpuSeconds: number;
  /** Wall time until the CPU went quiet. */
  settleSeconds: number;
  /** VmHWM: the highest resident set size the process reached. */
  peakRssMb: number;
  settled: boolean;
}

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU time (user + system) a live process has used so far. */
export function cpuSeconds(pid: number): number {
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** A kB figure of /proc/<pid>/status: VmHWM (peak resident set), VmRSS (resident now). */
export function statusKb(pid: number, key: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${key}:`));
  return Number(line?.split(/\s+/)[1] ?? NaN);
}

/**
 * Starts the operator on one namespace and waits until its CPU time stops growing (quiet for
 * `quietMs`), bounded by `timeoutMs`; then reads its figures and stops it with SIGTERM.
 */
export async function measureChildOperator(launch: OperatorLaunch, kubeconfigPath: string, namespace: string, timeoutMs: number, quietMs = 3_000): Promise<ChildFigures> {
  const args = [...launch.nodeFlags, launch.main, 'operator', '--kubeconfig', kubeconfigPath, '--namespace', namespace, '--metrics-port', '0', '--health-port', '0', '--bind-address', '127.0.0.1', '--falco-metrics', 'off'];
  const child = spawn(process.execPath, args, { stdio: 'ignore', env: { ...process.env, ...launch.env } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid ?? 0;
  const started = Date.now();
  let last = 0;
  let quietSince = Date.now();
  let settled = false;
  let settleAt = Date.now();
  try {
    while (Date.now() - started < timeoutMs && child.exitCode === null) {
      await sleep(100);
      const now = cpuSeconds(pid);
      // 10 ms of CPU per 100 ms poll is background (timers, watch keep-alives), not work.
      if (now - last > 0.01) {
        quietSince = Date.now();
        settleAt = Date.now();
      }
      last = now;
      if (Date.now() - quietSince >= quietMs && Date.now() - started > 2_000) {
        settled = true;
        break;
      }
    }
    if (child.exitCode !== null) throw new Error(`falconer operator exited early with code ${child.exitCode}`);
    return { cpuSeconds: last, settleSeconds: (settleAt - started) / 1000, peakRssMb: statusKb(pid, 'VmHWM') / 1024, settled };
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
