import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import type { User } from '@kubernetes/client-node';

/**
 * A kubeconfig whose current context points at a stand-in API server listening on loopback over
 * plain HTTP (client-node accepts an http: server only with skipTLSVerify).
 */
export function standInKubeConfig(server: Server, user: User = { name: 'u' }): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [user],
    contexts: [{ name: 'x', cluster: 'c', user: user.name }],
    currentContext: 'x',
  });
  return kc;
}
