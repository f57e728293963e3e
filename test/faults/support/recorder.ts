/**
 * Records every version of the objects that decide what Falco runs (DaemonSets, bundle and
 * verification ConfigMaps, verification Jobs, rule sets) in one namespace, for the whole run,
 * through API server restarts: each watch resumes from the last resourceVersion it saw, so no
 * intermediate version is skipped. Only a compaction can make a resume impossible (410 Gone);
 * then it relists and counts a gap.
 *
 * resourceVersion is opaque to clients by convention; here it is compared across kinds on
 * purpose: this API server stores everything in one etcd, whose revision orders all writes.
 */
import { Watch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, RULESET_PLURAL } from '../../../src/api/names.ts';

export interface Recorded {
  kind: string;
  type: string;
  rv: number;
  obj: KubernetesObject & Record<string, unknown>;
}

const KINDS: Record<string, (ns: string) => string> = {
  DaemonSet: (ns) => `/apis/apps/v1/namespaces/${ns}/daemonsets`,
  ConfigMap: (ns) => `/api/v1/namespaces/${ns}/configmaps`,
  Job: (ns) => `/apis/batch/v1/namespaces/${ns}/jobs`,
  FalcoRuleSet: (ns) => `/apis/${API_GROUP}/${API_VERSION}/namespaces/${ns}/${RULESET_PLURAL}`,
};

export class Recorder {
  readonly events: Recorded[] = [];
  /** Relists forced by 410 Gone: versions between the last seen one and the relist are unseen. */
  gaps = 0;
  readonly #kc: KubeConfig;
  readonly #namespace: string;
  readonly #aborts: Array<() => void> = [];
  #stopped = false;

  constructor(kc: KubeConfig, namespace: string) {
    this.#kc = kc;
    this.#namespace = namespace;
  }

  async start(): Promise<void> {
    await Promise.all(Object.entries(KINDS).map(([kind, path]) => this.#follow(kind, path(this.#namespace))));
  }

  stop(): void {
    this.#stopped = true;
    for (const abort of this.#aborts.splice(0)) abort();
  }

  of(kind: string): Recorded[] {
    return this.events.filter((e) => e.kind === kind);
  }

  #record(kind: string, type: string, obj: KubernetesObject): void {
    const rv = Number(obj.metadata?.resourceVersion ?? 0);
    this.events.push({ kind, type, rv, obj: obj as Recorded['obj'] });
  }

  /** Retried for a while: a CRD just installed may answer 429 until its storage is ready. */
  async #list(kind: string, path: string): Promise<string> {
    let res: Record<string, unknown> | undefined;
    for (let attempt = 0; res === undefined; attempt++) {
      try {
        res = await fetchJson(this.#kc, path);
      } catch (err) {
        if (attempt >= 60 || this.#stopped) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    const items = (res['items'] as KubernetesObject[] | undefined) ?? [];
    for (const item of items) this.#record(kind, 'LISTED', item);
    return String((res['metadata'] as { resourceVersion?: string } | undefined)?.resourceVersion ?? '');
  }

  async #follow(kind: string, path: string): Promise<void> {
    let rv = await this.#list(kind, path);
    const watch = new Watch(this.#kc);
    const loop = async (): Promise<void> => {
      while (!this.#stopped) {
        let gone = false;
        const ended = new Promise<void>((resolve) => {
          watch
            .watch(
              path,
              { resourceVersion: rv, allowWatchBookmarks: true },
              (type: string, obj: KubernetesObject & { code?: number }) => {
                if (type === 'ERROR') {
                  if (obj.code === 410) gone = true;
                  return;
                }
                if (obj.metadata?.resourceVersion !== undefined) rv = obj.metadata.resourceVersion;
                if (type !== 'BOOKMARK') this.#record(kind, type, obj);
              },
              () => resolve(),
            )
            .then((req) => (this.#stopped ? req.abort() : this.#aborts.push(() => req.abort())))
            .catch(() => resolve());
        });
        await ended;
        if (this.#stopped) return;
        await new Promise((r) => setTimeout(r, 200));
        if (gone) {
          this.gaps += 1;
          rv = await this.#list(kind, path).catch(() => rv);
        }
      }
    };
    void loop();
  }
}

/** A raw GET with the kubeconfig's credentials (lists keep resourceVersion and plain JSON). */
async function fetchJson(kc: KubeConfig, path: string): Promise<Record<string, unknown>> {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('kubeconfig has no cluster');
  const opts: { headers?: Record<string, string>; ca?: Buffer | string } = {};
  await kc.applyToHTTPSOptions(opts);
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(`${cluster.server}${path}`, { headers: opts.headers ?? {}, ca: opts.ca, timeout: 15_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
        else resolve(JSON.parse(body) as Record<string, unknown>);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: timed out`)));
    req.on('error', reject);
    req.end();
  });
}
