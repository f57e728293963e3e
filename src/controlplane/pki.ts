import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterCredentials {
  adminToken: string;
  tokenFile: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/**
 * Credentials for a loopback-only control plane: a static admin token in system:masters (the
 * simplest authenticator kube-apiserver still ships) and an RSA key pair for service-account tokens.
 * The serving certificate is self-signed by kube-apiserver itself (--cert-dir).
 */
export function writeCredentials(dir: string): ClusterCredentials {
  const adminToken = randomBytes(24).toString('hex');
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${adminToken},falconer-admin,falconer-admin,"system:masters"\n`, { mode: 0o600 });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccountKey = join(dir, 'sa.key');
  const serviceAccountPub = join(dir, 'sa.pub');
  writeFileSync(serviceAccountKey, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  writeFileSync(serviceAccountPub, publicKey.export({ type: 'spki', format: 'pem' }));
  return { adminToken, tokenFile, serviceAccountKey, serviceAccountPub };
}
