/**
 * `npm test`: the whole suite in one node:test run. Unit tests need nothing; integration tests
 * (`*.int.test.ts`) share one real local control plane, started here (built first if this machine
 * has none) and torn down afterwards, also on Ctrl-C.
 *
 *   npm test                      everything
 *   npm test -- --unit            unit tests only (no control plane)
 *   npm test -- test/api          only files under these paths
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { startCluster } from '../src/controlplane/cluster.ts';
import type { LocalCluster } from '../src/controlplane/cluster.ts';
import { progressPrinter } from '../src/cli/progress.ts';
import { BUNDLE_DIR, bundleCli } from '../src/build/bundle.ts';
import { warmSnapshots } from './support/shipped-cli.ts';
import { REAL_NODE_SKIP_ENV, nodeBinDir, standinDir } from './support/cluster.ts';
import { realNodeUnsupportedReason } from '../src/node/capability.ts';
import { realNodeUnavailableReason } from '../src/node/lock.ts';
import { REPORT_FILE_ENV, formatTable, readFigures } from './support/report.ts';

const root = new URL('..', import.meta.url).pathname;

function findTests(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : findTests(path);
    return entry.endsWith('.test.ts') ? [path] : [];
  });
}

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--')).map((a) => join(root, a));
let files = findTests(join(root, 'test')).sort();
if (filters.length > 0) files = files.filter((f) => filters.some((p) => f.startsWith(p)));
if (unitOnly) files = files.filter((f) => !f.endsWith('.int.test.ts'));
const needsCluster = files.some((f) => f.endsWith('.int.test.ts'));
// The real node (test/node) costs a build on first use and a few seconds per run: only when its tests run.
const wantsRealNode = files.some((f) => f.endsWith('.int.test.ts') && f.startsWith(join(root, 'test', 'node')));
const realNodeSkip = wantsRealNode ? (realNodeUnsupportedReason() ?? realNodeUnavailableReason()) : 'no real-node tests were selected';

let cluster: LocalCluster | undefined;
let child: ReturnType<typeof spawn> | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    child?.kill('SIGTERM');
    await cluster?.stop();
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));

// Tests that spawn `falconer` run the shipped bundle (test/support/shipped-cli.ts), built here
// from the current sources so that no test runs a stale one.
const bundleStarted = Date.now();
await bundleCli(join(root, BUNDLE_DIR));
process.stderr.write(`Built the CLI bundle (${BUNDLE_DIR}) in ${((Date.now() - bundleStarted) / 1000).toFixed(1)} s\n`);
// ...and its startup snapshots, as a user's first runs make them: tests that run the launcher
// then start `validate` and `mcp` from them, as users do from their second run on.
const snapshotsStarted = Date.now();
await warmSnapshots();
process.stderr.write(`Startup snapshots of validate and mcp ready in ${((Date.now() - snapshotsStarted) / 1000).toFixed(1)} s\n`);

const env: NodeJS.ProcessEnv = { ...process.env, FALCONER_LOG_LEVEL: process.env['FALCONER_LOG_LEVEL'] ?? 'warn' };
// Test files append their reliability figures here (test/support/report.ts); one table at the end.
const reportDir = mkdtempSync(join(tmpdir(), 'falconer-report-'));
const reportFile = join(reportDir, 'figures.jsonl');
env[REPORT_FILE_ENV] = reportFile;
// Output is piped (to hold node's summary back until the table is printed): keep its colours.
if (process.stdout.isTTY && env['FORCE_COLOR'] === undefined) env['FORCE_COLOR'] = '1';
if (needsCluster) {
  const progress = progressPrinter();
  cluster = await startCluster({
    name: `test-run-${process.pid}`,
    nodes: 3,
    execPath: [standinDir(), nodeBinDir()],
    realNode: realNodeSkip === undefined,
    onStep: progress.step,
    onBuildProgress: progress.build,
  });
  const build = cluster.buildSeconds > 0 ? `built in ${cluster.buildSeconds.toFixed(0)} s, ` : 'cached binaries, ';
  const real = cluster.realNode !== undefined ? ` + real node ${cluster.realNode.name}` : '';
  progress.done(`Control plane ready (${build}started in ${cluster.startupSeconds.toFixed(1)} s, ${cluster.nodeNames.length} simulated nodes${real})`);
  if (wantsRealNode && realNodeSkip !== undefined) process.stderr.write(`No real node in this run: ${realNodeSkip}. Its tests are skipped.\n`);
  env['FALCONER_TEST_CLUSTER_DIR'] = cluster.dir;
}
env[REAL_NODE_SKIP_ENV] = realNodeSkip ?? '';

process.stderr.write(`Running ${files.length} test files${needsCluster ? '' : ' (no control plane needed)'}\n`);
child = spawn(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-concurrency=3', '--test-timeout=600000', ...files.map((f) => relative(root, f))],
  { cwd: root, env, stdio: ['inherit', 'pipe', 'inherit'] },
);
// node's closing summary ("ℹ tests N", "ℹ pass N", ...) stays last, as CI reads it: lines from
// its first line on are held back and printed after the figures table.
const held: string[] = [];
const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
lines.on('line', (line) => {
  if (held.length > 0 || /^\S*ℹ tests \d+/.test(line.replace(/\u001b\[[0-9;]*m/g, ''))) held.push(line);
  else process.stdout.write(`${line}\n`);
});
const code = await new Promise<number>((resolve) => child?.on('close', (c) => resolve(c ?? 1)));
const figures = readFigures(reportFile);
if (figures !== undefined) process.stdout.write(`\n${formatTable(figures)}\n\n`);
for (const line of held) process.stdout.write(`${line}\n`);
rmSync(reportDir, { recursive: true, force: true });
await shutdown(code);
