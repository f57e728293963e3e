/**
 * The CRDs against the real API server: they install cleanly, the examples are accepted, every
 * validation rule rejects its invalid object naming the field, and the descriptions reach
 * `kubectl explain` and the published OpenAPI v3 document.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { installCrds } from '../../src/api/install.ts';
import { DEFAULT_FALCO_TAG } from '../../src/api/monitor-image.ts';
import { API_GROUP, API_VERSION, MONITOR_PLURAL, RULESET_PLURAL } from '../../src/api/names.ts';
import { getTestCluster } from '../support/cluster.ts';
import { INVALID_CASES, INVALID_STATUS_CASES, baseMonitor, baseRuleSet, objectOf } from './support/cases.ts';
import { EXAMPLES_DIR, exampleObjects } from './support/examples.ts';
import { dryRunCreate } from './support/server.ts';

const cluster = await getTestCluster();
const kc: KubeConfig = cluster.kubeConfig();
let namespace = '';

async function kubectl(args: string[], stdin?: string): Promise<string> {
  const result = await cluster.kubectl(args, stdin === undefined ? {} : { stdin });
  assert.equal(result.code, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

before(async () => {
  await installCrds(kc);
  namespace = await cluster.createNamespace('api');
});

test('the CRDs are Established, with accepted names and no NonStructuralSchema condition', async () => {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  for (const plural of [RULESET_PLURAL, MONITOR_PLURAL]) {
    const crd = await api.readCustomResourceDefinition({ name: `${plural}.${API_GROUP}` });
    const status = Object.fromEntries((crd.status?.conditions ?? []).map((c) => [c.type, c.status]));
    assert.equal(status['Established'], 'True', plural);
    assert.equal(status['NamesAccepted'], 'True', plural);
    assert.equal(status['NonStructuralSchema'], undefined, plural);
  }
});

test('installing the CRDs again changes nothing', async () => {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const versions = async (): Promise<(string | undefined)[]> =>
    Promise.all([RULESET_PLURAL, MONITOR_PLURAL].map(async (p) => (await api.readCustomResourceDefinition({ name: `${p}.${API_GROUP}` })).metadata?.resourceVersion));
  const first = await versions();
  await installCrds(kc);
  assert.deepEqual(await versions(), first);
});

test('every example is accepted by server-side apply, and the schema defaults are filled in', async () => {
  await kubectl(['apply', '--server-side', '--field-manager=falconer-test', '-n', namespace, '-f', EXAMPLES_DIR]);
  for (const { object } of exampleObjects()) {
    const name = (object['metadata'] as { name: string }).name;
    const live = JSON.parse(await kubectl(['get', String(object['kind']).toLowerCase(), name, '-n', namespace, '-o', 'json'])) as {
      spec: Record<string, unknown>;
    };
    assert.ok(live.spec, name);
  }
  const minimal = JSON.parse(await kubectl(['get', 'fmon', 'falco', '-n', namespace, '-o', 'json'])) as { spec: Record<string, Record<string, unknown>> };
  assert.equal(minimal.spec['image']?.['tag'], DEFAULT_FALCO_TAG);
  assert.equal(minimal.spec['driver']?.['kind'], 'modern_ebpf');
  assert.equal(minimal.spec['outputs']?.['json'], true);
});

test('kubectl get shows the printer columns', async () => {
  const monitors = await kubectl(['get', 'fmon', '-n', namespace]);
  for (const column of ['DESIRED', 'READY-NODES', 'FALCO', 'APPLIED', 'REJECTED', 'READY', 'AGE']) assert.match(monitors, new RegExp(column));
  const ruleSets = await kubectl(['get', 'frs', '-n', namespace]);
  for (const column of ['RULES', 'MACROS', 'LISTS', 'VALID', 'VERIFIED', 'AGE']) assert.match(ruleSets, new RegExp(column));
  const category = await kubectl(['get', 'falconer', '-n', namespace, '-o', 'name']);
  assert.match(category, /falcoruleset\.falconer\.dev\//);
  assert.match(category, /falcomonitor\.falconer\.dev\//);
});

describe('the API server rejects each invalid object and names the field', () => {
  for (const c of INVALID_CASES) {
    test(`${c.kind}: ${c.name} (${c.field})`, async () => {
      const object = objectOf(c) as unknown as KubernetesObject;
      object.metadata = { ...object.metadata, namespace };
      const verdict = await dryRunCreate(kc, object);
      assert.equal(verdict.accepted, false, 'accepted');
      assert.ok(verdict.message.includes(c.field), verdict.message);
    });
  }
});

describe('the status subresource rejects invalid status and names the field', () => {
  before(async () => {
    const manifests = [baseRuleSet('status-target'), baseMonitor('status-target')].map((o) => JSON.stringify(o)).join('\n');
    await kubectl(['apply', '--server-side', '--field-manager=falconer-test', '-n', namespace, '-f', '-'], manifests);
  });
  for (const c of INVALID_STATUS_CASES) {
    test(`${c.kind}: ${c.name} (${c.field})`, async () => {
      const args = ['patch', c.kind.toLowerCase(), 'status-target', '-n', namespace, '--subresource=status', '--type=merge'];
      const result = await cluster.kubectl([...args, '--dry-run=server', '-p', JSON.stringify({ status: c.status })]);
      assert.notEqual(result.code, 0, 'accepted');
      assert.ok(result.stderr.includes(c.field), result.stderr);
    });
  }
});

test('kubectl explain teaches the API from the schema descriptions', async () => {
  const spec = await kubectl(['explain', 'falcomonitor.spec']);
  assert.match(spec, /How Falco runs, which rules it loads and where its alerts go/);
  assert.match(spec, /minimumPriority/);
  const loadOrder = await kubectl(['explain', 'falcoruleset.spec.loadOrder']);
  assert.match(loadOrder, /ties broken by name/);
  const owned = await kubectl(['explain', 'falcomonitor.spec.extraConfig.rules_files']);
  assert.match(owned, /Owned by Falconer and refused here/);
});

test('the published OpenAPI v3 document carries the descriptions', async () => {
  const doc = JSON.parse(await kubectl(['get', '--raw', `/openapi/v3/apis/${API_GROUP}/${API_VERSION}`])) as {
    components: { schemas: Record<string, { properties?: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> }> };
  };
  const monitor = Object.entries(doc.components.schemas).find(([key]) => key.endsWith('.FalcoMonitor'))?.[1];
  assert.ok(monitor, 'FalcoMonitor schema published');
  assert.match(monitor.properties?.['spec']?.properties?.['driver']?.description ?? '', /kernel events/);
});
