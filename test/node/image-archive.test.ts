import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { archiveLayout } from '../../src/node/image-archive.ts';
import { imageConfigFromDockerfile } from '../support/falco-image.ts';
import { sharedFalcoAvailable, sharedFalcoDir } from '../support/falco-rootfs.ts';

describe('image archives', () => {
  it('writes a docker-archive manifest and a config with os and architecture set', () => {
    const layout = archiveLayout('falconer.local/x:1', 'ab'.repeat(32), { env: ['A=1'], cmd: ['/x'] });
    const config = JSON.parse(layout.configJson) as { os: string; architecture: string; config: { Env: string[]; Cmd: string[]; Entrypoint?: string[] }; rootfs: { diff_ids: string[] } };
    assert.equal(config.os, 'linux');
    assert.equal(config.architecture, 'amd64');
    assert.deepEqual(config.config.Env, ['A=1']);
    assert.deepEqual(config.config.Cmd, ['/x']);
    assert.equal(config.config.Entrypoint, undefined);
    assert.deepEqual(config.rootfs.diff_ids, [`sha256:${'ab'.repeat(32)}`]);
    assert.deepEqual(layout.manifest, [{ Config: layout.configName, RepoTags: ['falconer.local/x:1'], Layers: [`${'ab'.repeat(32)}/layer.tar`] }]);
    assert.match(layout.configName, /^[0-9a-f]{64}\.json$/);
  });

  it('reads ENV (both forms, continued lines, quotes), CMD and ENTRYPOINT from a Dockerfile', () => {
    const config = imageConfigFromDockerfile(['FROM scratch', 'COPY rootfs/ /', 'ENV A="x y" \\', '    B=2', 'ENV C 3', '# ENV D=4', 'ENTRYPOINT ["/e"]', 'CMD ["/c", "-v"]'].join('\n'));
    assert.deepEqual(config, { env: ['A=x y', 'B=2', 'C=3'], cmd: ['/c', '-v'], entrypoint: ['/e'] });
  });

  for (const version of ['0.42.1', '0.44.1'] as const) {
    it(`takes what the shared Falco ${version} Dockerfile declares: HOST_ROOT, HOME, CMD falco, no ENTRYPOINT`, { skip: sharedFalcoAvailable(version) ? false : 'no shared Falco tree' }, () => {
      const config = imageConfigFromDockerfile(readFileSync(`${sharedFalcoDir(version)}/Dockerfile`, 'utf8'));
      assert.ok(config.env.includes('HOST_ROOT=/host'));
      assert.ok(config.env.includes('HOME=/root'));
      if (version === '0.44.1') assert.ok(config.env.includes('FALCO_VERSION=0.44.1'));
      assert.deepEqual(config.cmd, ['/usr/bin/falco']);
      assert.equal(config.entrypoint, undefined);
    });
  }
});
