import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * kwok serves pod logs the way a kubelet does: from files in the CRI log format, one
 * `<RFC3339Nano time> <stdout|stderr> F <text>` line per line of output. Plain text is refused
 * ("unsupported log format"), so every log a test maps to a pod goes through these helpers.
 */
export function criLines(text: string, stream: 'stdout' | 'stderr' = 'stdout', at: Date = new Date()): string {
  const stamp = at.toISOString().replace('Z', '000000Z');
  return text
    .split('\n')
    .filter((line, i, all) => !(i === all.length - 1 && line === ''))
    .map((line) => `${stamp} ${stream} F ${line}\n`)
    .join('');
}

export function appendCriLog(file: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
  appendFileSync(file, criLines(text, stream));
}

/** A fresh CRI log file holding `text` (for example a recorded real Falco output). */
export function criLogFileFrom(text: string, stream: 'stdout' | 'stderr' = 'stdout'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'falconer-cri-')), 'container.log');
  writeFileSync(file, criLines(text, stream));
  return file;
}

export function criLogFileFromFile(source: string): string {
  return criLogFileFrom(readFileSync(source, 'utf8'));
}
