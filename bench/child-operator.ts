/**
 * The operator as users run it, `falconer operator`, in its own process: the only way to see
 * its own memory. CPU and peak RSS come from /proc/<pid> (Linux).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

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

function cpuSeconds(pid: number): number {
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function statusKb(pid: number, key: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${key}:`));
  return Number(line?.split(/\s+/)[1] ?? NaN);
}

/**
 * Starts the operator on one namespace and waits until its CPU time stops growing (quiet for
 * `quietMs`), bounded by `timeoutMs`; then reads its figures and stops it with SIGTERM.
 */
export async function measureChildOperator(kubeconfigPath: string, namespace: string, timeoutMs: number, quietMs = 3_000): Promise<ChildFigures> {
  const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const args = [main, 'operator', '--kubeconfig', kubeconfigPath, '--namespace', namespace, '--metrics-port', '0', '--health-port', '0', '--bind-address', '127.0.0.1'];
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
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
