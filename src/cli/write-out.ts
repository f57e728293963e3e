import { writeSync } from 'node:fs';

/**
 * Writes all of `text` to a file descriptor (1 or 2) before returning, without `process.stdout`
 * or `process.stderr`: creating either stream on first use loads Node's stream and socket modules,
 * ~3 ms for a pipe, which `falconer validate` paid on every run to print a line or two
 * (docs/benchmarks.md, Footprint). For a command that prints its result once and exits.
 *
 * A descriptor left non-blocking (EAGAIN: the reader is slower) is waited on, 1 ms at a time; a
 * reader that went away (EPIPE, `falconer validate … | head -1`) ends the writing quietly.
 */
export function writeOut(fd: number, text: string): void {
  let rest = Buffer.from(text, 'utf8');
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}
