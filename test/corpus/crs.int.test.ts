/**
 * The CR door of the bad-input corpus: every entry of bad-crs.ts is sent to the real API server
 * (strict field validation, as kubectl sends by default) and must be refused with a message that
 * names the field; the good objects already in the namespace must not change.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { installCrds } from '../../src/api/install.ts';
import { API_GROUP, API_GROUP_VERSION, API_VERSION, MONITOR_PLURAL, RULESET_PLURAL } from '../../src/api/names.ts';
import { apiMessage, statusOf } from '../../src/kube/api-errors.ts';
import { getTestCluster } from '../support/cluster.ts';
import { recordFigures } from '../support/report.ts';
import { BAD_CRS } from './bad-crs.ts';

let kc: KubeConfig;
let ns: string;

async function snapshot(): Promise<string> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const items = await Promise.all(
    [RULESET_PLURAL, MONITOR_PLURAL].map(async (plural) => {
      const list = (await api.listNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: ns, plural })) as { items: Array<{ metadata: { name: string; resourceVersion: string } }> };
      return list.items.map((i) => `${plural}/${i.metadata.name}@${i.metadata.resourceVersion}`);
    }),
  );
  return items.flat().sort().join('\n');
}

before(async () => {
  const cluster = await getTestCluster();
  kc = cluster.kubeConfig();
  await installCrds(kc);
  ns = await cluster.createNamespace('corpus-crs');
  const api = kc.makeApiClient(CustomObjectsApi);
  await api.createNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: ns, plural: RULESET_PLURAL, body: { apiVersion: API_GROUP_VERSION, kind: 'FalcoRuleSet', metadata: { name: 'good' }, spec: { rules: '- list: ok\n  items: [a]\n' } } });
  await api.createNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: ns, plural: MONITOR_PLURAL, body: { apiVersion: API_GROUP_VERSION, kind: 'FalcoMonitor', metadata: { name: 'good' }, spec: { image: { tag: '0.42.1' }, ruleSets: { names: ['good'] } } } });
});

describe('bad custom resources at the real API server', () => {
  it(`refuses all ${BAD_CRS.length} bad CRs, naming the field, and stores none of them`, async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const before = await snapshot();
    const accepted: string[] = [];
    const unclear: string[] = [];
    let refused = 0;
    for (const [i, bad] of BAD_CRS.entries()) {
      const plural = bad.kind === 'FalcoRuleSet' ? RULESET_PLURAL : MONITOR_PLURAL;
      const body = { apiVersion: API_GROUP_VERSION, kind: bad.kind, metadata: { name: bad.name ?? `bad-${i}` }, spec: bad.spec };
      try {
        await api.createNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: ns, plural, body, fieldValidation: 'Strict' });
        accepted.push(bad.id);
      } catch (err) {
        const status = statusOf(err);
        const message = apiMessage(err);
        if (status === 422 || status === 400) refused += 1;
        else accepted.push(`${bad.id} (HTTP ${String(status)})`);
        if (!message.includes(bad.field)) unclear.push(`${bad.id}: "${message.slice(0, 300)}" does not name ${bad.field}`);
      }
    }
    recordFigures('corpus/crs', { badInputsTried: BAD_CRS.length, badInputsRefused: refused });
    assert.deepEqual(accepted, [], 'every bad CR is refused');
    assert.deepEqual(unclear, [], 'every refusal names the field');
    assert.equal(await snapshot(), before, 'the good objects did not change and nothing was stored');
  });
});
