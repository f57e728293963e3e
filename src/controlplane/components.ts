import { join } from 'node:path';

/** Ports and paths one local cluster uses; everything binds to loopback. */
export interface ClusterLayout {
  dir: string;
  etcdClientPort: number;
  etcdPeerPort: number;
  apiServerPort: number;
  kwokPort: number;
  schedulerPort: number;
  controllerManagerPort: number;
  tokenFile: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  /** The cluster CA (client certificates) and the API server's own client certificate for kubelets. */
  caCert: string;
  kubeletClientCert: string;
  kubeletClientKey: string;
  kubeconfig: string;
}

export function etcdArgs(l: ClusterLayout): string[] {
  const client = `http://127.0.0.1:${l.etcdClientPort}`;
  const peer = `http://127.0.0.1:${l.etcdPeerPort}`;
  return [
    '--name=falconer',
    `--data-dir=${join(l.dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=falconer=${peer}`,
    // A throw-away test store: skipping fsync makes every write several times faster.
    '--unsafe-no-fsync=true',
    '--quota-backend-bytes=4294967296',
    '--log-level=warn',
  ];
}

export function apiServerArgs(l: ClusterLayout): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${l.etcdClientPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${l.apiServerPort}`,
    `--cert-dir=${join(l.dir, 'pki')}`,
    `--token-auth-file=${l.tokenFile}`,
    `--client-ca-file=${l.caCert}`,
    // A real kubelet authenticates with a client certificate and asks before serving logs or exec:
    // the Node authorizer gives it exactly a kubelet's rights, and the API server shows its own.
    '--authorization-mode=Node,RBAC',
    `--kubelet-client-certificate=${l.kubeletClientCert}`,
    `--kubelet-client-key=${l.kubeletClientKey}`,
    '--allow-privileged=true',
    '--service-cluster-ip-range=10.96.0.0/16',
    `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
    `--service-account-key-file=${l.serviceAccountPub}`,
    `--service-account-signing-key-file=${l.serviceAccountKey}`,
    // The "kubernetes" Endpoints would hold 127.0.0.1, which endpoint validation rejects.
    '--endpoint-reconciler-type=none',
    // kwok's kubelet server answers on 127.0.0.1; the apiserver must dial the InternalIP.
    '--kubelet-preferred-address-types=InternalIP',
    '--enable-priority-and-fairness=false',
    '--max-requests-inflight=2000',
    '--max-mutating-requests-inflight=1000',
    '--v=0',
  ];
}

function servingArgs(port: number, kubeconfig: string): string[] {
  return [
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
  ];
}

export function controllerManagerArgs(l: ClusterLayout, rootCaFile: string): string[] {
  return [
    `--kubeconfig=${l.kubeconfig}`,
    ...servingArgs(l.controllerManagerPort, l.kubeconfig),
    '--leader-elect=false',
    '--controllers=*',
    `--service-account-private-key-file=${l.serviceAccountKey}`,
    `--root-ca-file=${rootCaFile}`,
    '--use-service-account-credentials=false',
    '--kube-api-qps=500',
    '--kube-api-burst=1000',
    '--concurrent-daemonset-syncs=5',
    '--concurrent-job-syncs=10',
    '--concurrent-gc-syncs=20',
    '--v=0',
  ];
}

export function schedulerArgs(l: ClusterLayout): string[] {
  return [`--kubeconfig=${l.kubeconfig}`, ...servingArgs(l.schedulerPort, l.kubeconfig), '--leader-elect=false', '--v=0'];
}
