import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** A kubeconfig for the local cluster's admin: token auth, the apiserver's own self-signed CA. */
export function writeKubeconfig(file: string, options: { name: string; server: string; caPem: string; token: string }): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: options.name,
        cluster: { server: options.server, 'certificate-authority-data': Buffer.from(options.caPem).toString('base64') },
      },
    ],
    users: [{ name: `${options.name}-admin`, user: { token: options.token } }],
    contexts: [{ name: options.name, context: { cluster: options.name, user: `${options.name}-admin`, namespace: 'default' } }],
    'current-context': options.name,
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
}
