/**
 * The edits a fault scenario makes, and what the cluster must look like once they settle.
 * Every edit writes new, unique content, so "the final state reflects the last edit" is a hash
 * comparison, and a lost edit cannot hide behind an older identical one.
 *
 * Objects: rule sets `rs-0..` (only valid rules), one rule set `typo` (only rules the static
 * check must reject: it is selected by every monitor and must never reach a DaemonSet), and
 * monitors `m-0..`, each selecting a subset of the rule sets plus `typo`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { API_GROUP, API_GROUP_VERSION, API_VERSION, LABEL_MONITOR, MONITOR_PLURAL, RULESET_PLURAL } from '../../../src/api/names.ts';
import { serverSideApply } from '../../../src/controlplane/setup.ts';
import { contentHash } from '../../../src/operator/builders/hash.ts';

export const IMAGE_TAG = '0.42.1';
export const BAD = 'typo';

export function goodRules(name: string, edit: number): string {
  return `- rule: ${name} edit ${edit}\n  desc: fault test rule\n  condition: evt.type = execve and proc.name = bash${edit}\n  output: "edit ${edit} (user=%user.name)"\n  priority: WARNING\n`;
}

/** A condition on a field Falco does not have: LOAD_ERR_COMPILE_CONDITION in the static check. */
export function badRules(edit: number): string {
  return `- rule: typo edit ${edit}\n  desc: broken\n  condition: evt.type = open and proc.nonexistent_field_${edit} = foo\n  output: "x"\n  priority: WARNING\n`;
}

export type Edit =
  | { kind: 'ruleSet'; name: string; rules: string }
  | { kind: 'monitor'; name: string; names: string[]; note: string };

export interface WorkloadShape {
  ruleSets: number;
  monitors: number;
}

/** What the last acknowledged edit of each object asked for. */
export class Workload {
  readonly namespace: string;
  readonly ruleSets: Map<string, string> = new Map();
  readonly monitors: Map<string, { names: string[]; note: string }> = new Map();
  readonly #shape: WorkloadShape;
  #edits = 0;
  #random: () => number;

  constructor(namespace: string, shape: WorkloadShape, seed = 42) {
    this.namespace = namespace;
    this.#shape = shape;
    this.#random = seeded(seed);
  }

  get editCount(): number {
    return this.#edits;
  }

