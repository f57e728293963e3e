/**
 * Repeated measurements and their summary. Every loop here is bounded twice, by a count and by
 * a time budget, so a slow or stuck machine shortens a benchmark instead of hanging it.
 */

/** Median with the 10th–90th percentile band: robust to the odd GC pause or noisy neighbour. */
export interface Spread {
  n: number;
  median: number;
  p10: number;
  p90: number;
}

export interface Bounds {
  /** Measured runs at most. */
  runs: number;
  /** Stop starting new runs after this long (the run in flight finishes). */
  budgetMs: number;
  /** Unmeasured runs first (JIT, caches, connections). */
  warmup?: number;
  /** Runs needed before the budget may cut the series short. */
  minRuns?: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  // Nearest-rank on the sorted sample: with few runs an interpolated p10 would claim precision it lacks.
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[rank] ?? NaN;
}

export function summarise(samples: readonly number[]): Spread {
  const sorted = [...samples].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return { n: sorted.length, median: percentile(sorted, 0.5), p10: percentile(sorted, 0.1), p90: percentile(sorted, 0.9) };
}

/**
 * Runs `once` until `bounds` are used up; `once` returns what it measured (so set-up inside a
 * run can stay out of the figure). Returns the measured samples in order.
 */
export async function repeat(bounds: Bounds, once: (run: number) => Promise<number> | number): Promise<number[]> {
  for (let i = 0; i < (bounds.warmup ?? 0); i++) await once(-1 - i);
  const samples: number[] = [];
  const deadline = Date.now() + bounds.budgetMs;
  const minRuns = bounds.minRuns ?? 1;
  for (let run = 0; run < bounds.runs; run++) {
    if (run >= minRuns && Date.now() > deadline) break;
    samples.push(await once(run));
  }
  return samples;
}

/** Runs two measurements alternately, so both see the same machine load; returns both series. */
export async function sideBySide(
  bounds: Bounds,
  a: (run: number) => Promise<number>,
  b: (run: number) => Promise<number>,
): Promise<{ a: number[]; b: number[] }> {
  const out = { a: [] as number[], b: [] as number[] };
  await repeat(bounds, async (run) => {
    // Alternate which goes first: neither side always pays for a cold connection or a GC.
    const first = run % 2 === 0;
    const x = first ? await a(run) : NaN;
    const y = await b(run);
    const x2 = first ? x : await a(run);
    if (run >= 0) {
      out.a.push(x2);
      out.b.push(y);
    }
    return 0;
  });
  return out;
}

/** Median of a over median of b; NaN when either side has no sample. */
export function ratio(a: Spread, b: Spread): number {
  return a.n === 0 || b.n === 0 || b.median === 0 ? NaN : a.median / b.median;
}

export function elapsedMs(started: number): number {
  return performance.now() - started;
}
