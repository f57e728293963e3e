import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import type { SourceMapPayload } from 'node:module';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Stack traces of the bundled CLI, mapped back to the TypeScript sources with the bundle's source
 * maps when the CLI prints an unexpected error, and only then. Node's own source-map support
 * (`process.setSourceMapsEnabled`, `--enable-source-maps`) parses the map of every chunk as it
 * loads and keeps it: ~20 ms at start for `falconer validate` and several MB for the life of the
 * operator; and a stack hook that maps every formatted stack (logs format some) kept the parsed
 * map of the Kubernetes client's chunk, ~35 MB of arrays, in the operator (heap snapshot at 50
 * monitors). Long-running commands log positions in the bundle, which the same maps translate.
 */

function mapOf(file: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload);
  } catch {
    // No map (or an unreadable one): the frame keeps its bundle position.
    return undefined;
  }
}

/** The bundle's folder and the package root when `mainUrl` is the bundle's entry; else undefined. */
function bundleOf(mainUrl: string): { dir: string; root: string } | undefined {
  if (!existsSync(`${fileURLToPath(mainUrl)}.map`)) return undefined;
  return { dir: fileURLToPath(new URL('./', mainUrl)), root: fileURLToPath(new URL('../../', mainUrl)) };
}

/**
 * A frame's position in the bundle: an ES module chunk's URL, or the path of a CommonJS script (a
 * snapshot's script, validate's first-run script, a package it loads on demand).
 */
const FRAME = /(file:\/\/[^\s()]+?\.js|\/[^\s()]+?\/[\w.-]+\.cjs):(\d+):(\d+)/g;

/**
 * `stack` with every `file:///…/dist/cli/<chunk>.js:line:column` of the bundle replaced by the
 * source position it was built from (`src/kube/client.ts:19:48`, relative to the package root).
 * Run from the TypeScript sources (no map beside `mainUrl`), the stack is returned as it is.
 */
export function mapStack(stack: string, mainUrl: string): string {
  const bundle = bundleOf(mainUrl);
  if (bundle === undefined) return stack;
  const maps = new Map<string, SourceMap | undefined>();
  return stack.replace(FRAME, (whole: string, where: string, line: string, column: string) => {
    // A snapshot's script keeps the path it was built at, maybe another copy of the same bundle
    // (the blob is named by the script's digest): the script beside main.js has the same map.
    const file = where.startsWith('file:') ? fileURLToPath(where) : join(bundle.dir, basename(where));
    const url = pathToFileURL(file).href;
    if (!file.startsWith(bundle.dir)) return whole;
    if (!maps.has(file)) maps.set(file, mapOf(file));
    const origin = maps.get(file)?.findOrigin(Number(line), Number(column));
    if (origin === undefined || !('fileName' in origin)) return whole;
    // Not every source is a file: the bundle's stand-ins for Node's built-ins are named
    // `builtin-through-require:node:fs` (src/build/bundle.ts). Those frames keep their bundle
    // position: printing an error must not throw.
    const source = new URL(origin.fileName, url);
    if (source.protocol !== 'file:') return whole;
    return `${relative(bundle.root, fileURLToPath(source))}:${origin.lineNumber}:${origin.columnNumber}`;
  });
}
