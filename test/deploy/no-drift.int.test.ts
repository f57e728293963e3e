/**
 * GitOps without drift: the examples are applied the way Argo CD applies them (server-side,
 * field manager `argocd-controller`, with Argo CD's tracking label and annotation), the operator
 * reconciles them, and then a server-side diff is empty, the operator owns nothing under any
 * CR's spec, and no child carries the CR's labels or Argo CD's tracking marks.
 *
 * Verification Jobs cannot run a real Falco here: the test plays Falco and accepts the rules,
 * printing what a real Falco 0.42.1 printed for a valid rules file.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { parseAllDocuments, stringify } from 'yaml';
import { API_GROUP, API_VERSION, FIELD_MANAGER, MONITOR_PLURAL, RULESET_PLURAL } from '../../src/api/names.ts';
import { conditionOf, monitorStatus, recordedPodLog, setupOperatorTest } from '../operator/support/harness.ts';
import { eventually } from '../support/eventually.ts';
import type { OperatorTest } from '../operator/support/harness.ts';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const TRACKING_LABEL = 'app.kubernetes.io/instance';
const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';

type Manifest = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } };

/** The example rule sets and the minimal monitor, marked as Argo CD marks what it syncs. */
function argoManifests(namespace: string): string {
  const docs = readdirSync(EXAMPLES)
    .filter((f) => f.startsWith('ruleset-') || f === 'monitor-minimal.yaml')
    .flatMap((f) => parseAllDocuments(readFileSync(join(EXAMPLES, f), 'utf8')).map((d) => d.toJS() as Manifest));
  return docs
    .map((doc) => {
      doc.metadata.namespace = namespace;
      doc.metadata.labels = { ...doc.metadata.labels, [TRACKING_LABEL]: 'falconer-examples' };
      doc.metadata.annotations = {
        ...doc.metadata.annotations,
        [TRACKING_ANNOTATION]: `falconer-examples:falconer.dev/${doc.kind}:${namespace}/${doc.metadata.name}`,
      };
      return stringify(doc);
    })
    .join('---\n');
}

const ARGO = ['--server-side', '--field-manager=argocd-controller', '--force-conflicts', '-f', '-'];

describe('GitOps with Argo CD-style server-side apply', () => {
  let t: OperatorTest;
  let manifests: string;

  before(async () => {
    t = await setupOperatorTest('no-drift');
    manifests = argoManifests(t.namespace);
    await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: recordedPodLog('validate_loaded_json') });
    const applied = await t.cluster.kubectl(['apply', ...ARGO], { stdin: manifests });
    assert.equal(applied.code, 0, applied.stderr);
    await t.start();
    await eventually('the example monitor Ready', async () => conditionOf(await monitorStatus(t, 'falco'), 'Ready') === 'True/AllNodesReady', 180_000, 250);
  });
  after(() => t.stopAll());

  it('brings the monitor to Ready', async () => {
    const got = await t.cluster.kubectl(['get', 'fmon', 'falco', '-n', t.namespace, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
    assert.equal(got.stdout, 'True', got.stderr);
  });

  it('shows an empty server-side diff after the operator reconciled', async () => {
    const diff = await t.cluster.kubectl(['diff', ...ARGO], { stdin: manifests });
    assert.equal(diff.code, 0, `kubectl diff found drift:\n${diff.stdout}${diff.stderr}`);
    assert.equal(diff.stdout, '');
  });

  it('owns no field under any CR\'s spec', async () => {
    const api = t.kc.makeApiClient(CustomObjectsApi);
    for (const plural of [RULESET_PLURAL, MONITOR_PLURAL]) {
      const list = (await api.listNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: t.namespace, plural })) as {
        items: Array<{ metadata: V1ObjectMeta }>;
      };
      assert.ok(list.items.length > 0);
      for (const item of list.items) {
        const ours = (item.metadata.managedFields ?? []).filter((m) => m.manager === FIELD_MANAGER);
        assert.ok(ours.length > 0, `the operator wrote status of ${plural}/${item.metadata.name}`);
        for (const entry of ours) {
          assert.equal(entry.subresource, 'status', `${plural}/${item.metadata.name}: operator fields outside status`);
          assert.equal(JSON.stringify(entry.fieldsV1 ?? {}).includes('"f:spec"'), false);
        }
      }
    }
  });

  it('copies neither the CR\'s labels nor Argo CD\'s tracking marks onto children, and owns each child', async () => {
    const selector = { namespace: t.namespace, labelSelector: 'app.kubernetes.io/managed-by=falconer' };
    const core = t.kc.makeApiClient(CoreV1Api);
    const children: V1ObjectMeta[] = [
      ...(await core.listNamespacedConfigMap(selector)).items.map((o) => o.metadata ?? {}),
      ...(await core.listNamespacedServiceAccount(selector)).items.map((o) => o.metadata ?? {}),
      ...(await t.kc.makeApiClient(AppsV1Api).listNamespacedDaemonSet(selector)).items.map((o) => o.metadata ?? {}),
      ...(await t.kc.makeApiClient(BatchV1Api).listNamespacedJob(selector)).items.map((o) => o.metadata ?? {}),
    ];
    assert.ok(children.length >= 4, `expected config, bundle, service account and DaemonSet, got ${children.length}`);
    for (const child of children) {
      assert.equal(child.labels?.[TRACKING_LABEL], undefined, `${child.name} carries Argo CD's tracking label`);
      assert.equal(child.annotations?.[TRACKING_ANNOTATION], undefined, `${child.name} carries Argo CD's tracking annotation`);
      assert.equal(child.labels?.['falconer.dev/severity'], undefined, `${child.name} carries a rule set's label`);
      const controller = (child.ownerReferences ?? []).filter((r) => r.controller === true);
      assert.equal(controller.length, 1, `${child.name} has exactly one controlling owner`);
    }
  });
});
