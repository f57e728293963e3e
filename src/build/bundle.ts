/**
 * `npm run build`: the shipped CLI, bundled by esbuild into dist/cli/ — main.js plus one chunk per
 * lazily loaded command and per group of modules the commands share, all in that one folder.
 * Every dependency is bundled (tree-shaken), so the npm package and the image run without a
 * node_modules of their own.
 *
 *   npm run build                      into dist/cli/
 *   npm run build -- --outdir <dir>    elsewhere (the npm pack test builds into a staging copy)
 *
 * The folder sits two levels below the package root on purpose: modules that find the package's
 * own files (crds/, examples/, hack/controlplane/) resolve `../../` against their import.meta.url,
 * which in the bundle is the chunk's URL in dist/cli/, as it was src/<area>/ in the sources.
 */
import { build } from 'esbuild';
import type { BuildOptions, Plugin } from 'esbuild';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SNAPSHOT_COMMANDS, VALIDATE_FIRST_RUN, snapshotId } from '../cli/snapshot/names.ts';
import { SNAPSHOT_START_FLAGS, STARTUP_FLAGS } from '../cli/v8-tuning.ts';
import { AJV_PROVIDER_FILE } from './ajv-on-demand.ts';
import { UNDICI_FILE } from './undici-on-demand.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const nodeRequire = createRequire(import.meta.url);

/** Where `npm run build` writes, relative to the package root. */
export const BUNDLE_DIR = 'dist/cli';

/** The launcher in BUNDLE_DIR: package.json's `bin` (src/cli/snapshot/launcher.sh). */
export const LAUNCHER = 'falconer';

/**
 * Falconer's own modules have no import-time side effects (STYLE.md: nothing at module top level),
 * so the bundler may drop a module whose exports nothing uses, e.g. a zod schema only the operator
 * reads. Dependencies keep their own package.json's word on this.
 */
const ownModulesArePure: Plugin = {
  name: 'own-modules-are-pure',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === 'resolving' || args.importer.includes('/node_modules/')) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
      return resolved.errors.length > 0 ? resolved : { ...resolved, sideEffects: false };
    });
  },
};

/**
 * client-node's index re-exports all of its ~870 modules, and its package.json does not say they
 * are free of import-time side effects, so esbuild kept every one in any chunk that imports
 * anything from it. Its modules only define classes and functions, except the polyfill the index
 * imports first: marked pure, a command loads only the modules it uses. The operator calls the
 * API through src/kube/rest.ts and so loads neither the generated API classes nor the model
 * classes their serializer references (docs/benchmarks.md, Footprint).
 */
const CLIENT_NODE_DIST = '/node_modules/@kubernetes/client-node/dist/';

const clientNodeIsPure: Plugin = {
  name: 'client-node-is-pure',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const fromClientNode = args.importer.includes(CLIENT_NODE_DIST) || args.path === '@kubernetes/client-node';
      if (!fromClientNode) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
      if (resolved.errors.length > 0 || !resolved.path.includes(CLIENT_NODE_DIST) || resolved.path.endsWith('/polyfill.js')) return resolved;
      return { ...resolved, sideEffects: false };
    });
  },
};

/**
 * client-node's modules get undici on first use, from its own file (src/build/undici-on-demand.ts)
 * rather than at import: its KubeConfig module imports undici, and the operator, which sends its
 * requests through Node's http client, never uses it.
 */
const undiciOnDemand: Plugin = {
  name: 'undici-on-demand',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) => (args.importer.includes(CLIENT_NODE_DIST) ? { path: join(ROOT, 'src/build/undici-on-demand.ts') } : undefined));
  },
};

/**
 * The MCP SDK's modules get Ajv on first use, from its own file (src/build/ajv-on-demand.ts),
 * rather than at import: its Server builds an Ajv instance that only an elicitation would use.
 */
const SDK_DIST = '/node_modules/@modelcontextprotocol/sdk/dist/';

const ajvOnDemand: Plugin = {
  name: 'ajv-on-demand',
  setup(b) {
    b.onResolve({ filter: /\/validation\/ajv-provider\.js$/ }, (args) => (args.importer.includes(SDK_DIST) ? { path: join(ROOT, 'src/build/ajv-on-demand.ts') } : undefined));
  },
};

/**
 * Node's built-in modules reach an ES module bundle through `require`, as CommonJS code reaches
 * them. An `import` of a built-in makes Node build its ES module facade, which reads every export,
 * lazy ones included: `node:http` then loaded Node's own copy of undici (for http.WebSocket, ~750 KB
 * of source and its start-up) into every process that imported it, the operator among them.
 */
