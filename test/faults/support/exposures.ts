/**
 * "No DaemonSet ever referenced an unverified bundle", decided from what the recorder saw.
 *
 * Every pod template a DaemonSet ever carried (each recorded version, plus the ControllerRevisions
 * the DaemonSet controller keeps) names a bundle: the `falconer.dev/bundle-hash` annotation and
 * the ConfigMap mounted at the rules folder. That template is an exposure unless all of these
 * held when it was written (resourceVersion order, see recorder.ts):
 * 1. content: the mounted ConfigMap was recorded, and its files rebuild to exactly that bundle
 *    hash (content-addressed: the bytes on the nodes are the bytes that were checked);
 * 2. static check: every file passes this test's own run of the rules engine;
 * 3. Falco: a verification Job for exactly that bundle hash, the same monitor and the same
 *    image had finished Complete (the simulated `falco -V` said yes) at an earlier revision;
 * 4. records: no rule set's status ever recorded a file's content as rejected (Valid=False, or a
 *    verification with verified=false for that image).
 */
import type { V1ConfigMap, V1DaemonSet, V1Job, V1PodTemplateSpec } from '@kubernetes/client-node';
import { LABEL_MONITOR } from '../../../src/api/names.ts';
import { validateRuleFiles } from '../../../src/rules/index.ts';
import { BUNDLE_HASH_ANNOTATION, bundleFromConfigMap } from '../../../src/operator/builders/bundle.ts';
import type { Recorded } from './recorder.ts';

export interface Template {
  source: string;
  rv: number;
  monitor: string;
  template: V1PodTemplateSpec;
}

function rulesConfigMap(t: V1PodTemplateSpec): string | undefined {
  return t.spec?.volumes?.find((v) => v.name === 'falconer-rules')?.configMap?.name;
}

function isComplete(job: V1Job): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');
}

/** Contents some rule set's status recorded as rejected, per image ('*' = statically invalid). */
function rejectedContents(events: readonly Recorded[]): Set<string> {
  const rejected = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'FalcoRuleSet') continue;
    const status = e.obj['status'] as
      | { contentHash?: string; conditions?: Array<{ type: string; status: string }>; verifications?: Array<{ image: string; contentHash: string; verified: boolean }> }
      | undefined;
    if (status?.conditions?.some((c) => c.type === 'Valid' && c.status === 'False') && status.contentHash !== undefined) rejected.add(`*@${status.contentHash}`);
    for (const v of status?.verifications ?? []) if (!v.verified) rejected.add(`${v.image}@${v.contentHash}`);
  }
  return rejected;
}

export function templatesOf(events: readonly Recorded[]): Template[] {
  const out: Template[] = [];
  for (const e of events) {
    if (e.type === 'DELETED') continue;
    if (e.kind === 'DaemonSet') {
      const ds = e.obj as V1DaemonSet;
      const t = ds.spec?.template;
      if (t !== undefined) out.push({ source: `DaemonSet ${ds.metadata?.name} rv ${e.rv}`, rv: e.rv, monitor: ds.metadata?.labels?.[LABEL_MONITOR] ?? '', template: t });
    }
    if (e.kind === 'ControllerRevision') {
      const data = e.obj['data'] as { spec?: { template?: V1PodTemplateSpec } } | undefined;
      const t = data?.spec?.template;
      if (t !== undefined) out.push({ source: `ControllerRevision ${e.obj.metadata?.name}`, rv: e.rv, monitor: e.obj.metadata?.labels?.[LABEL_MONITOR] ?? '', template: t });
    }
  }
  return out;
}

function templateKey(t: Template): string {
  const hash = t.template.metadata?.annotations?.[BUNDLE_HASH_ANNOTATION] ?? '';
  const image = t.template.spec?.containers.find((c) => c.name === 'falco')?.image ?? '';
  return `${t.monitor}|${hash}|${rulesConfigMap(t.template) ?? ''}|${image}`;
}

/** How many distinct (monitor, bundle, image) pod templates the check looked at. */
export function distinctTemplates(events: readonly Recorded[]): number {
  return new Set(templatesOf(events).map(templateKey)).size;
}

/** One line per exposure: which template, which bundle, which of the four checks failed. */
export function unverifiedExposures(events: readonly Recorded[]): string[] {
  const configMaps = events.filter((e) => e.kind === 'ConfigMap' && e.type !== 'DELETED');
  const jobs = events.filter((e) => e.kind === 'Job' && e.type !== 'DELETED');
  const rejected = rejectedContents(events);
  const staticMemo = new Map<string, boolean>();
  const staticOk = (name: string, content: string): boolean => {
    const known = staticMemo.get(content);
    if (known !== undefined) return known;
    const ok = validateRuleFiles([{ name, content }]).ok;
    staticMemo.set(content, ok);
    return ok;
  };
  const seen = new Set<string>();
  const exposures: string[] = [];
  for (const t of templatesOf(events)) {
    const hash = t.template.metadata?.annotations?.[BUNDLE_HASH_ANNOTATION] ?? '';
    const cmName = rulesConfigMap(t.template) ?? '';
    const image = t.template.spec?.containers.find((c) => c.name === 'falco')?.image ?? '';
    const key = templateKey(t);
    if (seen.has(key)) continue;
    seen.add(key);
    const problem = (why: string): void => void exposures.push(`${t.source} (monitor ${t.monitor}) runs bundle ${hash.slice(7, 19)} from ${cmName}: ${why}`);
    const cm = configMaps.find((e) => e.obj.metadata?.name === cmName && e.rv <= t.rv);
    const bundle = cm === undefined ? undefined : bundleFromConfigMap(cm.obj as V1ConfigMap);
    if (bundle === undefined || bundle.hash !== hash) {
      problem(cm === undefined ? 'its ConfigMap was never seen before the template' : 'its ConfigMap content does not rebuild to that hash');
      continue;
    }
    const invalid = bundle.files.find((f) => !staticOk(f.key, f.content));
    if (invalid !== undefined) problem(`file ${invalid.key} fails the static check`);
    const verified = jobs.some((e) => {
      const job = e.obj as V1Job;
      return (
        e.rv < t.rv &&
        isComplete(job) &&
        job.metadata?.annotations?.[BUNDLE_HASH_ANNOTATION] === hash &&
        job.metadata.labels?.[LABEL_MONITOR] === t.monitor &&
        job.spec?.template.spec?.containers[0]?.image === image
      );
    });
    if (!verified) problem('no verification Job of that bundle and image had completed before');
    const flagged = bundle.files.find((f) => rejected.has(`*@${f.contentHash}`) || rejected.has(`${image}@${f.contentHash}`));
    if (flagged !== undefined) problem(`file ${flagged.key} holds content a rule set status recorded as rejected`);
  }
  return exposures;
}
