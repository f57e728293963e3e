/**
 * `falconer operator` as users run it, in its own process: the only way to SIGKILL it the way
 * the kubelet does on an OOM kill or a node crash (no shutdown hook, the Lease not released).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../../support/eventually.ts';
import { shippedCli } from '../../support/shipped-cli.ts';

const MAIN = shippedCli();

export interface OperatorProcess {
  pid: number;
  /** The namespace it watches, when it watches one. */
  namespace: string;
  logFile: string;
  alive(): boolean;
  /** The Lease holder identity it logged at start-up. */
  identity(): Promise<string>;
  kill9(): Promise<void>;
  /** SIGTERM: the graceful path (releases the Lease, finishes reconciles in flight). */
  stop(): Promise<void>;
}

export interface OperatorProcessOptions {
  kubeconfigPath: string;
  logDir: string;
  name: string;
  /** Lease namespace; without it the replica runs without leader election. */
  leaseNamespace?: string;
  /** Watch one namespace only. */
  namespace?: string;
}

let peakRss = 0;

/** The highest VmHWM (peak resident set) seen in any operator process this test file started. */
export function peakOperatorRss(): number {
  return peakRss;
}

function sampleRss(pid: number): void {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m?.[1] !== undefined) peakRss = Math.max(peakRss, Number(m[1]) * 1024);
  } catch {
    // Gone between two samples: its last sample stands.
  }
}

export function spawnOperator(o: OperatorProcessOptions): OperatorProcess {
  const logFile = join(o.logDir, `${o.name}.log`);
  const fd = openSync(logFile, 'a');
  // kwok's pods serve no /metrics, and their made-up IPs must not be dialled.
  const args = [MAIN, 'operator', '--kubeconfig', o.kubeconfigPath, '--metrics-port', '0', '--health-port', '0', '--bind-address', '127.0.0.1', '--falco-metrics', 'off'];
  if (o.namespace !== undefined) args.push('--namespace', o.namespace);
  if (o.leaseNamespace !== undefined) args.push('--leader-elect', '--lease-namespace', o.leaseNamespace);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, FALCONER_LOG_FORMAT: 'json', FALCONER_LOG_LEVEL: process.env['FALCONER_FAULTS_OPERATOR_LOG_LEVEL'] ?? 'info' },
  });
  closeSync(fd);
  const pid = child.pid ?? -1;
  let exited = false;
  child.once('exit', () => (exited = true));
  // Sampled while it runs: after a SIGKILL there is nothing left to read.
  const sampler = setInterval(() => sampleRss(pid), 250);
  sampler.unref();
  child.once('exit', () => clearInterval(sampler));
  const waitExit = async (timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!exited && Date.now() < deadline) await sleep(20);
  };
  return {
    pid,
    namespace: o.namespace ?? '',
    logFile,
    alive: () => !exited,
    async identity() {
      let id = '';
      await eventually(`operator ${o.name} to log its identity`, async () => {
        const m = /"identity":"([^"]+)"/.exec(readFileSync(logFile, 'utf8'));
        id = m?.[1] ?? '';
        return id !== '';
      }, 30_000, 100);
      return id;
    },
    async kill9() {
      sampleRss(pid);
      child.kill('SIGKILL');
      await waitExit(5_000);
    },
    async stop() {
      if (exited) return;
      sampleRss(pid);
      child.kill('SIGTERM');
      await waitExit(15_000);
      if (!exited) child.kill('SIGKILL');
      await waitExit(5_000);
    },
  };
}
