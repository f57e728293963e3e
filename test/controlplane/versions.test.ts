import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ETCD_VERSION, KUBERNETES_VERSION, KWOK_VERSION, binaryCacheKey, cacheRoot, helperModuleDir } from '../../src/controlplane/versions.ts';

const goMod = (m: 'kube' | 'etcd' | 'kwok'): string => readFileSync(join(helperModuleDir(m), 'go.mod'), 'utf8');

describe('control-plane versions', () => {
  it('agree with the helper go.mod files', () => {
    assert.match(goMod('kube'), new RegExp(`require k8s.io/kubernetes ${KUBERNETES_VERSION.replaceAll('.', '\\.')}\\b`));
    assert.match(goMod('etcd'), new RegExp(`go.etcd.io/etcd/server/v3 ${ETCD_VERSION.replaceAll('.', '\\.')}\\b`));
    assert.match(goMod('kwok'), new RegExp(`sigs.k8s.io/kwok ${KWOK_VERSION.replaceAll('.', '\\.')}\\b`));
  });

  it('pins every staging module of k8s.io/kubernetes to the matching v0.x release', () => {
    const staging = KUBERNETES_VERSION.replace(/^v1\./, 'v0.');
    const replaces = [...goMod('kube').matchAll(/^\s+(k8s\.io\/\S+) => (\S+) (\S+)$/gm)];
    assert.ok(replaces.length >= 31, `expected the 31 staging modules of 1.34, found ${replaces.length}`);
    for (const [, from, to, version] of replaces) {
      assert.equal(to, from);
      assert.equal(version, staging, `${from} must be pinned to ${staging}`);
    }
  });

  it('keys the binary cache on the versions and the module graph', () => {
    const key = binaryCacheKey();
    assert.ok(key.includes(KUBERNETES_VERSION) && key.includes(ETCD_VERSION) && key.includes(KWOK_VERSION));
    assert.match(key, /_[0-9a-f]{12}$/);
  });

  it('caches per machine outside the repository unless told otherwise', () => {
    assert.equal(cacheRoot({ FALCONER_CACHE_DIR: '/tmp/x' }), '/tmp/x');
    assert.equal(cacheRoot({ XDG_CACHE_HOME: '/tmp/xdg' }), '/tmp/xdg/falconer');
  });
});