  /** The first version of every object: all rule sets, then the monitors selecting them. */
  initialEdits(): Edit[] {
    const edits: Edit[] = [];
    for (let i = 0; i < this.#shape.ruleSets; i++) edits.push(this.#ruleSetEdit(`rs-${i}`));
    edits.push({ kind: 'ruleSet', name: BAD, rules: badRules(this.#edits++) });
    for (let i = 0; i < this.#shape.monitors; i++) edits.push(this.#monitorEdit(`m-${i}`));
    return edits;
  }

  /** A random next edit: mostly rule-set content, sometimes a monitor's selection, sometimes `typo`. */
  nextEdit(): Edit {
    const r = this.#random();
    if (r < 0.15) return { kind: 'ruleSet', name: BAD, rules: badRules(this.#edits++) };
    if (r < 0.35) return this.#monitorEdit(`m-${Math.floor(this.#random() * this.#shape.monitors)}`);
    return this.#ruleSetEdit(`rs-${Math.floor(this.#random() * this.#shape.ruleSets)}`);
  }

  #ruleSetEdit(name: string): Edit {
    return { kind: 'ruleSet', name, rules: goodRules(name, this.#edits++) };
  }

  #monitorEdit(name: string): Edit {
    const all = Array.from({ length: this.#shape.ruleSets }, (_, i) => `rs-${i}`);
    // At least one good rule set, so every monitor has a bundle to run.
    const names = all.filter(() => this.#random() < 0.6);
    if (names.length === 0) names.push(all[Math.floor(this.#random() * all.length)] ?? 'rs-0');
    return { kind: 'monitor', name, names: [...names, BAD].sort(), note: `edit-${this.#edits++}` };
  }

  /** The object an edit applies (server-side apply: the same edit twice is the same object). */
  objectOf(edit: Edit): KubernetesObject {
    const metadata = { name: edit.name, namespace: this.namespace };
    if (edit.kind === 'ruleSet') return { apiVersion: API_GROUP_VERSION, kind: 'FalcoRuleSet', metadata, spec: { rules: edit.rules } } as KubernetesObject;
    return {
      apiVersion: API_GROUP_VERSION,
      kind: 'FalcoMonitor',
      metadata,
      spec: { image: { tag: IMAGE_TAG }, ruleSets: { names: edit.names }, podAnnotations: { 'falconer.dev/test-edit': edit.note } },
    } as KubernetesObject;
  }

  acknowledge(edit: Edit): void {
    if (edit.kind === 'ruleSet') this.ruleSets.set(edit.name, edit.rules);
    else this.monitors.set(edit.name, { names: edit.names, note: edit.note });
  }
}

/**
 * Applies an edit, retrying through outages (the API server or etcd may be down): an edit
 * counts once the API server acknowledged it. A retry after an ambiguous failure is harmless,
 * because applying the same object twice is one change.
 */
export async function applyEdit(kc: KubeConfig, w: Workload, edit: Edit, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      await serverSideApply(kc, [w.objectOf(edit)]);
      w.acknowledge(edit);
      return attempts;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Edit of ${edit.kind} ${edit.name} not acknowledged within ${timeoutMs} ms`, { cause: err });
      await sleep(Math.min(200 * attempts, 1_000));
    }
  }
}

interface Cr {
  metadata?: { name?: string; generation?: number };
  status?: {
    observedGeneration?: number;
    contentHash?: string;
    bundleHash?: string;
    conditions?: Array<{ type: string; status: string; reason: string; message?: string }>;
    appliedRuleSets?: Array<{ name: string; contentHash: string }>;
    verifications?: Array<{ contentHash: string; verified: boolean }>;
  };
}

function condition(cr: Cr, type: string): string {
  const c = cr.status?.conditions?.find((x) => x.type === type);
  return c === undefined ? 'absent' : `${c.status}/${c.reason}`;
}

/**
 * Every object whose reconciled state does not (yet) reflect its last acknowledged edit, with
 * why. Empty means converged. The DaemonSets are checked by the caller (children.ts).
 */
export async function staleObjects(kc: KubeConfig, w: Workload): Promise<string[]> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const list = async (plural: string): Promise<Map<string, Cr>> => {
    const res = (await api.listNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: w.namespace, plural })) as { items: Cr[] };
    return new Map(res.items.map((i) => [i.metadata?.name ?? '', i]));
  };
  const [ruleSets, monitors] = await Promise.all([list(RULESET_PLURAL), list(MONITOR_PLURAL)]);
  const stale: string[] = [];
  const selected = new Set([...w.monitors.values()].flatMap((m) => m.names).filter((n) => n !== BAD));
  const expectedValid = (name: string): string => (name === BAD ? 'False/StaticCheckFailed' : 'True/StaticCheckPassed');
  for (const [name, rules] of w.ruleSets) {
    const rs = ruleSets.get(name);
    const want = contentHash(rules);
    if (rs === undefined) stale.push(`FalcoRuleSet ${name}: missing`);
    else if (rs.status?.observedGeneration !== rs.metadata?.generation || rs.status?.contentHash !== want) stale.push(`FalcoRuleSet ${name}: status describes an older edit`);
    else if (condition(rs, 'Valid') !== expectedValid(name) || (selected.has(name) && condition(rs, 'Ready') !== 'True/RuleSetReady')) {
      stale.push(`FalcoRuleSet ${name}: Valid ${condition(rs, 'Valid')}, Ready ${condition(rs, 'Ready')}`);
    }
  }
  for (const [name, want] of w.monitors) {
    const m = monitors.get(name);
    const applied = (m?.status?.appliedRuleSets ?? []).map((r) => `${r.name}@${r.contentHash}`).join(',');
    const expected = want.names.filter((n) => n !== BAD).map((n) => `${n}@${contentHash(w.ruleSets.get(n) ?? '')}`).join(',');
    if (m === undefined) stale.push(`FalcoMonitor ${name}: missing`);
    else if (m.status?.observedGeneration !== m.metadata?.generation) stale.push(`FalcoMonitor ${name}: status describes an older edit`);
    else if (applied !== expected) stale.push(`FalcoMonitor ${name}: runs [${applied}], the last edits ask for [${expected}]`);
    else if (condition(m, 'Ready') !== 'True/AllNodesReady') stale.push(`FalcoMonitor ${name}: Ready ${condition(m, 'Ready')} (${await readyWitnesses(kc, w.namespace, m)})`);
  }
  return stale;
}

/**
 * What a monitor that is not Ready is waiting for, as its status says and as its DaemonSet's own
 * status (the DaemonSet controller's, under kwok) says: a run that never settles then shows whether
 * the rollout itself stopped or the operator's view of it did.
 */
async function readyWitnesses(kc: KubeConfig, namespace: string, m: Cr): Promise<string> {
  const said = m.status?.conditions?.find((c) => c.type === 'Ready')?.message ?? 'no message';
  const list = await kc.makeApiClient(AppsV1Api).listNamespacedDaemonSet({ namespace, labelSelector: `${LABEL_MONITOR}=${m.metadata?.name ?? ''}` });
  const sets = list.items.map((d) => {
    const st = d.status;
    return `DaemonSet ${d.metadata?.name}: generation ${d.metadata?.generation}, observed ${st?.observedGeneration}, desired ${st?.desiredNumberScheduled}, ready ${st?.numberReady}, updated ${st?.updatedNumberScheduled}, available ${st?.numberAvailable ?? 0}`;
  });
  return [`"${said}"`, ...(sets.length === 0 ? ['no DaemonSet'] : sets)].join('; ');
}

/** A seeded linear congruential generator: a failing run can be replayed with the same edits. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}
