/**
 * Rules engine figures: warm in-process load+validate of Falco's published rules files, growth
 * over 1x/4x/16x copies of the stable file, and the cold `falconer validate` process. Part of
 * `npm run bench`; on its own: `node bench/rules.ts [--quick]`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUNDLE_DIR, bundleCli } from '../src/build/bundle.ts';
import { validateRuleFiles } from '../src/rules/index.ts';
import type { RuleFile } from '../src/rules/index.ts';
import { BAD_RULES } from '../test/corpus/bad-rules.ts';
import { Report, renderTable } from './report.ts';
import { repeat, summarise } from './stats.ts';
import type { Spread } from './stats.ts';

const SECTION = '1 rules engine';
const shared = new URL('../../shared/falco-rules/', import.meta.url);
const read = (name: string): RuleFile => ({ name, content: readFileSync(new URL(name, shared), 'utf8') });

/** The stable file repeated `count` times in one document, rules renamed so they all count. */
function copies(stable: RuleFile, count: number): RuleFile {
  const parts = Array.from({ length: count }, (_, i) =>
    i === 0 ? stable.content : stable.content.replace(/^- rule: (.*)$/gm, `- rule: $1 (copy ${i})`),
  );
  return { name: `stable-x${count}.yaml`, content: parts.join('\n') };
}

/** One timed load+validate without the YAML parse cache: every run parses from text. */
function timeOnce(files: RuleFile[]): number {
  const started = performance.now();
  const v = validateRuleFiles(files, { parseCache: false });
  const ms = performance.now() - started;
  if (!v.ok) throw new Error(`benchmark input is invalid: ${v.errors[0]?.message}`);
  return ms;
}

/** The shipped CLI (the bundle `npm run build` writes), a new process per run. */
async function coldCli(runs: number): Promise<number[]> {
  const main = fileURLToPath(new URL(`../${BUNDLE_DIR}/main.js`, import.meta.url));
  await bundleCli(fileURLToPath(new URL(`../${BUNDLE_DIR}`, import.meta.url)));
  const file = fileURLToPath(new URL('falco_rules.yaml', shared));
  return repeat({ runs, budgetMs: 30_000, warmup: 1, minRuns: 3 }, () => {
    const started = performance.now();
    const r = spawnSync(process.execPath, [main, 'validate', file], { encoding: 'utf8', timeout: 30_000 });
    const ms = performance.now() - started;
    if (r.status !== 0) throw new Error(`falconer validate failed: ${r.stderr}`);
    return ms;
  });
}

/**
 * The hostile documents of the bad-input corpus (alias bombs, deep nesting, doubling macros,
 * huge names…): how long the static check takes on each, after one warm-up pass (the goal is
 * the bound the corpus test used to assert, on a slow 2-core machine). The tests check
 * that each is refused in bounded memory; the time is this figure's job.
 */
function badCorpus(report: Report): void {
  const once = (content: string): number => {
    const started = performance.now();
    validateRuleFiles([{ name: 'corpus.yaml', content }], { parseCache: false });
    return performance.now() - started;
  };
  for (const bad of BAD_RULES) once(bad.content);
  const timed = BAD_RULES.map((bad) => ({ id: bad.id, ms: once(bad.content) })).sort((a, b) => b.ms - a.ms);
  const slowest = timed[0];
  if (slowest === undefined) return;
  report.add({ section: SECTION, name: `bad-input corpus (${timed.length} hostile documents): slowest document`, unit: 'ms', value: slowest.ms, note: slowest.id, goal: { text: '< 5000 ms', met: slowest.ms < 5000 } });
  report.add({ section: SECTION, name: 'bad-input corpus: all documents, one after another', unit: 'ms', value: timed.reduce((sum, t) => sum + t.ms, 0) });
}

export interface RulesOptions {
  quick: boolean;
}

export async function benchRules(report: Report, options: RulesOptions): Promise<void> {
  const stable = read('falco_rules.yaml');
  const all = [stable, read('falco-incubating_rules.yaml'), read('falco-sandbox_rules.yaml')];
  const runs = options.quick ? 15 : 40;
  // A shared warm-up first: otherwise whichever case runs first is measured half-optimised.
  await repeat({ runs: 15, budgetMs: 15_000 }, () => timeOnce(all));
  const warm = (files: RuleFile[]): Promise<number[]> => repeat({ runs, budgetMs: 20_000, warmup: 3, minRuns: 5 }, () => timeOnce(files));

  const stableMs = summarise(await warm([stable]));
  report.add({ section: SECTION, name: 'stable file (falco_rules.yaml), warm in-process', unit: 'ms', value: stableMs, goal: { text: '< 15 ms', met: stableMs.median < 15 } });
  const allMs = summarise(await warm(all));
  report.add({ section: SECTION, name: 'stable + incubating + sandbox, warm', unit: 'ms', value: allMs, goal: { text: '< 60 ms', met: allMs.median < 60 } });
  const cold = summarise(await coldCli(options.quick ? 5 : 9));
  report.add({ section: SECTION, name: 'falconer validate falco_rules.yaml, cold CLI process', unit: 'ms', value: cold, goal: { text: '< 300 ms', met: cold.median < 300 } });

  badCorpus(report);

  // Growth: the three sizes take turns, so a burst of machine load hits all of them alike.
  const sizes = [1, 4, 16].map((n) => ({ n, file: copies(stable, n), samples: [] as number[] }));
  for (const s of sizes) for (let i = 0; i < 3; i++) timeOnce([s.file]);
  await repeat({ runs: options.quick ? 9 : 21, budgetMs: 45_000, minRuns: 3 }, () => {
    for (const s of sizes) s.samples.push(timeOnce([s.file]));
    return 0;
  });
  const x1: Spread = summarise(sizes[0]?.samples ?? []);
  for (const s of sizes) {
    const spread = summarise(s.samples);
    const per = s.n === 1 ? undefined : spread.median / (x1.median * s.n);
    report.add({
      section: SECTION,
      name: `${s.n}x stable copies (${25 * s.n} rules), warm`,
      unit: 'ms',
      value: spread,
      ...(per === undefined ? {} : { note: `${per.toFixed(2)}x of linear from 1x` }),
    });
  }
}

if (import.meta.main) {
  const report = new Report();
  await benchRules(report, { quick: process.argv.includes('--quick') });
  process.stdout.write(renderTable(report));
}