const builtinsThroughRequire: Plugin = {
  name: 'builtins-through-require',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'import-statement' || !isBuiltin(args.path)) return undefined;
      return { path: args.path, namespace: 'builtin-through-require' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-through-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * Built-ins that cost a command's start more than they give it.
 *
 * - `child_process`, `worker_threads` and `v8` each load Node's stream modules and more
 *   (`child_process` also `net` and `dgram`; `worker_threads` its messaging; `v8` its heap
 *   utilities), ~2-3 ms apiece before a line of ours runs, yet commander reaches `child_process`
 *   only for external subcommands, the rules engine `worker_threads` only for conditions nested
 *   too deep for this thread, and a command `v8` only to set its flags or build its snapshot.
 * - `crypto` is 17 modules (~4 ms), loaded by main.js for a hash that only some commands take.
 * - `util` is loaded anyway, but esbuild's CommonJS interop copies a module's exports by reading
 *   each one's property descriptor, and util's lazy exports load their modules when read that way:
 *   42 modules (worker_threads and tls among them) for commander's one use of util.
 *
 * Each importer gets an object with one getter per export that loads the built-in on first read.
 * The names are the built-in's exports in the Node.js that runs the build (the one the package
 * pins, 24): a name a later Node.js adds reads as undefined, as it would on the Node.js the code was
 * written for.
 */
const BUILTINS_ON_DEMAND = ['node:child_process', 'node:worker_threads', 'node:v8', 'node:util', 'node:crypto'] as const;

/**
 * A module whose exports are `name`'s (as the build's Node.js loads it), each a getter that
 * requires `from` (default: `name` itself) on its first read.
 */
function onDemandModule(name: string, from = name): string {
  const names = Object.keys(nodeRequire(name) as object).filter((n) => n !== 'default');
  const getters = names.map((n) => `${JSON.stringify(n)}: { enumerable: true, get: () => load()[${JSON.stringify(n)}] }`);
  return [
    'let loaded;',
    `const load = () => (loaded ??= require(${JSON.stringify(from)}));`,
    `Object.defineProperties(module.exports, {\n${getters.join(',\n')}\n});`,
  ].join('\n');
}

const builtinsOnDemand: Plugin = {
  name: 'builtins-on-demand',
  setup(b) {
    const bare = BUILTINS_ON_DEMAND.map((n) => n.slice('node:'.length));
    b.onResolve({ filter: new RegExp(`^(node:)?(${bare.join('|')})$`) }, (args) =>
      // The getters' own require reaches the built-in itself.
      args.namespace === 'builtin-on-demand' ? undefined : { path: `node:${args.path.replace(/^node:/, '')}`, namespace: 'builtin-on-demand' },
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-on-demand' }, (args) => ({ contents: onDemandModule(args.path), loader: 'js' }));
  },
};

/**
 * Packages validate's first-run script (VALIDATE_FIRST_RUN) gets on first use, each from its own
 * file beside it, rather than parsed and evaluated at every start:
 *
 * - `yaml` (~160 KB): the loader reads plain rules files with its own reader
 *   (src/rules/loader/yaml-simple.ts), whose nodes are its own too, and calls `yaml` only for the
 *   YAML that reader leaves to it;
 * - `commander` (~55 KB): a plain command line (`validate [--json] [--source x]… files…`) runs
 *   straight (src/cli/snapshot/entry.ts, `direct`), and only help, errors and the unusual build
 *   commander's.
 *
 * Not for a snapshot's script: `node --build-snapshot` loads a single script that can require
 * only Node's built-ins, and a snapshot holds its code compiled anyway.
 */
export const PACKAGES_ON_DEMAND: Readonly<Record<string, string>> = { yaml: 'yaml.cjs', commander: 'commander.cjs' };

const packagesOnDemand: Plugin = {
  name: 'packages-on-demand',
  setup(b) {
    const names = Object.keys(PACKAGES_ON_DEMAND);
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'package-on-demand' }));
    // the getters' own require of the file beside the script
    b.onResolve({ filter: /.*/, namespace: 'package-on-demand' }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'package-on-demand' }, (args) => ({ contents: onDemandModule(args.path, `./${PACKAGES_ON_DEMAND[args.path] ?? ''}`), loader: 'js' }));
  },
};

