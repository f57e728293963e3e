import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterCredentials {
  adminToken: string;
  tokenFile: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  /** The cluster's own CA: the API server trusts client certificates it signs (`--client-ca-file`). */
  caCert: string;
  caKey: string;
  /** The API server's client certificate towards kubelets (logs, exec, port-forward). */
  kubeletClientCert: string;
  kubeletClientKey: string;
}

export interface CertificateRequest {
  commonName: string;
  /** Kubernetes reads the organisation as the user's groups. */
  organisation?: string;
  usage: 'client' | 'server' | 'both';
  ipAddresses?: readonly string[];
  dnsNames?: readonly string[];
}

const DAYS = '365';

function openssl(args: readonly string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function writeCa(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'ca.crt');
  const key = join(dir, 'ca.key');
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', DAYS,
    '-subj', '/CN=falconer-local-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  return { cert, key };
}

/**
 * Issues a certificate from the cluster CA in `dir` (written by writeCredentials), as
 * `<dir>/<name>.crt` and `.key`. openssl does the signing: Node's crypto can read X.509 but not write it.
 */
export function issueCertificate(dir: string, name: string, request: CertificateRequest): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  const subject = `${request.organisation !== undefined ? `/O=${request.organisation}` : ''}/CN=${request.commonName}`;
  const usages = { client: 'clientAuth', server: 'serverAuth', both: 'clientAuth,serverAuth' }[request.usage];
  const sans = [...(request.ipAddresses ?? []).map((ip) => `IP:${ip}`), ...(request.dnsNames ?? []).map((d) => `DNS:${d}`)];
  writeFileSync(
    ext,
    ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${usages}`, ...(sans.length > 0 ? [`subjectAltName=${sans.join(',')}`] : []), ''].join('\n'),
  );
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', subject]);
  openssl(['x509', '-req', '-in', csr, '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-set_serial', `0x${randomBytes(8).toString('hex')}`,
    '-days', DAYS, '-extfile', ext, '-out', cert]);
  rmSync(csr, { force: true });
  rmSync(ext, { force: true });
  return { cert, key };
}

/**
 * Credentials for a loopback-only control plane: a static admin token in system:masters (the
 * simplest authenticator kube-apiserver still ships), an RSA key pair for service-account tokens,
 * and a small CA for the certificates kubelets and the API server show each other. The API
 * server's serving certificate is self-signed by kube-apiserver itself (--cert-dir).
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
  const caDir = join(dir, 'ca');
  mkdirSync(caDir, { recursive: true, mode: 0o700 });
  const ca = writeCa(caDir);
  // system:masters: the kubelet's webhook authorizer then allows the API server every kubelet API.
  const client = issueCertificate(caDir, 'apiserver-kubelet-client', { commonName: 'falconer-apiserver-kubelet-client', organisation: 'system:masters', usage: 'client' });
  return { adminToken, tokenFile, serviceAccountKey, serviceAccountPub, caCert: ca.cert, caKey: ca.key, kubeletClientCert: client.cert, kubeletClientKey: client.key };
}
