import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { cacheKey, prebuiltKey, snapshotId } from '../../src/cli/snapshot/names.ts';
import { snapshotBuilds } from '../../src/cli/snapshot/targets.ts';
import { isFalconerError } from '../../src/core/errors.ts';

const work = mkdtempSync(join(tmpdir(), 'falconer-snapshot-targets-'));
const stat = (format: string, file: string): string => execFileSync('stat', ['-L', '-c', format, '--', file], { encoding: 'utf8' }).trim();

after(() => rmSync(work, { recursive: true, force: true }));

describe('the keys of a snapshot', () => {
  it('are what the launcher\'s `stat` prints: device, inode, size and mtime in the cache; size and mtime in a prebuilt folder', () => {
    const node = statSync(process.execPath, { bigint: true });
    assert.equal(cacheKey(node), stat('%d:%i:%s:%Y', process.execPath));
    assert.equal(prebuiltKey(node), stat('%s:%Y', process.execPath));
  });

  it('round the mtime down to the second, as `stat -c %Y` does, also before 1970', () => {
    const file = join(work, 'stamped');
    writeFileSync(file, 'x');
    for (const seconds of [1.5, -1.5, 1_700_000_000.999]) {
      utimesSync(file, seconds, seconds);
      assert.equal(prebuiltKey(statSync(file, { bigint: true })), stat('%s:%Y', file), String(seconds));
    }
  });
});

describe('the snapshots `falconer snapshots build` makes', () => {
  const bundle = join(work, 'bundle');
  const node = process.execPath;
  const identity = statSync(node, { bigint: true });

  it('go into the cache folder the launcher reads, named by the digest of each entry script and keyed as the launcher keys the cache', () => {
    mkdirSync(bundle, { recursive: true });
    writeFileSync(join(bundle, 'snapshot-validate.cjs'), 'validate entry');
    writeFileSync(join(bundle, 'snapshot-mcp.cjs'), 'mcp entry');
    const env = { FALCONER_CACHE_DIR: join(work, 'cache') };
    assert.deepEqual(snapshotBuilds({ bundleDir: bundle, node, env }), [
      { command: 'validate', entry: join(bundle, 'snapshot-validate.cjs'), blob: join(work, 'cache', 'snapshots', `${snapshotId('validate', Buffer.from('validate entry'))}.blob`), key: cacheKey(identity) },
      { command: 'mcp', entry: join(bundle, 'snapshot-mcp.cjs'), blob: join(work, 'cache', 'snapshots', `${snapshotId('mcp', Buffer.from('mcp entry'))}.blob`), key: cacheKey(identity) },
    ]);
  });

  it('go into a prebuilt folder, given as an absolute or relative path, with the key that leaves out device and inode', () => {
    const builds = snapshotBuilds({ bundleDir: bundle, node, into: 'prebuilt' });
    assert.deepEqual(
      builds.map((b) => [b.blob, b.key]),
      ['validate', 'mcp'].map((command) => [join(resolve('prebuilt'), `${snapshotId(command, Buffer.from(`${command} entry`))}.blob`), prebuiltKey(identity)]),
    );
  });

  it('are refused, naming the command, when the bundle has no entry script (the sources run)', () => {
    rmSync(join(bundle, 'snapshot-mcp.cjs'));
    assert.throws(
      () => snapshotBuilds({ bundleDir: bundle, node, into: 'prebuilt' }),
      (err: unknown) => isFalconerError(err) && /No snapshot entry script for `falconer mcp` .*npm run build/.test(err.message),
    );
  });
});
