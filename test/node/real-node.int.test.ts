/**
 * The real node is real: a kubelet, containerd and runc run these pods, not kwok. Every test
 * checks something a simulated pod cannot show (a PID namespace of its own, the host kernel
 * through a hostPath, exit codes from a real process, logs a process writes as it runs, an IP
 * from the node's CNI bridge, the real Falco binary), so each one fails if the node were kwok's.
 * The last tests kill the node the way a killed run would, start it again and stop it cleanly,
 * and check that neither leaves anything on the machine.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { BatchV1Api, CoreV1Api, Exec } from '@kubernetes/client-node';
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
import { REAL_NODE_LABEL, REAL_NODE_TAINT_KEY } from '../../src/node/config.ts';
import { CONTAINERD_VERSION } from '../../src/node/versions.ts';
import { KUBERNETES_VERSION } from '../../src/controlplane/versions.ts';
import { loadImageArchive } from '../../src/node/images.ts';
import { leftovers } from '../../src/node/footprint.ts';
import { teardownRealNode } from '../../src/node/teardown.ts';
import { startRealNode } from '../../src/node/start.ts';
import { readState, writeState } from '../../src/controlplane/state.ts';
import { getTestCluster, realNodeSkipReason } from '../support/cluster.ts';
import type { TestCluster } from '../support/cluster.ts';
import { eventually } from '../support/eventually.ts';
import { falcoImageArchive, falcoImageReference } from '../support/falco-image.ts';
import { describeFalcoEndToEnd } from './cases/falco-end-to-end.ts';
import { onRealNode, realNodePod } from '../support/real-node.ts';
import type { RealNodeRecord } from '../../src/node/record.ts';

const skip = realNodeSkipReason();
let cluster: TestCluster;
let node: RealNodeRecord;
let kc: KubeConfig;
let core: CoreV1Api;
let ns: string;
let image: string;

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk: Buffer, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    }),
    text: () => text,
  };
}

async function podPhase(name: string): Promise<string | undefined> {
  return (await core.readNamespacedPod({ name, namespace: ns })).status?.phase;
}

async function logsOf(name: string): Promise<string> {
  return core.readNamespacedPodLog({ name, namespace: ns });
}

describe('the real node', { skip: skip ?? false }, () => {
  before(async () => {
    cluster = await getTestCluster();
    if (cluster.realNode === undefined) throw new Error('The test cluster has no real node although this machine can run one');
    node = cluster.realNode;
    kc = cluster.kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    ns = await cluster.createNamespace('realnode');
    const falco = await falcoImageArchive('0.44.1');
    assert.deepEqual(await loadImageArchive(node, falco.archive), [falco.reference]);
    image = falco.reference;
  });

  after(async () => {
    await core?.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('joins as a kubelet with containerd, labelled and tainted so only chosen workloads land on it', async () => {
    const n = await core.readNode({ name: node.name });
    assert.equal(n.status?.nodeInfo?.kubeletVersion, KUBERNETES_VERSION);
    assert.equal(n.status?.nodeInfo?.containerRuntimeVersion, `containerd://${CONTAINERD_VERSION.replace(/^v/, '')}`);
    assert.equal(n.metadata?.annotations?.['kwok.x-k8s.io/node'], undefined);
    assert.equal(n.metadata?.labels?.[REAL_NODE_LABEL], 'real');
    assert.ok((n.spec?.taints ?? []).some((t) => t.key === REAL_NODE_TAINT_KEY && t.effect === 'NoSchedule'));
    assert.deepEqual(n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address, node.nodeIp);
    assert.ok(!cluster.nodeNames.includes(node.name));
  });

  it('runs a privileged pod with host mounts: its own PID namespace, the host kernel and the host\'s PID 1', async () => {
    const script = [
      // Kubernetes expands `$$` in a command to `$`: `$$$$` reaches the shell as `$$`, its own PID.
      'echo "self=$$$$"',
      'echo "kernel=$(busybox cat /host/proc/version)"',
      'echo "hostinit=$(busybox tr "\\0" " " < /host/proc/1/cmdline)"',
      'echo "socket=$(busybox ls /host/run/containerd/containerd.sock)"',
      'exec busybox sleep 3600',
    ].join('; ');
    await core.createNamespacedPod({
      namespace: ns,
      body: realNodePod('hostview', {
        containers: [
          {
            name: 'c',
            image,
            command: ['/bin/sh', '-c', script],
            securityContext: { privileged: true },
            volumeMounts: [
              { name: 'proc', mountPath: '/host/proc', readOnly: true },
              { name: 'etc', mountPath: '/host/etc', readOnly: true },
              { name: 'containerd', mountPath: '/host/run/containerd' },
            ],
          },
        ],
        volumes: [
          { name: 'proc', hostPath: { path: '/proc' } },
          { name: 'etc', hostPath: { path: '/etc' } },
          { name: 'containerd', hostPath: { path: '/run/containerd' } },
        ],
      }),
    });
    await eventually('pod hostview Running', async () => (await podPhase('hostview')) === 'Running');
    let log = '';
    await eventually('hostview printed its view', async () => {
      log = await logsOf('hostview');
      return log.includes('socket=');
    });
    assert.match(log, /^self=1$/m, 'the shell is PID 1 of its own PID namespace');
    assert.ok(log.includes(`kernel=${readFileSync('/proc/version', 'utf8').trim()}`), log);
    const hostInit = readFileSync('/proc/1/cmdline', 'utf8').replaceAll('\0', ' ').trim();
    assert.ok(log.includes(`hostinit=${hostInit}`), log);
    assert.match(log, /^socket=\/host\/run\/containerd\/containerd\.sock$/m);
    const pod = await core.readNamespacedPod({ name: 'hostview', namespace: ns });
    assert.equal(pod.spec?.nodeName, node.name);
    assert.equal(pod.status?.hostIP, node.nodeIp);
  });

  it('gives pods an address from the node\'s CNI bridge range', async () => {
    const pod = await core.readNamespacedPod({ name: 'hostview', namespace: ns });
    const prefix = node.podCidr.replace(/\.0\/24$/, '.');
    assert.ok(pod.status?.podIP?.startsWith(prefix), `pod IP ${pod.status?.podIP} is not in ${node.podCidr}`);
    const exec = new Exec(kc);
    const out = sink();
    await new Promise<V1Status>((resolve, reject) => {
      exec.exec(ns, 'hostview', 'c', ['busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0'], out.stream, null, null, false, resolve).catch(reject);
    });
    assert.ok(out.text().includes(`${pod.status?.podIP}/24`), out.text());
  });

  it('execs through the API server and the kubelet: stdout and the real exit status come back', async () => {
    const exec = new Exec(kc);
    const run = async (command: string[]): Promise<{ out: string; status: V1Status }> => {
      const out = sink();
      const status = await new Promise<V1Status>((resolve, reject) => {
        exec.exec(ns, 'hostview', 'c', command, out.stream, null, null, false, resolve).catch(reject);
      });
      return { out: out.text(), status };
    };
    const ok = await run(['/bin/sh', '-c', 'echo "pid=$$ simulated=${FALCONER_SIMULATED_POD:-no}"']);
    assert.equal(ok.status.status, 'Success');
    assert.match(ok.out.trim(), /^pid=\d+ simulated=no$/);
    assert.notEqual(ok.out.trim(), 'pid=1 simulated=no', 'an exec is a new process beside PID 1');
    const failed = await run(['/bin/sh', '-c', 'echo failing; exit 3']);
    assert.equal(failed.out.trim(), 'failing');
    assert.equal(failed.status.status, 'Failure');
    // A real kubelet reports the exit code as a cause (kwok only puts it in the message).
    assert.deepEqual(failed.status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message, '3');
    // The image's own environment (from the shared Dockerfile) reaches the real process.
    const env = await run(['busybox', 'env']);
    for (const line of ['HOST_ROOT=/host', 'HOME=/root', 'FALCO_VERSION=0.44.1']) assert.match(env.out, new RegExp(`^${line}$`, 'm'));
    const kubectl = await cluster.kubectl(['exec', '-n', ns, 'hostview', '--', '/bin/sh', '-c', 'echo via-kubectl; exit 4']);
    assert.equal(kubectl.stdout.trim(), 'via-kubectl');
    assert.equal(kubectl.code, 4);
  });

  it('serves logs as the container writes them, read whole and followed', async () => {
    await core.createNamespacedPod({
      namespace: ns,
      body: realNodePod('ticker', {
        containers: [{ name: 'c', image, command: ['/bin/sh', '-c', 'i=0; while true; do i=$((i+1)); echo "tick $i"; busybox sleep 0.2; done'] }],
      }),
    });
    await eventually('pod ticker Running', async () => (await podPhase('ticker')) === 'Running');
    let first = '';
    await eventually('ticker logged', async () => {
      first = await logsOf('ticker');
      return /tick 2\n/.test(first);
    });
    const seenBefore = Math.max(...[...first.matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    // `kubectl logs -f`, as a user follows a pod: API server → kubelet → containerd's log file.
    const follower = spawn(join(cluster.binDir, 'kubectl'), ['--kubeconfig', cluster.kubeconfigPath, 'logs', '-f', '--since=1s', '-n', ns, 'ticker'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let followed = '';
    follower.stdout.setEncoding('utf8').on('data', (d: string) => (followed += d));
    try {
      const target = seenBefore + 5;
      await eventually(`followed logs reach tick ${target}`, async () => followed.includes(`tick ${target}\n`));
    } finally {
      follower.kill('SIGTERM');
    }
    assert.equal(follower.exitCode, null, 'kubectl logs -f was still following when stopped');
    const ticks = [...followed.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(ticks, [...ticks].sort((a, b) => a - b), 'lines arrive in the order they were written');
    assert.ok(ticks.some((t) => t > seenBefore), 'following delivers lines written after it started');
  });

  it('runs a Job to completion in a real container', async () => {
    const batch = kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedJob({
      namespace: ns,
      body: {
        metadata: { name: 'once' },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: { labels: { job: 'once' } },
            spec: onRealNode({ restartPolicy: 'Never', containers: [{ name: 'c', image, command: ['/bin/sh', '-c', 'echo "job ran as pid $$$$ on $(busybox hostname)"'] }] }),
          },
        },
      },
    });
    await eventually('Job once Complete', async () => {
      const job = await batch.readNamespacedJob({ name: 'once', namespace: ns });
      return (job.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');
    });
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'job=once' });
    const pod = pods.items[0];
    assert.equal(pod?.spec?.nodeName, node.name);
    assert.equal(pod?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);
    assert.equal((await logsOf(pod?.metadata?.name ?? '')).trim(), `job ran as pid 1 on ${pod?.metadata?.name ?? ''}`);
  });

  for (const version of ['0.44.1', '0.42.1'] as const) {
    it(`runs the real Falco ${version} binary from its image: falco --version`, async () => {
      const falco = await falcoImageArchive(version);
      if (version !== '0.44.1') assert.deepEqual(await loadImageArchive(node, falco.archive), [falco.reference]);
      const name = `falco-version-${version.replaceAll('.', '-')}`;
      await core.createNamespacedPod({
        namespace: ns,
        body: realNodePod(name, { restartPolicy: 'Never', containers: [{ name: 'falco', image: falco.reference, args: ['/usr/bin/falco', '--version'] }] }),
      });
      await eventually(`${name} Succeeded`, async () => {
        const phase = await podPhase(name);
        if (phase === 'Failed') throw new Error(`${name} failed:\n${await logsOf(name)}`);
        return phase === 'Succeeded';
      });
      const out = await logsOf(name);
      assert.match(out, new RegExp(`^Falco version: ${version.replaceAll('.', '\\.')}$`, 'm'));
      assert.match(out, /^Libs version: +\d+\.\d+\.\d+$/m);
    });
  }

  // Falco itself on this node (issue: Falco on the real node, end to end), before the node goes.
  describeFalcoEndToEnd(() => ({ cluster, images: { '0.44.1': image, '0.42.1': falcoImageReference('0.42.1') } }));

  it('leaves nothing behind once teardown (what the reaper runs) follows a kill of its processes', async () => {
    // As after a SIGKILLed run: kubelet, containerd and the relay die with pods still running.
    for (const c of node.components) process.kill(c.pid, 'SIGKILL');
    assert.ok((await leftovers(node)).length > 0, 'a killed node leaves pods, mounts and its namespace behind until teardown');
    await teardownRealNode(node);
    assert.deepEqual(await leftovers(node), []);
  });

  it('starts again in the same cluster, and a clean stop (as `cluster down` does) leaves nothing behind either', async () => {
    // The cluster's folder holds the CA and the API server's certificate the node needs.
    const dir = dirname(cluster.logsDir);
    const state = readState(dir);
    assert.ok(state !== undefined, `no cluster state in ${dir}`);
    const restarted = await startRealNode({
      clusterDir: dir,
      apiServerPort: Number(new URL(state.server).port),
      kubeConfig: kc,
      detached: false,
      // Recorded like the first node, so the run's own teardown finds it if this test fails.
      onRecord: (record) => writeState({ ...(readState(dir) ?? state), realNode: record }),
    });
    const falco = await falcoImageArchive('0.44.1');
    await loadImageArchive(restarted.record, falco.archive);
    await core.createNamespacedPod({
      namespace: ns,
      body: realNodePod('after-restart', { containers: [{ name: 'c', image: falco.reference, command: ['busybox', 'sleep', '3600'] }] }),
    });
    await eventually('pod after-restart Running', async () => (await podPhase('after-restart')) === 'Running');
    await teardownRealNode(restarted.record);
    assert.deepEqual(await leftovers(restarted.record), []);
  });
});
