import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { silentLogger } from '../../src/log/logger.ts';
import { NodeReports } from '../../src/operator/loaded/node-reports.ts';
import type { MetricsReader } from '../../src/operator/loaded/metrics-reader.ts';
import { MetricsPoller } from '../../src/operator/loaded/poller.ts';
import type { Informer } from '../../src/operator/runtime/informer.ts';
import { createOperatorMetrics } from '../../src/operator/runtime/metrics.ts';
import { render } from '../support/falco-metrics-responder.ts';

const pod = (name: string, node: string, ready = true): V1Pod => ({
  metadata: { name, namespace: 'ns', labels: { 'falconer.dev/monitor': 'm', 'app.kubernetes.io/component': 'falco' } },
  spec: { nodeName: node, containers: [] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

function setup(pods: V1Pod[]) {
  const drops = new Map<string, number>();
  const failing = new Set<string>();
  let reads = 0;
  const reader: MetricsReader = {
    source: 'Falco',
    async read(p) {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      if (failing.has(p.name)) throw new Error('answered 404');
      return render({ rules: [['000-a.yaml', 'a'.repeat(64)]], config: [['falco.yaml', 'c'.repeat(64)]] }, '0.44.1', drops.get(p.name) ?? 0);
    },
  };
  let now = 1_000_000;
  const metrics = createOperatorMetrics();
  const reports = new NodeReports();
  const changed: string[] = [];
  const poller = new MetricsPoller({
    reader,
    reports,
    pods: { list: () => pods } as unknown as Informer<V1Pod>,
    metrics,
    logger: silentLogger(),
    changed: (k) => changed.push(k),
    dropWindowMs: 60_000,
    clock: () => new Date(now),
  });
  return { poller, reports, metrics, changed, drops, failing, reads: () => reads, advance: (ms: number) => (now += ms) };
}

test('overlapping readings of a monitor count its drops once, and drops count for the window only', async () => {
  const s = setup([pod('p1', 'n1'), pod('p2', 'n2', false)]);
  await s.poller.poll('ns', 'm');
  assert.equal(s.reads(), 1, 'a pod that is not Ready is not read');
  assert.deepEqual(s.changed, ['ns/m']);
  s.drops.set('p1', 100);
  await Promise.all([s.poller.poll('ns', 'm'), s.poller.poll('ns', 'm'), s.poller.poll('ns', 'm')]);
  assert.equal(s.reports.get('ns/m')?.get('p1')?.recentDrops, 100);
  assert.match(await s.metrics.registry.getSingleMetricAsString('falconer_falco_event_drops_total'), /\} 100$/m);
  s.advance(30_000);
  await s.poller.poll('ns', 'm');
  assert.equal(s.reports.get('ns/m')?.get('p1')?.recentDrops, 100, 'still within the window');
  s.advance(31_000);
  await s.poller.poll('ns', 'm');
  assert.equal(s.reports.get('ns/m')?.get('p1')?.recentDrops, 0, 'the window has passed');
});

test('a failed reading keeps the last report, counts failures in a row, and asks for a quick retry only twice', async () => {
  const s = setup([pod('p1', 'n1')]);
  await s.poller.poll('ns', 'm');
  s.failing.add('p1');
  assert.equal(await s.poller.poll('ns', 'm'), 1);
  const r = s.reports.get('ns/m')?.get('p1');
  assert.equal(r?.failures, 1);
  assert.equal(r?.report?.version, '0.44.1', 'one failed reading does not forget what Falco loaded');
  assert.match(r?.error ?? '', /404/);
  assert.equal(await s.poller.poll('ns', 'm'), 1);
  assert.equal(await s.poller.poll('ns', 'm'), 0, 'after that, the slow resync reads it');
  s.failing.delete('p1');
  await s.poller.poll('ns', 'm');
  assert.equal(s.reports.get('ns/m')?.get('p1')?.failures, 0);
  assert.match(await s.metrics.registry.getSingleMetricAsString('falconer_falco_metrics_read_errors_total'), /\} 3$/m);
});
