/**
 * The Prometheus Operator's real PodMonitor CRD, from the release hack/prometheus-operator/go.mod
 * pins (downloaded through the Go module proxy into the module cache, first time only).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { runCommand } from '../../src/controlplane/run-command.ts';

export const PROMETHEUS_OPERATOR_MODULE = 'github.com/prometheus-operator/prometheus-operator';
const HELPER = fileURLToPath(new URL('../../hack/prometheus-operator/', import.meta.url));

export async function podMonitorCrd(): Promise<KubernetesObject> {
  const download = await runCommand('go', ['mod', 'download', '-json', PROMETHEUS_OPERATOR_MODULE], { cwd: HELPER });
  const { Dir: dir, Version: version } = JSON.parse(download.stdout) as { Dir?: string; Version?: string };
  if (dir === undefined) throw new Error(`go mod download ${PROMETHEUS_OPERATOR_MODULE} named no directory: ${download.stdout}`);
  const crd = parse(readFileSync(join(dir, 'example', 'prometheus-operator-crd', 'monitoring.coreos.com_podmonitors.yaml'), 'utf8')) as KubernetesObject;
  return { ...crd, metadata: { ...crd.metadata, annotations: { ...crd.metadata?.annotations, 'falconer.dev/test-source': `${PROMETHEUS_OPERATOR_MODULE}@${version ?? '?'}` } } };
}
