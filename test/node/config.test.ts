import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { REAL_NODE_TAINT_KEY, cniConflist, containerdConfig, kubeletConfig, kubeletKubeconfig } from '../../src/node/config.ts';
import type { NodeLayout } from '../../src/node/config.ts';
import { NODE_NETWORK, inNodeNetwork } from '../../src/node/network.ts';
import { PAUSE_IMAGE } from '../../src/node/versions.ts';

const layout: NodeLayout = {
  nodeName: 'n',
  stateDir: '/c/node/state',
  binDir: '/cache/node/bin',
  cniBinDir: '/cache/node/cni',
  cniConfDir: '/c/node/etc/cni/net.d',
  nodeIp: '10.213.0.2',
  podCidr: '10.214.0.0/24',
  bridge: 'falconer-br0',
  containerdRunDir: '/run/containerd',
  caCert: '/c/ca/ca.crt',
  servingCert: '/c/ca/kubelet-serving.crt',
  servingKey: '/c/ca/kubelet-serving.key',
};

describe('real-node configuration', () => {
  it('lets containerd start sandboxes without CAP_SYS_RESOURCE and never pull the pause image', () => {
    const toml = containerdConfig(layout);
    assert.match(toml, /^ {2}restrict_oom_score_adj = true$/m);
    assert.match(toml, new RegExp(`sandbox = "${PAUSE_IMAGE}"`));
    assert.match(toml, /BinaryName = "\/cache\/node\/bin\/runc"/);
    assert.match(toml, /SystemdCgroup = false/);
    assert.match(toml, /address = "\/run\/containerd\/containerd.sock"/);
  });

  it('gives pods addresses from the node\'s bridge and range', () => {
    const conf = JSON.parse(cniConflist(layout)) as { plugins: Array<{ type: string; bridge?: string; ipam?: { ranges: unknown } }> };
    assert.equal(conf.plugins[0]?.type, 'bridge');
    assert.equal(conf.plugins[0]?.bridge, 'falconer-br0');
    assert.deepEqual(conf.plugins[0]?.ipam?.ranges, [[{ subnet: '10.214.0.0/24' }]]);
  });

  it('authenticates and authorises every kubelet API call (no anonymous AlwaysAllow)', () => {
    const cfg = parse(kubeletConfig(layout)) as Record<string, unknown>;
    assert.deepEqual(cfg['authentication'], { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/c/ca/ca.crt' } });
    assert.deepEqual(cfg['authorization'], { mode: 'Webhook' });
    assert.equal(cfg['tlsCertFile'], '/c/ca/kubelet-serving.crt');
  });

  it('runs on this hybrid cgroup v1 host, keeps hand-imported images and taints itself', () => {
    const cfg = parse(kubeletConfig(layout)) as Record<string, unknown>;
    assert.equal(cfg['cgroupDriver'], 'cgroupfs');
    assert.equal(cfg['failCgroupV1'], false);
    assert.equal(cfg['failSwapOn'], false);
    assert.equal(cfg['imageGCHighThresholdPercent'], 100);
    assert.deepEqual(cfg['registerWithTaints'], [{ key: REAL_NODE_TAINT_KEY, value: 'true', effect: 'NoSchedule' }]);
  });

  it('reaches the API server through the relay with TLS verification on', () => {
    const kc = parse(kubeletKubeconfig({ server: 'https://10.213.0.1:6443', apiServerCaPem: 'PEM', tlsServerName: 'kubernetes', clientCert: 'c', clientKey: 'k' })) as {
      clusters: Array<{ cluster: Record<string, string> }>;
    };
    const cluster = kc.clusters[0]?.cluster ?? {};
    assert.equal(cluster['server'], 'https://10.213.0.1:6443');
    assert.equal(cluster['tls-server-name'], 'kubernetes');
    assert.equal(Buffer.from(cluster['certificate-authority-data'] ?? '', 'base64').toString(), 'PEM');
    assert.equal(cluster['insecure-skip-tls-verify'], undefined);
  });

  it('enters only the node\'s network namespace (nsenter --net, not ip netns exec)', () => {
    const { command, args } = inNodeNetwork(NODE_NETWORK, '/bin/kubelet', ['--v=1']);
    assert.equal(command, 'nsenter');
    assert.deepEqual(args, ['--net=/run/netns/falconer-node', '--', '/bin/kubelet', '--v=1']);
  });
});
