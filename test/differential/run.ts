/**
 * One differential run: generate cases, get the real Falco's outcome (from the on-disk cache when
 * this exact file was run before on this version), get Falconer's, compare, tally by family.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../src/controlplane/versions.ts';
import type { FalcoVersion } from '../support/falco-rootfs.ts';
import { ASPECTS, differences, falconerRun } from './compare.ts';
import type { Aspect } from './compare.ts';
import { FAMILIES, generateCase } from './generate.ts';
import type { Family, GeneratedCase } from './generate.ts';
import { RealFalco } from './real-falco.ts';
import type { FalcoRun } from './real-falco.ts';

export interface RunOptions {
  readonly seed: number;
  readonly count: number;
  readonly version: FalcoVersion;
  readonly families?: readonly Family[];
  /** Skip the cache of real outcomes (default: use it). */
  readonly fresh?: boolean;
  readonly onProgress?: (done: number) => void;
}

export interface Disagreement {
  readonly case: GeneratedCase;
  readonly real: FalcoRun;
  readonly ours: FalcoRun;
  readonly aspects: readonly Aspect[];
}

export interface Tally {
  total: number;
  agree: Record<Aspect, number>;
}

export interface RunReport {
  readonly version: FalcoVersion;
  readonly byFamily: Map<Family, Tally>;
  readonly disagreements: Disagreement[];
  readonly seconds: number;
  readonly realRuns: number;
}

const emptyTally = (): Tally => ({ total: 0, agree: Object.fromEntries(ASPECTS.map((a) => [a, 0])) as Record<Aspect, number> });

function cacheFile(version: string, content: Buffer): string {
  const dir = join(cacheRoot(process.env), 'differential', version);
  mkdirSync(dir, { recursive: true });
  return join(dir, `${createHash('sha256').update(content).digest('hex')}.json`);
}

export async function runDifferential(opts: RunOptions): Promise<RunReport> {
  const started = Date.now();
  const families = opts.families ?? FAMILIES;
  const byFamily = new Map<Family, Tally>(families.map((f) => [f, emptyTally()]));
  const disagreements: Disagreement[] = [];
  // one pool for the run, however many lanes ask for it first
  let falco: Promise<RealFalco> | undefined;
  let realRuns = 0;
  let done = 0;
  const realOutcome = async (c: GeneratedCase): Promise<FalcoRun> => {
    const file = cacheFile(opts.version, c.content);
    if (opts.fresh !== true && existsSync(file)) {
      const cached = JSON.parse(readFileSync(file, 'utf8')) as FalcoRun;
      // an empty stdout without a reason was read by an older runner (reasons it did not parse)
      if (!(cached.stdout === '' && cached.fatal === undefined && typeof cached.status === 'number')) return cached;
    }
    falco ??= RealFalco.start(opts.version, 2);
    const run = await (await falco).run(c.content);
    realRuns++;
    writeFileSync(file, JSON.stringify(run));
    return run;
  };
  const one = async (index: number): Promise<void> => {
    const c = generateCase(opts.seed, index, families);
    const real = await realOutcome(c);
    const ours = falconerRun(c.content, opts.version);
    const aspects = differences(real, ours);
    const tally = byFamily.get(c.family) ?? emptyTally();
    tally.total++;
    for (const a of ASPECTS) if (!aspects.includes(a)) tally.agree[a]++;
    if (aspects.length > 0) disagreements.push({ case: c, real, ours, aspects });
    opts.onProgress?.(++done);
  };
  try {
    // A few cases in flight keep both Falco workers busy while Falconer checks the others.
    let next = 0;
    const lanes = Array.from({ length: 4 }, async () => {
      while (next < opts.count) await one(next++);
    });
    await Promise.all(lanes);
  } finally {
    if (falco !== undefined) (await falco).close();
  }
  return { version: opts.version, byFamily, disagreements, seconds: (Date.now() - started) / 1000, realRuns };
}

const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(2)}`);

/** The per-family agreement table, in percent, with a total row. */
export function formatReport(report: RunReport): string {
  const total = emptyTally();
  const rows = [...report.byFamily].map(([family, t]) => {
    total.total += t.total;
    for (const a of ASPECTS) total.agree[a] += t.agree[a];
    return [family, String(t.total), ...ASPECTS.map((a) => pct(t.agree[a], t.total))];
  });
  rows.push(['TOTAL', String(total.total), ...ASPECTS.map((a) => pct(total.agree[a], total.total))]);
  const header = ['family', 'files', ...ASPECTS];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [
    `Falco ${report.version}: ${total.total} files in ${report.seconds.toFixed(1)} s (${report.realRuns} real Falco runs, the rest cached)`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
