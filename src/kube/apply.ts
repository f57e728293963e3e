import { createHash } from 'node:crypto';
import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';
import { FIELD_MANAGER } from '../api/names.ts';
import { kubeError } from './api-errors.ts';
import { pathOf } from './rest.ts';
import type { KubeRest } from './rest.ts';
import { sameQuantity } from './quantity.ts';

/** The annotation holding the hash of what Falconer last applied to an object. */
export const APPLIED_HASH_ANNOTATION = 'falconer.dev/applied-hash';

/** The owner of a child: any object with apiVersion, kind, name and uid. */
export interface Owner {
  apiVersion: string;
  kind: string;
  metadata: { name: string; uid: string };
}

/** The one controller owner reference every child carries (GC deletes it with its owner). */
export function controllerReference(owner: Owner): V1OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export interface ApplyResult<T> {
  object: T;
  /** False when the live object already matched and no request was sent. */
  changed: boolean;
}

/**
 * Server-side applies `desired` as a child of `owner` with field manager `falconer`, unless the
 * live object (from the informer cache) already carries it. "Already carries" needs both: the
 * applied-hash annotation equals the hash of desired (so a field Falconer stopped setting is
 * removed by the next apply), and every desired field has that value live (so a drift someone
 * else made is corrected). That is the no-op check that keeps a settled reconcile write-free.
 */
export async function applyOwned<T extends KubernetesObject>(
  client: KubeRest,
  owner: Owner,
  desired: T,
  live: KubernetesObject | undefined,
): Promise<ApplyResult<T>> {
  const stamped = withOwnerAndHash(owner, desired);
  // Items of a list response carry no apiVersion/kind (watch events do): compare the rest.
  const { apiVersion: _apiVersion, kind: _kind, ...fields } = stamped;
  if (live !== undefined && isSubset(fields, live)) return { object: live as T, changed: false };
  try {
    const object = await client.apply<T>(pathOf(stamped), stamped, FIELD_MANAGER);
    return { object, changed: true };
  } catch (err) {
    const meta = desired.metadata ?? {};
    throw kubeError(`Could not apply ${desired.kind ?? 'object'} ${meta.namespace ?? ''}/${meta.name ?? ''}`, err);
  }
}

export function withOwnerAndHash<T extends KubernetesObject>(owner: Owner, desired: T): T {
  const metadata = { ...desired.metadata, ownerReferences: [controllerReference(owner)] };
  const hash = hashObject({ ...desired, metadata });
  return { ...desired, metadata: { ...metadata, annotations: { ...metadata.annotations, [APPLIED_HASH_ANNOTATION]: hash } } };
}

/** SHA-256 (hex) of an object's canonical JSON (keys sorted), stable across runs. */
export function hashObject(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * Whether every field set in `desired` has the same value in `live`. Fields the API server
 * defaults are ignored; what the server drops or rewrites still matches: an empty list or map,
 * a false or zero (omitempty), a quantity in another spelling ("1000m" is stored as "1").
 */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (desired === undefined) return true;
  if (Array.isArray(desired)) {
    if (desired.length === 0) return live === undefined || (Array.isArray(live) && live.length === 0);
    return Array.isArray(live) && live.length === desired.length && desired.every((d, i) => isSubset(d, live[i]));
  }
  if (desired !== null && typeof desired === 'object') {
    const entries = Object.entries(desired);
    if (entries.length === 0) return live === undefined || (typeof live === 'object' && live !== null);
    if (live === null || typeof live !== 'object') return false;
    const liveRecord = live as Record<string, unknown>;
    return entries.every(([k, v]) => isSubset(v, liveRecord[k]));
  }
  if (live === undefined) return desired === false || desired === 0 || desired === '';
  if (typeof desired === 'string' && typeof live === 'string' && desired !== live) return sameQuantity(desired, live);
  return desired === live;
}
