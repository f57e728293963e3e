import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { RequestOptions } from 'node:https';
import { Writable } from 'node:stream';
import { describe, it, before } from 'node:test';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  Exec,
  KubeConfig,
  RbacAuthorizationV1Api,
  VersionApi,
} from '@kubernetes/client-node';
import type { V1Pod, V1Status } from '@kubernetes/client-node';
import { getTestCluster } from '../support/cluster.ts';
import type { TestCluster } from '../support/cluster.ts';
import { eventually } from '../support/eventually.ts';
import { appendCriLog, criLogFileFrom } from '../support/cri-log.ts';

let cluster: TestCluster;
let kc: KubeConfig;
let ns: string;

before(async () => {
  cluster = await getTestCluster();
  kc = cluster.kubeConfig();
  ns = await cluster.createNamespace('controlplane');
});

function collect(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

async function runningPod(name: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespacedPod({
    namespace: ns,
    body: { metadata: { name }, spec: { containers: [{ name: 'falco', image: 'falcosecurity/falco:0.42.1' }] } },
  });
  await eventually(`pod ${name} Running`, async () => (await core.readNamespacedPod({ name, namespace: ns })).status?.phase === 'Running');
}

describe('the local control plane', () => {
  it('reports Kubernetes v1.34 from /version', async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    assert.equal(version.gitVersion, 'v1.34.4');
    assert.equal(version.minor, '34');
  });

  it('creates, reads, updates and deletes core objects', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'crud' }, data: { a: '1' } } });
    assert.deepEqual((await core.readNamespacedConfigMap({ name: 'crud', namespace: ns })).data, { a: '1' });
    await core.replaceNamespacedConfigMap({ name: 'crud', namespace: ns, body: { metadata: { name: 'crud' }, data: { a: '2' } } });
    assert.deepEqual((await core.readNamespacedConfigMap({ name: 'crud', namespace: ns })).data, { a: '2' });
    await core.deleteNamespacedConfigMap({ name: 'crud', namespace: ns });
    await assert.rejects(core.readNamespacedConfigMap({ name: 'crud', namespace: ns }), (err: { code?: number }) => err.code === 404);
  });

  it('runs a DaemonSet pod on each of the 3 simulated nodes until all are Ready', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const labels = { app: 'ds-ready' };
    await apps.createNamespacedDaemonSet({
      namespace: ns,
      body: {
        metadata: { name: 'ds-ready' },
        spec: {
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'falco', image: 'falcosecurity/falco:0.42.1', securityContext: { privileged: true } }] } },
        },
      },
    });
    await eventually('numberReady == 3', async () => (await apps.readNamespacedDaemonSet({ name: 'ds-ready', namespace: ns })).status?.numberReady === 3);
    const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns, labelSelector: 'app=ds-ready' });
    assert.deepEqual(new Set(pods.items.map((p) => p.spec?.nodeName)), new Set(cluster.nodeNames));
  });

  it('completes a Job', async () => {
    const batch = kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedJob({
      namespace: ns,
      body: {
        metadata: { name: 'job-done' },
        spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
      },
    });
    await eventually('Job Complete', async () => {
      const job = await batch.readNamespacedJob({ name: 'job-done', namespace: ns });
      return (job.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');
    });
  });

  it('execs into a pod: the mapped local command\'s output and exit status come back', async () => {
    await runningPod('exec-target');
    const exec = new Exec(kc);
    const run = async (command: string[]): Promise<{ out: string; status: V1Status }> => {
      const out = collect();
      const status = await new Promise<V1Status>((resolve, reject) => {
        exec.exec(ns, 'exec-target', 'falco', command, out.stream, null, null, false, resolve).catch(reject);
      });
      return { out: out.text(), status };
    };
    const ok = await run(['sh', '-c', 'echo "simulated=$FALCONER_SIMULATED_POD"']);
    assert.equal(ok.status.status, 'Success');
    assert.equal(ok.out.trim(), 'simulated=true');
    const failed = await run(['sh', '-c', 'echo partial; exit 3']);
    assert.equal(failed.out.trim(), 'partial');
    assert.equal(failed.status.status, 'Failure');
    // kwok reports a local command's exit status in the message, not as an ExitCode cause.
    assert.match(failed.status.message ?? '', /exit status 3/);
  });

  it('reads and follows pod logs from the file the test maps them to', async () => {
    await runningPod('logs-target');
    const file = criLogFileFrom('first line\n');
    await cluster.setPodLogs(ns, 'logs-target', 'falco', file);
    // Follow through the API server with a plain HTTPS request: client-node's Log helper leaves
    // its response stream without an error listener, so aborting it raises an uncaught error.
    const opts: RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const url = new URL(`${kc.getCurrentCluster()?.server ?? ''}/api/v1/namespaces/${ns}/pods/logs-target/log?container=falco&follow=true`);
    let text = '';
    const req = httpsRequest(url, opts, (res) => {
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('error', () => undefined);
    });
    req.on('error', () => undefined);
    req.end();
    try {
      await eventually('first line read', async () => text.includes('first line'));
      appendCriLog(file, 'second line\n');
      await eventually('appended line followed', async () => text.includes('second line'));
    } finally {
      req.destroy();
    }
  });

  it('garbage-collects children when their owner is deleted', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const owner = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'owner' } } });
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: {
        metadata: {
          name: 'child',
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata?.uid ?? '' }],
        },
      },
    });
    await core.deleteNamespacedConfigMap({ name: 'owner', namespace: ns });
    await eventually('child collected', async () => {
      try {
        await core.readNamespacedConfigMap({ name: 'child', namespace: ns });
        return false;
      } catch (err) {
        return (err as { code?: number }).code === 404;
      }
    });
  });

  it('denies a ServiceAccount what its Role does not grant', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'reader' } } });
    await rbac.createNamespacedRole({
      namespace: ns,
      body: { metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'cm-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
      },
    });
    const token = await core.createNamespacedServiceAccountToken({ name: 'reader', namespace: ns, body: { spec: { audiences: [] } } });
    const cluster0 = kc.getCurrentCluster();
    assert.ok(cluster0);
    const saKc = new KubeConfig();
    saKc.loadFromOptions({
      clusters: [cluster0],
      users: [{ name: 'reader', token: token.status?.token }],
      contexts: [{ name: 'reader', cluster: cluster0.name, user: 'reader' }],
      currentContext: 'reader',
    });
    const saCore = saKc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'readable' } } });
    await eventually('RBAC binding effective', async () => {
      try {
        await saCore.readNamespacedConfigMap({ name: 'readable', namespace: ns });
        return true;
      } catch {
        return false;
      }
    });
    await assert.rejects(saCore.listNamespacedSecret({ namespace: ns }), (err: { code?: number }) => err.code === 403);
    await assert.rejects(
      saCore.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'nope' } } }),
      (err: { code?: number }) => err.code === 403,
    );
  });
});

