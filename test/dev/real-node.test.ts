import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onRealNodeMonitor, planRealNode, rememberArchive } from '../../src/dev/real-node.ts';
import { realNodeUnsupportedReason } from '../../src/node/capability.ts';
import { realNodeUnavailableReason } from '../../src/node/lock.ts';

describe('falconer dev and the real node', () => {
  it('stays simulated when told to', () => {
    assert.deepEqual(planRealNode({ wanted: false }), { use: false, reason: '--no-real-node was given' });
  });

  it('stays simulated, saying why, without a Falco image archive', () => {
    const env = { FALCONER_CACHE_DIR: mkdtempSync(join(tmpdir(), 'falconer-plan-')) };
    const plan = planRealNode({ wanted: true, env });
    assert.equal(plan.use, false);
    if (!plan.use) assert.ok(plan.reason.length > 0);
  });

  it('uses an archive remembered from `cluster load` when the machine can run the node', () => {
    const cache = mkdtempSync(join(tmpdir(), 'falconer-plan-'));
    const archive = join(cache, 'falco.tar');
    writeFileSync(archive, 'x');
    rememberArchive(archive, { FALCONER_CACHE_DIR: cache });
    const plan = planRealNode({ wanted: true, env: { FALCONER_CACHE_DIR: cache } });
    const blocked = realNodeUnsupportedReason() ?? realNodeUnavailableReason();
    assert.deepEqual(plan, blocked === undefined ? { use: true, archive } : { use: false, reason: blocked });
  });

  it('points only the example monitor at the imported image on the real node, never pulled', () => {
    const objects = [
      { apiVersion: 'falconer.dev/v1alpha1', kind: 'FalcoRuleSet', metadata: { name: 'r' }, spec: { rules: [] } },
      { apiVersion: 'falconer.dev/v1alpha1', kind: 'FalcoMonitor', metadata: { name: 'falco' }, spec: { ruleSets: { selector: {} } } },
    ];
    const [ruleSet, monitor] = onRealNodeMonitor(objects, 'falconer.local/falco:0.44.1');
    assert.deepEqual(ruleSet, objects[0]);
    assert.deepEqual((monitor as { spec: unknown }).spec, {
      ruleSets: { selector: {} },
      image: { repository: 'falconer.local/falco', tag: '0.44.1', pullPolicy: 'Never' },
      nodeSelector: { 'falconer.dev/node-kind': 'real' },
      tolerations: [{ key: 'falconer.dev/real-node', operator: 'Exists', effect: 'NoSchedule' }],
    });
  });
});
