import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import type { SourceMapPayload } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Stack traces of the bundled CLI, mapped back to the TypeScript sources with the bundle's source
 * maps, read only when a stack is formatted. Node's own source-map support
 * (`process.setSourceMapsEnabled`) parses and keeps the map of every chunk as it loads: 20 ms
 * at start and several MB held for the process's life (the Kubernetes client's map alone is
 * ~2 MB of mappings), paid by every `falconer validate` and by the operator for nothing until
 * an error's stack is printed.
 */

const maps = new Map<string, SourceMap | undefined>();

function mapOf(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload);
    } catch {
      // No map (or an unreadable one): the frame keeps its bundle position.
      map = undefined;
    }
    maps.set(file, map);
  }
  return maps.get(file);
}

/** `at fn (src/x.ts:12:5)` for a frame in the bundle, `root`-relative; undefined elsewhere. */
function mappedFrame(site: NodeJS.CallSite, bundleDir: string, root: string): string | undefined {
  const name = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (name === null || name === undefined || line === null || column === null) return undefined;
  const file = name.startsWith('file:') ? fileURLToPath(name) : name;
  if (!file.startsWith(bundleDir)) return undefined;
  const origin = mapOf(file)?.findOrigin(line, column);
  if (origin === undefined || !('fileName' in origin)) return undefined;
  const source = relative(root, fileURLToPath(new URL(origin.fileName, `file://${file}`)));
  const where = `${source}:${origin.lineNumber}:${origin.columnNumber}`;
  const fn = site.getFunctionName() ?? origin.name;
  return fn === null || fn === undefined ? where : `${fn} (${where})`;
}

/**
 * Installs the lazy mapping when `mainUrl` is the bundle's entry (a map beside it); run from
 * the TypeScript sources there is nothing to map. `root` is the package root the source paths
 * are shown relative to.
 */
export function installLazySourceMaps(mainUrl: string): void {
  const main = fileURLToPath(mainUrl);
  if (!existsSync(`${main}.map`)) return;
  const bundleDir = fileURLToPath(new URL('./', mainUrl));
  const root = fileURLToPath(new URL('../../', mainUrl));
  Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]): string => {
    const head = Error.prototype.toString.call(error);
    return head + sites.map((site) => `\n    at ${mappedFrame(site, bundleDir, root) ?? String(site)}`).join('');
  };
}
