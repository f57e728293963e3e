/**
 * What reading every Falco pod's /metrics costs the operator, per resync, on 100 simulated nodes.
 * Two readers, measured side by side on the same monitor, both serving for each pod the text a
 * real Falco 0.44.1 served (recorded, with the monitor's own sha256s filled in):
 * - the product's pod-proxy reader, pointed at a loopback stub that answers the pod-proxy paths:
 *   one HTTP GET per Falco pod, as through the API server (plain HTTP: no TLS cost, and the API
 *   server's own work and its dial to the pod are not measured). Not the real API server: its
 *   dial to a kwok pod's made-up IP would leave loopback;
 * - a reader that returns the page in process: the operator's parsing, comparison and status
 *   work alone.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { MetricsReader } from '../src/operator/loaded/metrics-reader.ts';
import { podProxyReader } from '../src/operator/loaded/metrics-reader.ts';
import { render } from '../test/support/falco-metrics-responder.ts';
import { applier, rulesText } from './cluster.ts';
import type { BenchCluster } from './cluster.ts';
import { monitorReady } from './monitor-state.ts';
import { startBenchOperator } from './operator-env.ts';
import type { Report } from './report.ts';
import { summarise } from './stats.ts';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeTransport } from '../src/kube/transport.ts';

const NODES = 100;
const SECTION = '3 operator cost';

export async function benchFalcoMetrics(bench: BenchCluster, report: Report, options: { quick: boolean }): Promise<void> {
  await bench.growTo(NODES, 600_000);
  const ns = await bench.createNamespace('bench-metrics');
  await bench.verifySucceeds(ns);
  let page = '';
  const stub = await stubApiServer(() => page);
  const proxy = podProxyReader(new KubeTransport(stub.kc));
  let mode: 'proxy' | 'recorded' = 'recorded';
  const reader: MetricsReader = { source: 'Falco', read: (pod, signal) => (mode === 'proxy' ? proxy.read(pod, signal) : Promise.resolve(page)) };
  const operator = await startBenchOperator(bench.kc, ns, reader);
  try {
    const apply = applier(bench.kc);
    await apply.ruleSet(ns, 'team', rulesText('Team rule'));
    await apply.monitor(ns, 'fleet', { ruleSets: { names: ['team'] } });
    await waitFor(async () => monitorReady(await monitorObject(bench, ns), 'fleet', NODES), 420_000);
    page = await recordedPage(bench, ns);
    const runs = options.quick ? 3 : 10;
    for (const m of ['recorded', 'proxy'] as const) {
      mode = m;
      await operator.op.readFalcoMetrics();
      await operator.settle(60_000);
      const cpu: number[] = [];
      const wall: number[] = [];
      const requests: number[] = [];
      for (let i = 0; i < runs; i++) {
        const mark = operator.requests.mark();
        const stubMark = stub.requests();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await operator.op.readFalcoMetrics();
        await operator.settle(60_000, 200);
        const c = process.cpuUsage(c0);
        wall.push(performance.now() - t0);
        cpu.push((c.user + c.system) / 1000);
        requests.push(operator.requests.since(mark).length + stub.requests() - stubMark);
      }
      const what = m === 'proxy' ? 'pod-proxy reader, loopback stub' : 'in-process page, no HTTP';
      report.add({ section: SECTION, name: `API requests per Falco metrics resync, ${NODES} nodes (${what})`, unit: 'req', value: summarise(requests) });
      report.add({ section: SECTION, name: `operator CPU per Falco metrics resync, ${NODES} nodes (${what})`, unit: 'ms', value: summarise(cpu), note: 'whole process (user+system), includes the settle polling' });
      report.add({ section: SECTION, name: `wall time per Falco metrics resync, ${NODES} nodes (${what})`, unit: 'ms', value: summarise(wall) });
      const loaded = ((await monitorObject(bench, ns)) as { status?: { loaded?: string } }).status?.loaded;
      report.note(`Falco metrics resync (${what}): the monitor's status read loaded=${loaded ?? '?'} afterwards${m === 'recorded' ? `; a page is ${page.length} bytes` : ''}.`);
    }
  } finally {
    await operator.stop();
    await stub.close();
    await bench.deleteNamespace(ns);
  }
}

/** A loopback HTTP server answering `GET …/pods/<pod>:8765/proxy/metrics` with the page. */
async function stubApiServer(page: () => string): Promise<{ kc: KubeConfig; requests(): number; close(): Promise<void> }> {
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    const ok = req.method === 'GET' && /^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+:8765\/proxy\/metrics$/.test(req.url ?? '');
    res.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(ok ? page() : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'stub', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'stub' }],
    contexts: [{ name: 'stub', cluster: 'stub', user: 'stub' }],
    currentContext: 'stub',
  });
  return { kc, requests: () => count, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function monitorObject(bench: BenchCluster, ns: string): Promise<{ metadata?: { name?: string } }> {
  const { CustomObjectsApi } = await import('@kubernetes/client-node');
  return (await bench.kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: 'falconer.dev', version: 'v1alpha1', namespace: ns, plural: 'falcomonitors', name: 'fleet' })) as { metadata?: { name?: string } };
}

/** The page every node's Falco would serve: the recorded text with the monitor's files. */
async function recordedPage(bench: BenchCluster, ns: string): Promise<string> {
  const core = bench.kc.makeApiClient(CoreV1Api);
  const cms = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'app.kubernetes.io/managed-by=falconer' });
  const sha = (t: string): string => createHash('sha256').update(t, 'utf8').digest('hex');
  const rules = cms.items.find((c) => c.metadata?.name?.startsWith('fleet-rules-'));
  const config = cms.items.find((c) => c.metadata?.name === 'fleet-config');
  return render(
    {
      rules: [['falco_rules.yaml', sha('image rules')], ...Object.entries(rules?.data ?? {}).map(([k, v]): [string, string] => [k, sha(v)])],
      config: Object.entries(config?.data ?? {}).map(([k, v]): [string, string] => [k, sha(v)]),
    },
    '0.44.1',
    0,
  );
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(500);
  }
  throw new Error('The monitor did not become Ready on 100 nodes in time');
}
