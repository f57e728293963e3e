import { Collector } from './collector.ts';
import { compileAll } from './compiler.ts';
import type { CompileOutput } from './compiler.ts';
import type { CompileLimits } from './compile-env.ts';
import { readRulesFile } from './reader.ts';
import type { ReadLimits, ReadOptions } from './reader.ts';
import { LoadResult } from './result.ts';
import { SourceRegistry } from './sources.ts';

export interface LoadedBundle {
  readonly results: readonly LoadResult[];
  readonly collector: Collector;
  /** The compile output after the last file, when that compile succeeded. */
  readonly output: CompileOutput | undefined;
}

/**
 * Loads files in order the way `falco -V a -V b` does: one collector for every file (never
 * cleared, also after a failed file), everything recompiled after each file that reads cleanly.
 */
export function loadBundle(
  files: ReadonlyArray<{ readonly name: string; readonly content: string }>,
  knownSources: readonly string[],
  limits: ReadLimits & CompileLimits,
  options: ReadOptions = {},
): LoadedBundle {
  const sources = new SourceRegistry(knownSources);
  const collector = new Collector(sources, new LoadResult(''), options.profile);
  const results: LoadResult[] = [];
  let output: CompileOutput | undefined;
  for (const file of files) {
    const res = new LoadResult(file.name);
    collector.res = res;
    output = undefined;
    if (readRulesFile(file.content, file.name, collector, res, limits, options)) {
      output = compileAll(collector, res, sources, limits);
    }
    results.push(res);
  }
  return { results, collector, output };
}
