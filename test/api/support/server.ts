/** Asking the real API server what it thinks of an object, without storing it. */
import { ApiException, KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';

export interface Verdict {
  accepted: boolean;
  /** The API server's message when it refused, e.g. `... spec.image.tag: Invalid value: ...`. */
  message: string;
}

function messageOf(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    if (typeof body === 'string') {
      try {
        return String((JSON.parse(body) as { message?: unknown }).message ?? body);
      } catch {
        return body;
      }
    }
    return JSON.stringify(body);
  }
  return err instanceof Error ? err.message : String(err);
}

/** Server-side dry-run create: full validation (schema, CEL), nothing persisted. */
export async function dryRunCreate(kc: KubeConfig, object: KubernetesObject): Promise<Verdict> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  try {
    await client.create(object, undefined, 'All');
    return { accepted: true, message: '' };
  } catch (err) {
    if (err instanceof ApiException && err.code !== 422 && err.code !== 400) throw err;
    return { accepted: false, message: messageOf(err) };
  }
}
