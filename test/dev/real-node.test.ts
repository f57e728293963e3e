import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onRealNodeMonitor, planRealNode } from '../../src/dev/real-node.ts';
import { realNodeUnsupportedReason } from '../../src/node/capability.ts';
import { realNodeUnavailableReason } from '../../src/node/lock.ts';

describe('falconer dev and the real node', () => {
  it('stays simulated when told to', () => {
    assert.deepEqual(planRealNode({ wanted: false }), { use: false, reason: '--no-real-node was given' });
  });

  it('stays simulated, saying why, without a Falco image archive', () => {
    const plan = planRealNode({ wanted: true });
    assert.equal(plan.use, false);
    if (!plan.use) assert.ok(plan.reason.length > 0);
  });

  it('uses the given archive when the machine can run the node, and says why not otherwise', () => {
    const archive = join(mkdtempSync(join(tmpdir(), 'falconer-plan-')), 'falco.tar');
    writeFileSync(archive, 'x');
    const blocked = realNodeUnsupportedReason() ?? realNodeUnavailableReason();
    assert.deepEqual(planRealNode({ wanted: true, archive }), blocked === undefined ? { use: true, archive } : { use: false, reason: blocked });
  });

  it('refuses an archive that does not exist', () => {
    const plan = planRealNode({ wanted: true, archive: '/nonexistent/falco.tar' });
    assert.equal(plan.use, false);
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
