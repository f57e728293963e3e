/**
 * writeOut (src/cli/write-out.ts), which `falconer validate` prints with: every byte reaches a
 * reader slower than the writer on a non-blocking descriptor (EAGAIN waited on), and a reader that
 * goes away ends the writing quietly (EPIPE), the process exiting as it would have.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const work = mkdtempSync(join(tmpdir(), 'falconer-write-out-'));
const module = new URL('../../src/cli/write-out.ts', import.meta.url).href;
const SIZE = 1 << 20;

/** A process that opens `fifo` non-blocking for writing and writes SIZE bytes to it with writeOut. */
function writer(fifo: string): ReturnType<typeof spawn> {
  const script = [
    `const { openSync, constants } = await import('node:fs');`,
    `const { writeOut } = await import(${JSON.stringify(module)});`,
    `const fd = openSync(${JSON.stringify(fifo)}, constants.O_WRONLY | constants.O_NONBLOCK);`,
    `writeOut(fd, 'x'.repeat(${SIZE - 1}) + '\\n');`,
    `process.stderr.write('written');`,
  ].join('\n');
  return spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function ended(child: ReturnType<typeof spawn>): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/**
 * A shell that opens the FIFO for reading and writing (on Linux that never blocks, and it lets the
 * writer's non-blocking open succeed), says so, then runs `then` with the FIFO on descriptor 3.
 */
async function reader(fifo: string, then: string): Promise<{ output: Promise<string> }> {
  const sh = spawn('sh', ['-c', `exec 3<>"$1"; echo ready; ${then}`, 'sh', fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const ready = new Promise<void>((resolve) => sh.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) resolve();
  }));
  const output = new Promise<string>((resolve) => sh.on('close', () => resolve(out.slice('ready\n'.length))));
  await ready;
  return { output };
}

describe('writeOut', () => {
  after(() => rmSync(work, { recursive: true, force: true }));

  it('delivers every byte to a slow reader of a non-blocking descriptor', async () => {
    const fifo = join(work, 'slow');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // the reader stalls before counting: the FIFO fills and the writes meet EAGAIN
    const { output } = await reader(fifo, `head -c ${SIZE} <&3 | { sleep 0.3; wc -c; }`);
    const result = await ended(writer(fifo));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, 'written');
    assert.equal(Number((await output).trim()), SIZE);
  });

  it('stops quietly when the reader goes away', async () => {
    const fifo = join(work, 'gone');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // reads one byte and ends, closing the FIFO's only reading end
    const { output } = await reader(fifo, 'head -c 1 <&3 | wc -c');
    const result = await ended(writer(fifo));
    assert.equal((await output).trim(), '1');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, 'written');
  });
});
