import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAtomically } from '../../src/controlplane/build.ts';

test('a build lands in its folder whole, with BUILD_INFO, and a failed one leaves nothing, not even the old partial', async () => {
  const root = mkdtempSync(join(tmpdir(), 'falconer-build-'));
  try {
    const dir = join(root, 'bin');
    await buildAtomically(dir, Date.now(), async (staging) => writeFileSync(join(staging, 'tool'), 'v1'));
    assert.equal(readFileSync(join(dir, 'tool'), 'utf8'), 'v1');
    assert.match(readFileSync(join(dir, 'BUILD_INFO'), 'utf8'), /^built .* in [\d.]+s\n$/);
    await assert.rejects(
      buildAtomically(join(root, 'other'), Date.now(), async (staging) => {
        writeFileSync(join(staging, 'half'), 'x');
        throw new Error('compiler failed');
      }),
      /compiler failed/,
    );
    assert.equal(existsSync(join(root, 'other')), false);
    assert.deepEqual(readdirSync(root).sort(), ['bin'], 'no partial folder left behind');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
