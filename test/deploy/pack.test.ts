/**
 * `npm pack` makes a package whose `falconer` bin works: built with the project's build script
 * (into a staging copy, so the work tree's dist/ is left alone), packed, installed into an empty
 * folder the way a user installs it, and run with Node.js 24. Needs the npm registry for the
 * production dependencies (npm's cache serves them on a warm machine); about 15 s.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCommand } from '../../src/controlplane/run-command.ts';
import { nodeBinDir } from '../support/cluster.ts';
import { repoPath } from './support/manifests.ts';

interface PackageJson {
  version: string;
  bin: Record<string, string>;
  files: string[];
}

const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as PackageJson;
// Node 24 first on PATH: the bin's `#!/usr/bin/env node` must not find the machine's older Node.
const env = { ...process.env, PATH: `${nodeBinDir()}:${process.env['PATH'] ?? ''}` };

describe('the npm package', () => {
  const work = mkdtempSync(join(tmpdir(), 'falconer-pack-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('installs from its tarball and runs `falconer` with Node.js 24', async () => {
    const stage = join(work, 'stage');
    // The build script, with its output redirected into the staging copy.
    await runCommand('npm', ['run', 'build', '--', '--outDir', join(stage, 'dist')], { cwd: repoPath('.'), env });
    for (const entry of ['package.json', ...pkg.files.filter((f) => !f.startsWith('dist'))]) {
      cpSync(repoPath(entry), join(stage, entry), { recursive: true });
    }
    const packed = await runCommand('npm', ['pack', '--pack-destination', work], { cwd: stage, env });
    const tarball = join(work, packed.stdout.trim().split('\n').at(-1) ?? '');
    const listing = (await runCommand('tar', ['tzf', tarball])).stdout;
    assert.match(listing, new RegExp(`^package/${pkg.bin['falconer'] ?? 'missing'}$`, 'm'));
    assert.doesNotMatch(listing, /^package\/(test|src)\//m, 'tests and TypeScript sources stay out of the package');

    writeFileSync(join(work, 'package.json'), '{"name":"falconer-pack-check","private":true}\n');
    await runCommand('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', tarball], { cwd: work, env });
    const bin = join(work, 'node_modules', '.bin', 'falconer');

    const help = await runCommand(bin, ['--help'], { env });
    for (const command of ['operator', 'mcp', 'dev', 'validate']) assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), command);
    assert.equal((await runCommand(bin, ['--version'], { env })).stdout.trim(), pkg.version);
    assert.match((await runCommand(bin, ['operator', '--help'], { env })).stdout, /--leader-elect/);
  });
});
