import { API_GROUP, API_VERSION, FIELD_MANAGER } from '../api/names.ts';
import { canonicalJson } from './apply.ts';
import { kubeError } from './api-errors.ts';
import { objectPath } from './rest.ts';
import type { KubeRest } from './rest.ts';

/** The parts of a custom object a status write needs. */
export interface StatusTarget {
  kind: string;
  plural: string;
  /** The object as read from the cache (its resourceVersion guards the write). */
  live: { metadata?: { name?: string; namespace?: string; resourceVersion?: string }; status?: unknown; [key: string]: unknown };
}

/**
 * Replaces `status` through the status subresource — the controller never writes spec — and
 * only when it differs from the live status, so a settled reconcile makes no request. The
 * cached resourceVersion makes a stale write fail with 409 (retried) instead of clobbering.
 */
export async function writeStatusIfChanged(rest: KubeRest, target: StatusTarget, status: unknown): Promise<boolean> {
  if (canonicalJson(stripUndefined(status)) === canonicalJson(target.live.status ?? {})) return false;
  const name = target.live.metadata?.name ?? '';
  const namespace = target.live.metadata?.namespace ?? '';
  try {
    // Named field manager, so managedFields show the operator owns status and nothing else of the CR.
    await rest.send('PUT', `${objectPath(`${API_GROUP}/${API_VERSION}`, target.plural, namespace, name)}/status`, { ...target.live, status }, { fieldManager: FIELD_MANAGER });
  } catch (err) {
    throw kubeError(`Could not update status of ${target.kind} ${namespace}/${name}`, err);
  }
  return true;
}

/** JSON drops undefined; compare what the server would store. */
function stripUndefined(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? {})) as unknown;
}
