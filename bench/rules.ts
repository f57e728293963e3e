/**
 * Rules engine benchmark (a plain script, not a test): `node bench/rules.ts [runs]`.
 * Prints warm in-process load+validate medians (YAML parse cache off unless stated) for Falco's
 * published rules files and for
 * 1x/4x/16x copies of the stable file with renamed rules, then the cold `falconer validate` time.
 * CPU contention skews the figures: run it on an idle machine.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateRuleFiles } from '../src/rules/index.ts';
import type { RuleFile } from '../src/rules/index.ts';

const runs = Number(process.argv[2] ?? 30);
const shared = new URL('../../shared/falco-rules/', import.meta.url);
const read = (name: string): RuleFile => ({ name, content: readFileSync(new URL(name, shared), 'utf8') });
const stable = read('falco_rules.yaml');
const incubating = read('falco-incubating_rules.yaml');
const sandbox = read('falco-sandbox_rules.yaml');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Median of warm runs; without the parse cache unless `cached` (unchanged files revalidated). */
function warm(files: RuleFile[], cached = false): number {
  const options = { parseCache: cached };
  for (let i = 0; i < 5; i++) validateRuleFiles(files, options);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const v = validateRuleFiles(files, options);
    times.push(performance.now() - started);
    if (!v.ok) throw new Error(`benchmark input is invalid: ${v.errors[0]?.message}`);
  }
  return median(times);
}

/** The stable file repeated `copies` times in one document, rules renamed so they all count. */
function copies(count: number): RuleFile {
  const parts = Array.from({ length: count }, (_, i) =>
    i === 0 ? stable.content : stable.content.replace(/^- rule: (.*)$/gm, `- rule: $1 (copy ${i})`),
  );
  return { name: `stable-x${count}.yaml`, content: parts.join('\n') };
}

function cold(): number {
  const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const file = fileURLToPath(new URL('falco_rules.yaml', shared));
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [main, 'validate', file], { encoding: 'utf8' });
    times.push(performance.now() - started);
    if (r.status !== 0) throw new Error(`falconer validate failed: ${r.stderr}`);
  }
  return median(times);
}

const rows: Array<[string, string, string]> = [];
const row = (what: string, ms: number, goal: string): void => {
  rows.push([what, ms.toFixed(1), goal]);
};

row('stable (25 rules), warm', warm([stable]), '< 15');
row('stable (25 rules), warm, unchanged file (parse cache)', warm([stable], true), '');
row('stable + incubating + sandbox, warm', warm([stable, incubating, sandbox]), '< 60');
row('stable + incubating + sandbox, warm, parse cache', warm([stable, incubating, sandbox], true), '');
const x1 = warm([copies(1)]);
row('1x stable copies (25 rules), warm', x1, '');
const x4 = warm([copies(4)]);
row('4x stable copies (100 rules), warm', x4, `linear: ${(x1 * 4).toFixed(1)}`);
const x16 = warm([copies(16)]);
row('16x stable copies (400 rules), warm', x16, `linear: ${(x1 * 16).toFixed(1)}`);
row('falconer validate stable, cold CLI', cold(), '< 300');

const width = Math.max(...rows.map((r) => r[0].length));
process.stdout.write(`${'case'.padEnd(width)}  median ms  goal ms\n`);
for (const [what, ms, goal] of rows) process.stdout.write(`${what.padEnd(width)}  ${ms.padStart(9)}  ${goal}\n`);
process.stdout.write(`(${runs} warm runs per case after 5 warm-up runs; cold = median of 7 processes)\n`);