describe('verification pods in the simulated cluster', () => {
  it('stay running until the test decides, then end as decided with the chosen log', async () => {
    const batch = kc.makeApiClient(BatchV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const verifyNs = await cluster.createNamespace('verify');
    await batch.createNamespacedJob({
      namespace: verifyNs,
      body: {
        metadata: { name: 'verify-1' },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: { labels: { 'app.kubernetes.io/component': 'verification' } },
            spec: { restartPolicy: 'Never', containers: [{ name: 'verify', image: 'falcosecurity/falco:0.42.1' }] },
          },
        },
      },
    });
    const podOf = async (): Promise<V1Pod | undefined> =>
      (await core.listNamespacedPod({ namespace: verifyNs, labelSelector: 'job-name=verify-1' })).items[0];
    await eventually('verification pod Running', async () => (await podOf())?.status?.phase === 'Running');
    const source = new URL('../../../shared/falco-outputs/cases/validate_stdin_bad_field_json/stdout', import.meta.url).pathname;
    await cluster.setVerificationOutcome(verifyNs, { result: 'fail', logFile: source });
    await eventually('verification pod Failed', async () => (await podOf())?.status?.phase === 'Failed');
    const pod = await podOf();
    const log = await core.readNamespacedPodLog({ name: pod?.metadata?.name ?? '', namespace: verifyNs, container: 'verify' });
    assert.equal(log.trim(), readFileSync(source, 'utf8').trim());
    await eventually('Job Failed', async () => {
      const job = await batch.readNamespacedJob({ name: 'verify-1', namespace: verifyNs });
      return (job.status?.conditions ?? []).some((c) => c.type === 'Failed' && c.status === 'True');
    });
  });
});
