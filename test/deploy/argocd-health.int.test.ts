/**
 * The Argo CD health checks against objects captured from the real API server, one per
 * health_test.yaml fixture: each fixture's state is rebuilt on a live custom resource (the real
 * CRDs validate every spec and status) and the object the API server returns is what Argo CD
 * would read.
 *
 * The statuses are written here through the status subresource, not by a running operator: this
 * checks the scripts against what the API server stores for each state, independently of how
 * fast an operator reaches it (the operator's own tests cover that). Another test may run an
 * operator across all namespaces at the same time, so each verdict is taken from the server's
 * response to the write that produced the state, never from a later read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { HEALTH_KINDS } from '../../src/api/generate/argocd.ts';
import { installCrds } from '../../src/api/install.ts';
import { API_GROUP, API_VERSION, MONITOR_PLURAL, RULESET_PLURAL } from '../../src/api/names.ts';
import { getTestCluster } from '../support/cluster.ts';
import { healthDir, healthTestCases, runHealthScript } from './support/argocd-health.ts';

const PLURALS = { FalcoMonitor: MONITOR_PLURAL, FalcoRuleSet: RULESET_PLURAL } as const;
/** A spec change of each kind, to make the stored status describe an older generation. */
const SPEC_EDITS = { FalcoMonitor: { minimumPriority: 'Error' }, FalcoRuleSet: { loadOrder: 900 } } as const;
/** Keeps a deleted object in its "being deleted" state until the test lets it go. */
const HOLD = 'test.falconer.dev/hold';

interface Fixture {
  metadata: { generation?: number; deletionTimestamp?: string };
  spec: Record<string, unknown>;
  status?: { observedGeneration?: number; conditions?: Array<Record<string, unknown>>; [key: string]: unknown };
}

type Live = Record<string, unknown> & { metadata: { generation: number; name: string } };

/** The fixture's status, restamped for the live object's generation. */
function statusFor(fixture: Fixture, generation: number): Record<string, unknown> {
  const status = fixture.status ?? {};
  return {
    ...status,
    observedGeneration: generation,
    conditions: (status.conditions ?? []).map((c) => ({ ...c, observedGeneration: generation })),
  };
}

describe('Argo CD health of live FalcoMonitors and FalcoRuleSets', () => {
  let custom: CustomObjectsApi;
  let namespace: string;
  const outDir = mkdtempSync(join(tmpdir(), 'falconer-live-health-'));

  before(async () => {
    const cluster = await getTestCluster();
    const kc = cluster.kubeConfig();
    await installCrds(kc);
    custom = kc.makeApiClient(CustomObjectsApi);
    namespace = await cluster.createNamespace('argo-health');
  });

  /** Rebuilds the fixture's state on a new object; returns the object as the server stored it. */
  async function reproduce(kind: (typeof HEALTH_KINDS)[number], name: string, fixture: Fixture): Promise<Live> {
    const target = { group: API_GROUP, version: API_VERSION, namespace, plural: PLURALS[kind], name };
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const deleting = fixture.metadata.deletionTimestamp !== undefined;
    let live = (await custom.createNamespacedCustomObject({
      ...target,
      body: { apiVersion: `${API_GROUP}/${API_VERSION}`, kind, metadata: { name, ...(deleting ? { finalizers: [HOLD] } : {}) }, spec: fixture.spec },
    })) as Live;
    if (fixture.status === undefined) return live;
    live = (await custom.patchNamespacedCustomObjectStatus({ ...target, body: { status: statusFor(fixture, live.metadata.generation) } }, merge)) as Live;
    const stale = fixture.status.observedGeneration !== undefined && fixture.status.observedGeneration < (fixture.metadata.generation ?? 1);
    if (stale) {
      // A spec change the operator has not seen yet: the API server bumps metadata.generation.
      live = (await custom.patchNamespacedCustomObject({ ...target, body: { spec: SPEC_EDITS[kind] } }, merge)) as Live;
    }
    if (deleting) {
      await custom.deleteNamespacedCustomObject(target);
      live = (await custom.getNamespacedCustomObject(target)) as Live;
      await custom.patchNamespacedCustomObject({ ...target, body: { metadata: { finalizers: null } } }, merge);
    }
    return live;
  }

  for (const kind of HEALTH_KINDS) {
    it(`${kind}: every fixture's state, rebuilt on the real API server, gets the fixture's health`, async () => {
      const cases = healthTestCases(kind);
      const files: string[] = [];
      for (const c of cases) {
        const fixture = parse(readFileSync(join(healthDir(kind), c.inputPath), 'utf8')) as Fixture;
        const live = await reproduce(kind, basename(c.inputPath, '.yaml'), fixture);
        const file = join(outDir, `${kind}-${basename(c.inputPath, '.yaml')}.json`);
        writeFileSync(file, JSON.stringify(live));
        files.push(file);
      }
      const verdicts = await runHealthScript(join(healthDir(kind), 'health.lua'), files);
      for (const [i, c] of cases.entries()) {
        assert.deepEqual(verdicts[i], { input: files[i], ...c.healthStatus }, `${c.inputPath} (live object in ${files[i] ?? ''})`);
      }
    });
  }
});
