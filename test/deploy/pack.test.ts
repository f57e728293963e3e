/**
 * `npm pack` makes a package whose `falconer` bin works: built with the project's build script
 * (the esbuild bundle, into a staging copy, so the work tree's dist/ is left alone), packed,
 * installed into an empty folder the way a user installs it, and run with Node.js 24. The bundle
 * holds every dependency, so the install brings nothing else; about 10 s.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from '../../src/controlplane/run-command.ts';
import { BUNDLE_DIR, LAUNCHER } from '../../src/build/bundle.ts';
import { nodeBinDir } from '../support/cluster.ts';
import { repoPath } from './support/manifests.ts';
import { snapshotBlob } from '../support/shipped-cli.ts';

interface PackageJson {
  version: string;
  bin: Record<string, string>;
  files: string[];
  dependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as PackageJson;
// Node 24 first on PATH: the bin's `#!/usr/bin/env node` must not find the machine's older Node.
const env = { ...process.env, PATH: `${nodeBinDir()}:${process.env['PATH'] ?? ''}` };

const RULES = `- rule: Shell in container
  desc: a shell started in a container
  condition: evt.type = execve and proc.name = bash
  output: shell (user=%user.name)
  priority: WARNING
`;

async function waitFor(file: string, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !existsSync(file); await sleep(100)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear within ${timeoutMs / 1000} s`);
  }
}

describe('the npm package', () => {
  const work = mkdtempSync(join(tmpdir(), 'falconer-pack-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('installs from its tarball, alone, and runs the bundled `falconer` with Node.js 24', async () => {
    const stage = join(work, 'stage');
    // The build script, with its output redirected into the staging copy.
    await runCommand('npm', ['run', 'build', '--', '--outdir', join(stage, BUNDLE_DIR)], { cwd: repoPath('.'), env });
    for (const entry of ['package.json', ...pkg.files.filter((f) => !f.startsWith('dist'))]) {
      cpSync(repoPath(entry), join(stage, entry), { recursive: true });
    }
    const packed = await runCommand('npm', ['pack', '--pack-destination', work], { cwd: stage, env });
    const tarball = join(work, packed.stdout.trim().split('\n').at(-1) ?? '');
    const listing = (await runCommand('tar', ['tzf', tarball])).stdout;
    assert.equal(pkg.bin['falconer'], `${BUNDLE_DIR}/${LAUNCHER}`);
    assert.match(listing, new RegExp(`^package/${BUNDLE_DIR}/${LAUNCHER}$`, 'm'));
    assert.match(listing, new RegExp(`^package/${BUNDLE_DIR}/main\\.js$`, 'm'));
    assert.match(listing, new RegExp(`^package/${BUNDLE_DIR}/main\\.js\\.map$`, 'm'), 'source maps, for stack traces');
    // Every lazily loaded chunk the build wrote travels with it.
    for (const file of readdirSync(join(stage, BUNDLE_DIR))) assert.match(listing, new RegExp(`^package/${BUNDLE_DIR}/${file.replace(/[.]/g, '\\.')}$`, 'm'), file);
    assert.doesNotMatch(listing, /^package\/(test|src|bench|node_modules)\//m, 'tests, sources and dependencies stay out of the package');
    // The files the bundle reads beside itself, resolved as `../../` from dist/cli/ (the
    // examples `falconer dev` applies, the control plane's Go modules `falconer cluster up` builds).
    for (const example of readdirSync(repoPath('examples'))) assert.match(listing, new RegExp(`^package/examples/${example.replace(/[.]/g, '\\.')}$`, 'm'), example);
    for (const unit of ['etcd', 'kube', 'kwok']) assert.match(listing, new RegExp(`^package/hack/controlplane/${unit}/go\\.mod$`, 'm'), unit);
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], 'the bundle holds every dependency: installing it fetches nothing more');

    writeFileSync(join(work, 'package.json'), '{"name":"falconer-pack-check","private":true}\n');
    await runCommand('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', tarball], { cwd: work, env });
    assert.deepEqual(readdirSync(join(work, 'node_modules')).filter((d) => !d.startsWith('.')), ['falconer']);
    const bin = join(work, 'node_modules', '.bin', 'falconer');

    const help = await runCommand(bin, ['--help'], { env });
    for (const command of ['operator', 'mcp', 'dev', 'validate', 'snapshots']) assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), command);
    assert.equal((await runCommand(bin, ['--version'], { env })).stdout.trim(), pkg.version);
    assert.match((await runCommand(bin, ['operator', '--help'], { env })).stdout, /--leader-elect/);
    assert.match((await runCommand(bin, ['mcp', '--help'], { env })).stdout, /--read-only/);
    const rules = join(work, 'rules.yaml');
    writeFileSync(rules, RULES);
    // The installed package makes its own startup snapshot on the first run and starts from it after.
    const cached = { ...env, FALCONER_CACHE_DIR: join(work, 'cache') };
    assert.equal((await runCommand(bin, ['validate', rules], { env: cached })).stdout, `${rules}: Ok\n`);
    const blob = snapshotBlob('validate', cached, join(work, 'node_modules', 'falconer', BUNDLE_DIR, LAUNCHER));
    await waitFor(`${blob}.key`);
    assert.equal((await runCommand(bin, ['validate', rules], { env: cached })).stdout, `${rules}: Ok\n`);
  });
});
