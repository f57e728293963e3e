import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kwokArgs } from '../../src/controlplane/kwok.ts';
import { apiServerArgs } from '../../src/controlplane/components.ts';
import type { ClusterLayout } from '../../src/controlplane/components.ts';
import { criLines } from '../support/cri-log.ts';
import { verificationOutcomeObjects } from '../support/kwok-behaviour.ts';

const layout: ClusterLayout = {
  dir: '/tmp/c',
  etcdClientPort: 1,
  etcdPeerPort: 2,
  apiServerPort: 3,
  kwokPort: 4,
  schedulerPort: 5,
  controllerManagerPort: 6,
  tokenFile: '/tmp/c/tokens.csv',
  serviceAccountKey: '/tmp/c/sa.key',
  serviceAccountPub: '/tmp/c/sa.pub',
  caCert: '/tmp/c/ca/ca.crt',
  kubeletClientCert: '/tmp/c/ca/apiserver-kubelet-client.crt',
  kubeletClientKey: '/tmp/c/ca/apiserver-kubelet-client.key',
  kubeconfig: '/tmp/c/kubeconfig',
};

describe('control-plane component flags', () => {
  it('binds the API server to loopback with Node+RBAC authorization and privileged pods allowed', () => {
    const args = apiServerArgs(layout);
    for (const flag of ['--bind-address=127.0.0.1', '--authorization-mode=Node,RBAC', '--allow-privileged=true', '--secure-port=3']) {
      assert.ok(args.includes(flag), flag);
    }
  });

  it('trusts client certificates from the cluster CA and shows its own to kubelets', () => {
    const args = apiServerArgs(layout);
    assert.ok(args.includes('--client-ca-file=/tmp/c/ca/ca.crt'));
    assert.ok(args.includes('--kubelet-client-certificate=/tmp/c/ca/apiserver-kubelet-client.crt'));
    assert.ok(args.includes('--kubelet-client-key=/tmp/c/ca/apiserver-kubelet-client.key'));
  });

  it('serves kwok\'s kubelet endpoint on loopback only', () => {
    const args = kwokArgs({ kubeconfig: 'k', port: 4, configFile: 'c' });
    assert.ok(args.includes('--server-address=127.0.0.1:4'));
    assert.ok(args.includes('--node-ip=127.0.0.1'));
  });

  it('lets kwok manage only the nodes it created, never a real kubelet\'s node', () => {
    const args = kwokArgs({ kubeconfig: 'k', port: 4, configFile: 'c' });
    assert.ok(args.includes('--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake'));
    assert.ok(!args.includes('--manage-all-nodes=true'));
  });
});

describe('test-side kwok behaviour', () => {
  it('writes CRI log lines kwok can serve', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    assert.equal(criLines('a\nb\n', 'stdout', at), '2026-01-02T03:04:05.678000000Z stdout F a\n2026-01-02T03:04:05.678000000Z stdout F b\n');
  });

  it('ends verification pods of one namespace only, with the chosen exit code', () => {
    const [stage, logs] = verificationOutcomeObjects('ns1', { result: 'fail', logFile: '/x' });
    const text = JSON.stringify(stage);
    assert.match(text, /"values":\["ns1"\]/);
    assert.match(text, /exitCode: 1/);
    assert.match(text, /phase: Failed/);
    assert.match(JSON.stringify(logs), /"containers":\["verify"\]/);
  });
});
