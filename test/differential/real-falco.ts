/**
 * Runs the real Falco binary (`falco -V <file> -o json_output=true`) on generated rules files.
 *
 * One long-lived mount namespace per worker holds the root filesystem's view: `/proc` bound in
 * (Falco reads `/proc/self/cmdline` and stops without it) and a private folder bound at one fixed
 * path, so every file is validated under the same name and results carry no worker-specific
 * paths. Each file is then one `chroot … falco` process started by a shell that lives in that
 * namespace (~35 ms here): Falco keeps one rules collector across several `-V` files (a macro
 * from the first file is known in the second), so files cannot share a Falco process without
 * leaking definitions into each other.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
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

/** Exit statuses of the worker's shell that are not Falco's own. */
const TIMEOUT_STATUS = 124;

function statusOf(rc: number): number | string {
  if (rc === TIMEOUT_STATUS) return 'timeout';
  if (rc > 128) {
    const name = Object.entries(constants.signals).find(([, n]) => n === rc - 128)?.[0];
    return `signal:${name ?? rc - 128}`;
  }
  return rc;
}

/**
 * One mount namespace and, inside it, one shell that runs Falco once per line it reads and
 * answers with the exit status: no `nsenter` and no process spawned from Node per file (that
 * halved the throughput). Falco's stdout and stderr go to files in the worker's own folder.
 */
class Worker {
  private readonly holder: ChildProcess;
  private readonly hostDir: string;
  private readonly answers: Array<(line: string) => void> = [];
  private buffered = '';

  constructor(rootfs: string) {
    mkdirSync(join(rootfs, CASE_DIR), { recursive: true });
    this.hostDir = mkdtempSync(join(rootfs, 'tmp', 'falconer-differential-w-'));
    const out = join(this.hostDir, 'stdout');
    const err = join(this.hostDir, 'stderr');
    const falco = `timeout -s KILL ${TIMEOUT_MS / 1000} chroot '${rootfs}' /usr/bin/falco -V ${CASE_PATH} -o json_output=true`;
    const script = [
      'set -e',
      `mount --rbind /proc '${rootfs}/proc'`,
      `mount --bind '${this.hostDir}' '${join(rootfs, CASE_DIR)}'`,
      'set +e',
      'echo ready',
      // timeout(1) answers 137 for its KILL; reported as 124 so a real SIGKILL stays distinct
      `while read -r _; do ${falco} >'${out}' 2>'${err}'; rc=$?; [ $rc -eq 137 ] && [ ! -s '${out}' ] && rc=${TIMEOUT_STATUS}; echo $rc; done`,
    ].join('\n');
    this.holder = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.holder.stdout?.setEncoding('utf8');
    this.holder.stdout?.on('data', (chunk: string) => {
      this.buffered += chunk;
      for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        this.answers.shift()?.(line);
      }
    });
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.holder.once('exit', (code) => reject(new Error(`falco namespace holder exited (${code}) before it was ready`)));
      this.answers.push(() => resolve());
    });
  }

  run(content: Buffer | string): Promise<FalcoRun> {
    writeFileSync(join(this.hostDir, 'rules.yaml'), content);
    return new Promise((resolve, reject) => {
      this.answers.push((line) => {
        const rc = Number(line);
        if (!Number.isInteger(rc)) {
          reject(new Error(`the Falco worker answered '${line}' instead of an exit status`));
          return;
        }
        const stdout = readFileSync(join(this.hostDir, 'stdout'), 'utf8');
        const fatal = fatalLine(readFileSync(join(this.hostDir, 'stderr'), 'utf8'));
        resolve({ status: statusOf(rc), stdout, ...(stdout === '' && fatal !== undefined ? { fatal } : {}) });
      });
      this.holder.stdin?.write('next\n');
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
