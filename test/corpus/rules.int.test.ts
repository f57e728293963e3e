/**
 * Bad rules documents through the CR door: a FalcoRuleSet holding each of them is reported
 * Valid=False with the static check's error, and the monitor that selects them all keeps its
 * DaemonSet and its bundle exactly as they were. The operator runs in this process (harness);
 * kwok plays the kubelets and verification pods print a recorded real Falco 0.42.1 output.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, RULESET_PLURAL } from '../../src/api/names.ts';
import { MAX_RULES_BYTES } from '../../src/api/ruleset.ts';
import { rulesText } from '../operator/support/fixtures.ts';
import { applyMonitor, applyRuleSet, daemonSet, monitorStatus, recordedPodLog, setupOperatorTest, waitForReady } from '../operator/support/harness.ts';
import type { OperatorTest } from '../operator/support/harness.ts';
import { eventually } from '../support/eventually.ts';
import { BAD_RULES } from './bad-rules.ts';

const tests: OperatorTest[] = [];
after(async () => Promise.all(tests.map((t) => t.stopAll())));

/** Documents a CR can carry at all (the API server refuses larger ones: that is the CR door). */
const carried = BAD_RULES.filter((b) => b.expect === 'error' && Buffer.byteLength(b.content, 'utf8') <= MAX_RULES_BYTES && !b.content.includes('\u0000'));

describe('bad rules documents in FalcoRuleSets', () => {
  it(`reports ${carried.length} bad rule sets Valid=False and never touches the monitor's DaemonSet`, async () => {
    const t = await setupOperatorTest('corpus-rules');
    tests.push(t);
    await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
    await applyRuleSet(t, 'base', rulesText('Base rule'), { labels: { corpus: 'yes' } });
    await t.start();
    await applyMonitor(t, 'main', { image: { tag: '0.42.1' }, ruleSets: { selector: { matchLabels: { corpus: 'yes' } } } });
    const good = await waitForReady(t, 'main', ['base']);
    const before = await daemonSet(t, 'main');

    for (const [i, bad] of carried.entries()) await applyRuleSet(t, `bad-${i}`, bad.content, { labels: { corpus: 'yes' } });
    const api = t.kc.makeApiClient(CustomObjectsApi);
    let notYet: string[] = [];
    await eventually('every bad rule set reported Valid=False', async () => {
      const list = (await api.listNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: t.namespace, plural: RULESET_PLURAL })) as {
        items: Array<{ metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string; message: string }>; errors?: Array<{ code: string }> } }>;
      };
      notYet = list.items
        .filter((r) => r.metadata.name.startsWith('bad-'))
        .filter((r) => {
          const valid = r.status?.conditions?.find((c) => c.type === 'Valid');
          return valid?.status !== 'False' || !/LOAD_ERR_/.test(valid.message) || r.status?.errors?.[0]?.code === undefined;
        })
        .map((r) => r.metadata.name);
      return list.items.length === carried.length + 1 && notYet.length === 0;
    }, 120_000, 500).catch((err: unknown) => {
      throw new Error(`${String(err)}; not reported yet: ${notYet.map((n) => carried[Number(n.slice(4))]?.id).join(', ')}`);
    });

    await eventually('the monitor lists them as rejected', async () => ((await monitorStatus(t, 'main'))?.rejectedRuleSets ?? []).length === carried.length, 60_000, 500);
    const after = await monitorStatus(t, 'main');
    assert.equal(after?.bundleHash, good.bundleHash, 'the bundle did not change');
    assert.deepEqual(after?.appliedRuleSets?.map((r) => r.name), ['base']);
    const ds = await daemonSet(t, 'main');
    assert.equal(ds?.metadata?.generation, before?.metadata?.generation, 'the DaemonSet was not touched');
    assert.equal(ds?.metadata?.resourceVersion !== undefined, true);
  });
});
