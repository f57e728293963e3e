/**
 * Runs the real Falco binary (`falco -V <file> -o json_output=true`) on generated rules files.
 *
 * One long-lived mount namespace per worker holds the root filesystem's view: `/proc` bound in
 * (Falco reads `/proc/self/cmdline` and stops without it) and a private folder bound at one fixed
 * path, so every file is validated under the same name and results carry no worker-specific
 * paths. Each file is then one `nsenter … chroot … falco` process (~70 ms here): Falco keeps one
 * rules collector across several `-V` files, so files cannot share a process without leaking
 * definitions into each other.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { falcoRootfs, sharedFalcoAvailable } from '../support/falco-rootfs.ts';
import type { FalcoVersion } from '../support/falco-rootfs.ts';

/** The path every generated file has inside the root filesystem (and in both tools' output). */
export const CASE_DIR = '/tmp/falconer-differential';
export const CASE_PATH = `${CASE_DIR}/rules.yaml`;

export interface FalcoRun {
  /** Exit status, or `signal:<NAME>` when Falco crashed, or `timeout`. */
  readonly status: number | string;
  readonly stdout: string;
  /** Falco's `Error: …` line on stderr when it stopped (empty stdout), without the prefix. */
  readonly fatal?: string;
}

const TIMEOUT_MS = 20_000;

/**
 * Why Falco stopped: the last `Error: <reason>` line on stderr (reason only), or a logged
 * `Runtime error: …` line (without its timestamp prefix).
 */
export function fatalLine(stderr: string): string | undefined {
  let found: string | undefined;
  for (const line of stderr.split('\n')) {
    if (line.startsWith('Error: ')) found = line.slice('Error: '.length);
    const runtime = /^\S+: (Runtime error: .*)$/.exec(line);
    if (runtime?.[1] !== undefined) found = runtime[1];
  }
  return found;
}

class Worker {
  private readonly holder: ChildProcess;
  private readonly hostDir: string;
  private readonly rootfs: string;

  constructor(rootfs: string) {
    this.rootfs = rootfs;
    mkdirSync(join(rootfs, CASE_DIR), { recursive: true });
    this.hostDir = mkdtempSync(join(rootfs, 'tmp', 'falconer-differential-w-'));
    const script = [
      'set -e',
      `mount --rbind /proc '${rootfs}/proc'`,
      `mount --bind '${this.hostDir}' '${join(rootfs, CASE_DIR)}'`,
      'echo ready',
      'exec sleep 2147483647',
    ].join('\n');
    this.holder = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.holder.once('exit', (code) => reject(new Error(`falco namespace holder exited (${code}) before it was ready`)));
      this.holder.stdout?.once('data', () => resolve());
    });
  }

  run(content: Buffer | string): Promise<FalcoRun> {
    writeFileSync(join(this.hostDir, 'rules.yaml'), content);
    const pid = String(this.holder.pid);
    const args = ['-t', pid, '-m', 'chroot', this.rootfs, '/usr/bin/falco', '-V', CASE_PATH, '-o', 'json_output=true'];
    return new Promise((resolve, reject) => {
      const child = spawn('nsenter', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS, killSignal: 'SIGKILL' });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.once('error', reject);
      child.once('close', (code, signal) => {
        const stdout = Buffer.concat(out).toString('utf8');
        const fatal = fatalLine(Buffer.concat(err).toString('utf8'));
        const status = code !== null ? code : signal === 'SIGKILL' ? 'timeout' : `signal:${signal ?? '?'}`;
        resolve({ status, stdout, ...(stdout === '' && fatal !== undefined ? { fatal } : {}) });
      });
    });
  }

  close(): void {
    this.holder.kill('SIGKILL');
    rmSync(this.hostDir, { recursive: true, force: true });
  }
}

/** A small pool of workers (at most 2 here: the CI machine has 2 cores). */
export class RealFalco {
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<(w: Worker) => void> = [];
  readonly version: FalcoVersion;
  private readonly workers: Worker[];

  private constructor(version: FalcoVersion, workers: Worker[]) {
    this.version = version;
    this.workers = workers;
    this.idle.push(...workers);
  }

  static available(version: FalcoVersion): boolean {
    return process.getuid?.() === 0 && sharedFalcoAvailable(version);
  }

  static async start(version: FalcoVersion, workers = 2): Promise<RealFalco> {
    const { dir } = falcoRootfs(version);
    const pool = Array.from({ length: Math.max(1, Math.min(workers, 2)) }, () => new Worker(dir));
    await Promise.all(pool.map((w) => w.ready()));
    return new RealFalco(version, pool);
  }

  async run(content: Buffer | string): Promise<FalcoRun> {
    const worker = this.idle.pop() ?? (await new Promise<Worker>((resolve) => this.waiting.push(resolve)));
    try {
      return await worker.run(content);
    } finally {
      const next = this.waiting.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    }
  }

  close(): void {
    for (const w of this.workers) w.close();
  }
}