/**
 * winston's modules create their debug loggers through @dabh/diagnostics, whose entry picks its
 * development build unless NODE_ENV is `production`; that build loads an ANSI colour modifier
 * (colorspace, color-string, ...: ~2 ms of a command's start) for loggers that stay silent unless
 * DEBUG or DIAGNOSTICS names them. The bundle picks the development build only when one of those
 * is set and NODE_ENV is not `production`, so the output is the same in every case.
 */
const DIAGNOSTICS_NODE = 'node_modules/@dabh/diagnostics/node/';

const diagnosticsWhenAsked: Plugin = {
  name: 'diagnostics-when-asked',
  setup(b) {
    b.onResolve({ filter: /^@dabh\/diagnostics$/ }, () => ({ path: '@dabh/diagnostics', namespace: 'diagnostics-when-asked' }));
    b.onLoad({ filter: /.*/, namespace: 'diagnostics-when-asked' }, () => {
      const file = (name: string): string => JSON.stringify(join(ROOT, DIAGNOSTICS_NODE, name));
      const asked = "process.env.NODE_ENV !== 'production' && (process.env.DEBUG || process.env.DIAGNOSTICS)";
      return { contents: `module.exports = ${asked} ? require(${file('development.js')}) : require(${file('production.js')});`, loader: 'js', resolveDir: ROOT };
    });
  },
};

/**
 * The operator's run module (`falconer operator` once its flags are read) is built apart, into one
 * file with no chunks: esbuild assigns a shared module to a chunk by which entry points can reach
 * it through imports, not by which exports they use, and client-node's KubeConfig module imports
 * its generated index. In the one split build every command that touched KubeConfig therefore
 * loaded a 2.8 MB chunk with all of client-node's API and model classes; built apart, the
 * operator's file holds the ~20 client-node modules it uses (docs/benchmarks.md, Footprint).
 */
const OPERATOR_RUN = { source: './operator-run.ts', output: 'operator-run' };

const operatorRunIsApart: Plugin = {
  name: 'operator-run-is-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/operator-run\.ts$/ }, () => ({ path: `./${OPERATOR_RUN.output}.js`, external: true }));
  },
};

const COMMON = {
  absWorkingDir: ROOT,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  // Stack traces map back to src/ (src/cli/source-maps.ts); the sources themselves are not
  // copied into the maps: the package does not ship them.
  sourcemap: 'linked',
  sourcesContent: false,
  // CommonJS dependencies bundled into an ES module still call require() for Node's builtins.
  banner: { js: "import { createRequire as __falconerRequire } from 'node:module';\nconst require = __falconerRequire(import.meta.url);" },
  // ws loads these native speed-ups when installed and falls back to JavaScript when not.
  external: ['bufferutil', 'utf-8-validate'],
  // Whitespace and syntax only: a smaller source text is less to parse and hold in memory
  // (5 MB less RSS for the Kubernetes client alone), while names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  logLevel: 'warning',
} as const satisfies BuildOptions;

/**
 * Commands that start from a V8 startup snapshot (src/cli/snapshot/README.md): each has an entry
 * script, one CommonJS file with everything it runs, since `node --build-snapshot` loads a single
 * script that can require only Node's built-in modules.
 */
const SNAPSHOTS = Object.fromEntries(SNAPSHOT_COMMANDS.map((name) => [name, `src/cli/snapshot/${name}.ts`]));

/** Where `import.meta.url` is read from in a snapshot's code (src/cli/snapshot/entry.ts sets it). */
const SNAPSHOT_BUNDLE_URL = 'globalThis.__falconerBundleUrl';

const SNAPSHOT_OPTIONS = {
  ...COMMON,
  format: 'cjs',
  // Until a start from the snapshot sets it to the folder the launcher names: the build's own.
  banner: { js: `${SNAPSHOT_BUNDLE_URL} = require('node:url').pathToFileURL(__filename).href;` },
  define: { 'import.meta.url': SNAPSHOT_BUNDLE_URL },
} as const satisfies BuildOptions;

/** A snapshot's script, and validate's first-run script on top of packagesOnDemand. */
const SNAPSHOT_PLUGINS = [builtinsOnDemand, diagnosticsWhenAsked, undiciOnDemand, ajvOnDemand, ownModulesArePure, clientNodeIsPure];

