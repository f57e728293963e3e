/**
 * Installs (or updates) the Falconer CRDs and waits until the API server serves them. Used by the
 * operator at start-up, `falconer dev` and the tests; idempotent, so concurrent callers are fine.
 *
 * Server-side apply through ApiextensionsV1Api with the body passed as-is: client-node's
 * KubernetesObjectApi serialises known kinds through its model classes, which would drop every
 * `x-kubernetes-*` key of a plain-JSON CRD.
 */
import { ApiextensionsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { KubeConfig, V1CustomResourceDefinition } from '@kubernetes/client-node';
import { KubeApiError, TimeoutError, describeError } from '../core/errors.ts';
import { allCrds } from './crd.ts';
import type { CustomResourceDefinition } from './crd.ts';
import { FIELD_MANAGER } from './names.ts';

export interface InstallCrdsOptions {
  /** How long to wait for the CRDs to become Established (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

type CrdState = 'established' | 'pending' | { problem: string };

function stateOf(crd: V1CustomResourceDefinition): CrdState {
  const conditions = crd.status?.conditions ?? [];
  const nonStructural = conditions.find((c) => c.type === 'NonStructuralSchema' && c.status === 'True');
  if (nonStructural) return { problem: `NonStructuralSchema: ${nonStructural.message ?? ''}` };
  const names = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False');
  if (names) return { problem: `NamesAccepted=False: ${names.message ?? ''}` };
  return conditions.some((c) => c.type === 'Established' && c.status === 'True') ? 'established' : 'pending';
}

async function apply(api: ApiextensionsV1Api, crd: CustomResourceDefinition): Promise<void> {
  try {
    await api.patchCustomResourceDefinition(
      { name: crd.metadata.name, body: crd, fieldManager: FIELD_MANAGER, force: true },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
  } catch (err) {
    throw new KubeApiError(`Applying CustomResourceDefinition ${crd.metadata.name} failed: ${describeError(err)}`, { cause: err });
  }
}

async function waitEstablished(api: ApiextensionsV1Api, name: string, deadline: number, signal?: AbortSignal): Promise<void> {
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    signal?.throwIfAborted();
    const state = stateOf(await api.readCustomResourceDefinition({ name }));
    if (state === 'established') return;
    if (state !== 'pending') throw new KubeApiError(`CustomResourceDefinition ${name} was not accepted: ${state.problem}`);
    if (Date.now() + delay > deadline) throw new TimeoutError(`CustomResourceDefinition ${name} did not become Established in time`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Applies both CRDs with server-side apply (field manager `falconer`) and waits for Established. */
export async function installCrds(kc: KubeConfig, options: InstallCrdsOptions = {}): Promise<CustomResourceDefinition[]> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const crds = allCrds();
  for (const crd of crds) await apply(api, crd);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (const crd of crds) await waitEstablished(api, crd.metadata.name, deadline, options.signal);
  return crds;
}
