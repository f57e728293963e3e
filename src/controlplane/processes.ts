import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProcessError } from '../core/errors.ts';

export interface ComponentProcess {
  name: string;
  pid: number;
  logFile: string;
  exited: () => { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

export interface StartOptions {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep running after this process exits (`falconer cluster up`); otherwise tied to us. */
  detached?: boolean;
}

/**
 * Starts one control-plane component in its own process group, output to a log file. The group
 * lets teardown signal the component and anything it forked with one kill(-pid).
 */
export function startProcess(options: StartOptions): ComponentProcess {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  if (child.pid === undefined) throw new ProcessError(`Could not start ${options.name} (${options.command})`);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.on('exit', (code, signal) => (exit = { code, signal }));
  child.on('error', () => (exit = { code: -1, signal: null }));
  // Never let a component keep our event loop alive: teardown is explicit (stop, exit guard, reaper).
  child.unref();
  return { name: options.name, pid: child.pid, logFile: options.logFile, exited: () => exit };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone: nothing to stop.
    }
  }
}

/** SIGTERM, then SIGKILL after the grace period: components get a chance to flush, never to linger. */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(50);
  }
  signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(20);
}

/** Synchronous last-resort kill for `process.on('exit')`, where no await is possible. */
export function killNow(pid: number): void {
  signalGroup(pid, 'SIGKILL');
}

/** The last lines of a component's log, for errors that say why it did not come up. */
export function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The command line of a running process, to tell our components from a reused pid. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}