export async function bundleCli(outdir: string): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  const results = await Promise.all([
    build({ ...COMMON, entryPoints: { main: 'src/cli/main.ts' }, outdir, splitting: true, plugins: [builtinsOnDemand, builtinsThroughRequire, diagnosticsWhenAsked, undiciOnDemand, ajvOnDemand, ownModulesArePure, clientNodeIsPure, operatorRunIsApart] }),
    build({ ...COMMON, entryPoints: { [OPERATOR_RUN.output]: 'src/cli/commands/operator-run.ts' }, outdir, plugins: [builtinsThroughRequire, diagnosticsWhenAsked, undiciOnDemand, ownModulesArePure, clientNodeIsPure] }),
    // Required by src/build/undici-on-demand.ts, found beside the chunk that loads it.
    build({ ...COMMON, format: 'cjs', banner: {}, entryPoints: { [UNDICI_FILE.replace(/\.cjs$/, '')]: 'undici' }, outdir, outExtension: { '.js': '.cjs' } }),
    // Required by src/build/ajv-on-demand.ts, beside the chunk (or snapshot script) that loads it.
    build({ ...COMMON, format: 'cjs', banner: {}, entryPoints: { [AJV_PROVIDER_FILE.replace(/\.cjs$/, '')]: '@modelcontextprotocol/sdk/validation/ajv' }, outdir, outExtension: { '.js': '.cjs' } }),
    // Started as a worker by src/rules/large-stack.ts, found beside the chunk that starts it.
    build({ ...COMMON, entryPoints: { 'large-stack-worker': 'src/rules/large-stack-worker.ts' }, outdir, plugins: [ownModulesArePure] }),
    ...Object.entries(SNAPSHOTS).map(([name, source]) =>
      build({ ...SNAPSHOT_OPTIONS, entryPoints: { [`snapshot-${name}`]: source }, outdir, outExtension: { '.js': '.cjs' }, plugins: SNAPSHOT_PLUGINS }),
    ),
    build({ ...SNAPSHOT_OPTIONS, entryPoints: { [VALIDATE_FIRST_RUN.replace(/\.cjs$/, '')]: SNAPSHOTS['validate'] ?? '' }, outdir, outExtension: { '.js': '.cjs' }, plugins: [packagesOnDemand, ...SNAPSHOT_PLUGINS] }),
    // Required by the first-run script (packagesOnDemand), found beside it.
    ...Object.entries(PACKAGES_ON_DEMAND).map(([name, file]) =>
      build({ ...COMMON, format: 'cjs', banner: {}, entryPoints: { [file.replace(/\.cjs$/, '')]: name }, outdir, outExtension: { '.js': '.cjs' }, plugins: [builtinsOnDemand] }),
    ),
  ]);
  const errors = results.reduce((n, r) => n + r.errors.length, 0);
  if (errors > 0) throw new Error(`esbuild failed with ${errors} errors`);
  // Run with sh by the launcher and by `falconer snapshots build` (src/cli/snapshot/build.ts).
  copyFileSync(join(ROOT, 'src/cli/snapshot/snapshot-build.sh'), join(outdir, 'snapshot-build.sh'));
  writeLauncher(outdir);
}

/**
 * The launcher (package.json's bin), with the name of each command's snapshot: the command and a
 * digest of its entry script, so that a new build never starts from an older build's snapshot.
 */
function writeLauncher(outdir: string): void {
  const ids = Object.keys(SNAPSHOTS).map((name) => `${name}) id=${snapshotId(name, readFileSync(join(outdir, `snapshot-${name}.cjs`)))} ;;`);
  const template = readFileSync(join(ROOT, 'src/cli/snapshot/launcher.sh'), 'utf8');
  const launcher = join(outdir, LAUNCHER);
  const names = [...new Set([...Object.keys(STARTUP_FLAGS), ...Object.keys(SNAPSHOT_START_FLAGS)])];
  const words = (list: readonly string[] | undefined): string => (list ?? []).join(' ');
  const flags = names.map((name) => `${name}) flags='${words(STARTUP_FLAGS[name])}' snapflags='${words(SNAPSHOT_START_FLAGS[name])}' ;;`);
  writeFileSync(launcher, template.replace('@SNAPSHOT_IDS@', ids.join('\n  ')).replace('@STARTUP_FLAGS@', flags.join('\n  ')).replace('@VALIDATE_FIRST_RUN@', VALIDATE_FIRST_RUN));
  chmodSync(launcher, 0o755);
}

function outdirFromArgs(argv: readonly string[]): string {
  const at = argv.indexOf('--outdir');
  const value = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && value === undefined) throw new Error('--outdir needs a folder');
  return value ?? `${ROOT}${BUNDLE_DIR}`;
}

if (import.meta.main) await bundleCli(outdirFromArgs(process.argv.slice(2)));
