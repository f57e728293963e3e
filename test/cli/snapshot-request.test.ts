import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { buildSnapshot, buildSnapshotInBackground } from '../../src/cli/snapshot/build.ts';
import { isFalconerError } from '../../src/core/errors.ts';
import { SNAPSHOT_ENV, takeSnapshotRequest } from '../../src/cli/snapshot/request.ts';

const work = mkdtempSync(join(tmpdir(), 'falconer-snapshot-request-'));
const bundle = join(work, 'dist', 'cli');
mkdirSync(bundle, { recursive: true });
writeFileSync(join(bundle, 'snapshot-validate.cjs'), '');
const mainUrl = pathToFileURL(join(bundle, 'main.js')).href;
const argv = (...args: string[]): string[] => ['/usr/bin/node', join(bundle, 'main.js'), ...args];
const blob = join(work, 'cache', 'snapshots', 'validate-0123.blob');

describe('the launcher\'s request for a snapshot', () => {
  after(() => rmSync(work, { recursive: true, force: true }));

  it('is taken out of the environment, so that no child process inherits it', () => {
    const env: NodeJS.ProcessEnv = { [SNAPSHOT_ENV.blob]: blob, [SNAPSHOT_ENV.key]: '1:2:3:4', HOME: '/home/x' };
    assert.deepEqual(takeSnapshotRequest(env, argv('validate', 'a.yaml'), mainUrl), { command: 'validate', blob, key: '1:2:3:4', entry: join(bundle, 'snapshot-validate.cjs') });
    assert.deepEqual(env, { HOME: '/home/x' });
  });

  it('is ignored without both variables, for commands without a snapshot, and without the entry script (run from the sources)', () => {
    assert.equal(takeSnapshotRequest({ [SNAPSHOT_ENV.blob]: blob }, argv('validate'), mainUrl), undefined);
    assert.equal(takeSnapshotRequest({ [SNAPSHOT_ENV.blob]: blob, [SNAPSHOT_ENV.key]: 'k' }, argv('operator'), mainUrl), undefined);
    // mcp has a snapshot, but this bundle has no entry script for it
    assert.equal(takeSnapshotRequest({ [SNAPSHOT_ENV.blob]: blob, [SNAPSHOT_ENV.key]: 'k' }, argv('mcp'), mainUrl), undefined);
  });

  it('is not repeated for the Node.js binary a build already failed for', () => {
    mkdirSync(join(work, 'cache', 'snapshots'), { recursive: true });
    writeFileSync(`${blob}.failed`, '1:2:3:4\n');
    try {
      assert.equal(takeSnapshotRequest({ [SNAPSHOT_ENV.blob]: blob, [SNAPSHOT_ENV.key]: '1:2:3:4' }, argv('validate'), mainUrl), undefined);
      // Another binary (an upgrade) tries again.
      assert.notEqual(takeSnapshotRequest({ [SNAPSHOT_ENV.blob]: blob, [SNAPSHOT_ENV.key]: '5:6:7:8' }, argv('validate'), mainUrl), undefined);
    } finally {
      rmSync(`${blob}.failed`);
    }
  });
});

describe('the background build', () => {
  it('does not start while another process holds the lock, and takes over a lock left by a dead build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falconer-snapshot-lock-'));
    try {
      const target = join(dir, 'snapshots', 'validate-x.blob');
      mkdirSync(join(dir, 'snapshots'));
      writeFileSync(`${target}.lock`, '');
      // The entry is not a valid snapshot script: a started build fails and says so in `.failed`.
      const request = { command: 'validate', blob: target, key: '9:9:9:9', entry: join(dir, 'missing.cjs') };
      assert.equal(buildSnapshotInBackground(request), false, 'a fresh lock belongs to a build in progress');
      const old = new Date(Date.now() - 10 * 60_000);
      utimesSync(`${target}.lock`, old, old);
      assert.equal(buildSnapshotInBackground(request), true, 'a lock ten minutes old is taken over');
      for (let i = 0; i < 200 && existsSync(`${target}.lock`); i += 1) await sleep(50);
      assert.equal(existsSync(`${target}.lock`), false, 'the build removes its lock when it ends');
      assert.equal(readFileSync(`${target}.failed`, 'utf8'), '9:9:9:9\n');
      assert.equal(existsSync(target), false, 'no blob from a failed build');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the command\'s two newest snapshots after a build and removes older ones, not other commands\'', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falconer snapshot prune-'));
    try {
      const snapshots = join(dir, 'snapshots');
      mkdirSync(snapshots);
      const entry = join(dir, 'entry.cjs');
      writeFileSync(entry, "require('node:v8').startupSnapshot.setDeserializeMainFunction(() => {});\n");
      // Three earlier builds of validate's snapshot (other bundles), the newest last; one of mcp's.
      const earlier = ['validate-aaaa', 'validate-bbbb', 'validate-cccc', 'mcp-dddd'].map((name, i) => {
        const file = join(snapshots, `${name}.blob`);
        writeFileSync(file, 'old');
        writeFileSync(`${file}.key`, '1:1:1:1\n');
        const when = new Date(Date.now() - (10 - i) * 60_000);
        utimesSync(file, when, when);
        return file;
      });
      const target = join(snapshots, 'validate-eeee.blob');
      assert.equal(buildSnapshotInBackground({ command: 'validate', blob: target, key: '2:2:2:2', entry }), true);
      for (let i = 0; i < 400 && existsSync(`${target}.lock`); i += 1) await sleep(50);
      assert.equal(readFileSync(`${target}.key`, 'utf8'), '2:2:2:2\n', 'the build succeeded');
      const [aaaa, bbbb, cccc, dddd] = earlier as [string, string, string, string];
      // Blob and key go together, and stay together.
      assert.deepEqual(
        [aaaa, bbbb, cccc, dddd, target].map((f) => [existsSync(f), existsSync(`${f}.key`)]),
        [[false, false], [false, false], [true, true], [true, true], [true, true]],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the foreground build (`falconer snapshots build`)', () => {
  it('puts the blob and its key in place, creating the folder, and leaves nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falconer snapshot foreground-'));
    try {
      const entry = join(dir, 'entry.cjs');
      writeFileSync(entry, "require('node:v8').startupSnapshot.setDeserializeMainFunction(() => {});\n");
      const blob = join(dir, 'prebuilt', 'validate-ffff.blob');
      await buildSnapshot({ command: 'validate', entry, blob, key: '3:4' });
      assert.equal(readFileSync(`${blob}.key`, 'utf8'), '3:4\n');
      assert.deepEqual(readdirSync(join(dir, 'prebuilt')).sort(), ['validate-ffff.blob', 'validate-ffff.blob.key']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with what node said, naming the command and the blob, and marks nothing as failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falconer-snapshot-foreground-'));
    try {
      const blob = join(dir, 'mcp-ffff.blob');
      await assert.rejects(buildSnapshot({ command: 'mcp', entry: join(dir, 'missing.cjs'), blob, key: '3:4' }), (err: unknown) => {
        assert.ok(isFalconerError(err));
        assert.match(err.message, new RegExp(`^Could not build the startup snapshot of \`falconer mcp\` into ${blob.replaceAll('.', '\\.')}: .*missing\\.cjs`, 's'));
        assert.doesNotMatch(err.message, /not yet fully verified/);
        return true;
      });
      // The caller reports the failure: no `.failed`, which would keep the background from trying.
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
