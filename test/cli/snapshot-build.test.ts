/**
 * The snapshot build script (src/cli/snapshot/snapshot-build.sh) as the launcher starts it in the
 * background and as `falconer snapshots build` runs it in the foreground: locks, failures that are
 * not retried, pruning of older blobs, and the foreground's messages.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BUILD_SCRIPT, buildSnapshot } from '../../src/cli/snapshot/build.ts';
import type { SnapshotBuild } from '../../src/cli/snapshot/build.ts';
import { isFalconerError } from '../../src/core/errors.ts';

/** The smallest entry script `node --build-snapshot` accepts. */
const EMPTY_ENTRY = "require('node:v8').startupSnapshot.setDeserializeMainFunction(() => {});\n";

/** Each test's own folder, with a space in its path. */
let dir = '';
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'falconer snapshot build-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the script as the launcher starts it (with a lock, no asker left), to its end. */
function background(build: Omit<SnapshotBuild, 'command'>): Promise<number | null> {
  const child = spawn('sh', [BUILD_SCRIPT, process.execPath, build.entry, build.blob, build.key, `${build.blob}.lock`, ''], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
}

describe('the background build', () => {
  it('does not start while another process holds the lock, and takes over a lock left by a dead build', async () => {
    const blob = join(dir, 'snapshots', 'validate-x.blob');
    mkdirSync(join(dir, 'snapshots'));
    writeFileSync(`${blob}.lock`, '');
    // The entry is not a valid snapshot script: a started build fails and says so in `.failed`.
    const request = { blob, key: '9:9:9:9', entry: join(dir, 'missing.cjs') };
    assert.equal(await background(request), 0);
    assert.deepEqual(readdirSync(join(dir, 'snapshots')), ['validate-x.blob.lock'], 'a fresh lock belongs to a build in progress: nothing was tried');
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(`${blob}.lock`, old, old);
    assert.notEqual(await background(request), 0, 'a lock ten minutes old is taken over, and the build fails');
    assert.equal(existsSync(`${blob}.lock`), false, 'the build removes its lock when it ends');
    assert.equal(readFileSync(`${blob}.failed`, 'utf8'), '9:9:9:9\n');
    assert.equal(existsSync(blob), false, 'no blob from a failed build');
    assert.deepEqual(readdirSync(join(dir, 'snapshots')), ['validate-x.blob.failed'], 'no temporary file is left');
  });

  it('is not retried for the Node.js binary a build already failed for, and is for another', async () => {
    const entry = join(dir, 'entry.cjs');
    writeFileSync(entry, EMPTY_ENTRY);
    const blob = join(dir, 'snapshots', 'validate-y.blob');
    mkdirSync(join(dir, 'snapshots'));
    writeFileSync(`${blob}.failed`, '1:2:3:4\n');
    assert.equal(await background({ blob, key: '1:2:3:4', entry }), 0);
    assert.equal(existsSync(blob), false, 'the same binary: not tried again');
    // Another binary (an upgrade) tries again, and its success clears the mark.
    assert.equal(await background({ blob, key: '5:6:7:8', entry }), 0);
    assert.equal(readFileSync(`${blob}.key`, 'utf8'), '5:6:7:8\n');
    assert.equal(existsSync(`${blob}.failed`), false);
  });

  it('creates the cache folder, and gives up quietly where it cannot', async () => {
    const entry = join(dir, 'entry.cjs');
    writeFileSync(entry, EMPTY_ENTRY);
    const blob = join(dir, 'cache', 'snapshots', 'mcp-z.blob');
    assert.equal(await background({ blob, key: '7:7', entry }), 0);
    assert.equal(readFileSync(`${blob}.key`, 'utf8'), '7:7\n');
    // A cache folder under a file: nothing can be made there, and the command runs on without.
    writeFileSync(join(dir, 'file'), '');
    assert.equal(await background({ blob: join(dir, 'file', 'snapshots', 'mcp-z.blob'), key: '7:7', entry }), 0);
  });

  it('keeps the command\'s two newest snapshots after a build and removes older ones, not other commands\'', async () => {
    const snapshots = join(dir, 'snapshots');
    mkdirSync(snapshots);
    const entry = join(dir, 'entry.cjs');
    writeFileSync(entry, EMPTY_ENTRY);
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
    assert.equal(await background({ blob: target, key: '2:2:2:2', entry }), 0);
    assert.equal(readFileSync(`${target}.key`, 'utf8'), '2:2:2:2\n', 'the build succeeded');
    const [aaaa, bbbb, cccc, dddd] = earlier as [string, string, string, string];
    // Blob and key go together, and stay together.
    assert.deepEqual(
      [aaaa, bbbb, cccc, dddd, target].map((f) => [existsSync(f), existsSync(`${f}.key`)]),
      [[false, false], [false, false], [true, true], [true, true], [true, true]],
    );
    assert.equal(existsSync(`${target}.lock`), false);
  });
});

describe('the foreground build (`falconer snapshots build`)', () => {
  it('puts the blob and its key in place, creating the folder, and leaves nothing else', async () => {
    const entry = join(dir, 'entry.cjs');
    writeFileSync(entry, EMPTY_ENTRY);
    const blob = join(dir, 'prebuilt', 'validate-ffff.blob');
    await buildSnapshot({ command: 'validate', entry, blob, key: '3:4' });
    assert.equal(readFileSync(`${blob}.key`, 'utf8'), '3:4\n');
    assert.deepEqual(readdirSync(join(dir, 'prebuilt')).sort(), ['validate-ffff.blob', 'validate-ffff.blob.key']);
  });

  it('fails with what node said, naming the command and the blob, and marks nothing as failed', async () => {
    const blob = join(dir, 'mcp-ffff.blob');
    await assert.rejects(buildSnapshot({ command: 'mcp', entry: join(dir, 'missing.cjs'), blob, key: '3:4' }), (err: unknown) => {
      assert.ok(isFalconerError(err));
      assert.match(err.message, new RegExp(`^Could not build the startup snapshot of \`falconer mcp\` into ${blob.replaceAll('.', '\\.')}: .*missing\\.cjs`, 's'));
      assert.doesNotMatch(err.message, /not yet fully verified/);
      return true;
    });
    // The caller reports the failure: no `.failed`, which would keep the background from trying.
    assert.deepEqual(readdirSync(dir), []);
  });
});
