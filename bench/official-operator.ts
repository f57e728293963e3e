/**
 * The official falcosecurity/falco-operator, for the footprint benchmark: its `cmd/instance`
 * manager built from the Go module proxy through the helper module hack/falco-operator (go.mod and
 * go.sum committed, like the control plane's), cached per machine, and its CRDs read from the Go
 * module cache at run time (never copied into this repository).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { runCommand } from '../src/controlplane/run-command.ts';
import { serverSideApply, waitForCrdsEstablished } from '../src/controlplane/setup.ts';
import { cacheRoot } from '../src/controlplane/versions.ts';

export const OFFICIAL_MODULE = 'github.com/falcosecurity/falco-operator';
const HELPER = fileURLToPath(new URL('../hack/falco-operator/', import.meta.url));

/** The version hack/falco-operator/go.mod pins. */
export function officialVersion(): string {
  const match = /^\s*github\.com\/falcosecurity\/falco-operator (v\S+)/m.exec(readFileSync(join(HELPER, 'go.mod'), 'utf8'));
  if (match?.[1] === undefined) throw new Error(`hack/falco-operator/go.mod does not require ${OFFICIAL_MODULE}`);
  return match[1];
}

/** Builds (first time only) the official operator's manager; returns the binary's path. */
export async function buildOfficialOperator(onStep: (m: string) => void): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum']) hash.update(readFileSync(join(HELPER, file)));
  const dir = join(cacheRoot(), 'falco-operator', `${officialVersion()}_${hash.digest('hex').slice(0, 12)}`);
  const binary = join(dir, 'instance');
  if (existsSync(binary)) return binary;
  onStep(`building ${OFFICIAL_MODULE}/cmd/instance ${officialVersion()} from the Go module proxy (first time only)`);
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.partial`;
  await runCommand('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', partial, `${OFFICIAL_MODULE}/cmd/instance`], {
    cwd: HELPER,
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  renameSync(partial, binary);
  return binary;
}

/** Installs the official operator's CRDs, read from its module in the Go module cache. */
export async function installOfficialCrds(kc: KubeConfig): Promise<void> {
  const moduleDir = (await runCommand('go', ['list', '-m', '-f', '{{.Dir}}', OFFICIAL_MODULE], { cwd: HELPER })).stdout.trim();
  const crdDir = join(moduleDir, 'chart', 'falco-operator', 'crds');
  const crds = readdirSync(crdDir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(crdDir, f), 'utf8')).map((d) => d.toJS() as KubernetesObject | null))
    .filter((o): o is KubernetesObject => o !== null && o.kind === 'CustomResourceDefinition');
  await serverSideApply(kc, crds);
  await waitForCrdsEstablished(kc, crds.map((c) => c.metadata?.name ?? ''), 60_000);
}

/** A minimal `Falco` instance, as the module's own example: every field from the defaults. */
export function officialFalco(namespace: string, name: string): KubernetesObject {
  return { apiVersion: 'instance.falcosecurity.dev/v1alpha1', kind: 'Falco', metadata: { name, namespace }, spec: {} } as KubernetesObject;
}
