/**
 * Falco on the real node, end to end: a FalcoMonitor's verification Job runs the real `falco -V`,
 * its DaemonSet pod runs the real Falco (modern eBPF) and becomes Ready through its /healthz, a
 * canary action on this machine raises a real alert that falco_query_alerts returns, and every
 * MCP tool answers from the real pod. Each check needs what only a real Falco produces (its
 * start-up lines, this machine's kernel, the alert's process id). Called from
 * real-node.int.test.ts, so it runs before that file's teardown test.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, BatchV1Api, CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { installCrds } from '../../../src/api/install.ts';
import { validateRuleFiles } from '../../../src/rules/index.ts';
import { API_GROUP_VERSION } from '../../../src/api/names.ts';
import { podProxyReader } from '../../../src/operator/loaded/metrics-reader.ts';
import { REAL_NODE_LABEL, REAL_NODE_LABEL_VALUE, REAL_NODE_TAINT_KEY } from '../../../src/node/config.ts';
import { silentLogger } from '../../../src/log/logger.ts';
import { startOperator } from '../../../src/operator/start-operator.ts';
import type { RunningOperator } from '../../../src/operator/start-operator.ts';
import type { TestCluster } from '../../support/cluster.ts';
import { eventually } from '../../support/eventually.ts';
import { clusterDeps, connectClient } from '../../mcp/int-support.ts';
import { KubeTransport } from '../../../src/kube/transport.ts';

export interface EndToEndContext {
  cluster: TestCluster;
  /** Local references of the loaded Falco images, by version. */
  images: Record<'0.42.1' | '0.44.1', string>;
}

const MONITOR = 'realfalco';
const CANARY = `/tmp/falconer-canary-${randomBytes(4).toString('hex')}`;
const CANARY_RULE = 'Falconer canary file opened';

const canaryRules = `- rule: ${CANARY_RULE}
  desc: the end-to-end test opened its canary file on this machine
  condition: evt.type in (open, openat, openat2) and fd.name = ${CANARY}
  output: "canary opened (pid=%proc.pid cmdline=%proc.cmdline file=%fd.name)"
  priority: WARNING
  tags: [falconer_e2e]
`;

export function monitorSpec(image: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [repository, tag] = image.split(':');
  return {
    image: { repository, tag, pullPolicy: 'Never' },
    nodeSelector: { [REAL_NODE_LABEL]: REAL_NODE_LABEL_VALUE },
    tolerations: [{ key: REAL_NODE_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' }],
    containerPlugin: { runtimes: ['containerd'] },
    ruleSets: { selector: { matchLabels: { e2e: 'canary' } } },
    ...extra,
  };
}

export function describeFalcoEndToEnd(context: () => EndToEndContext): void {
  describe('Falco on the real node, end to end', () => {
    let kc: KubeConfig;
    let ns: string;
    let operator: RunningOperator;
    let objects: KubernetesObjectApi;
    let core: CoreV1Api;
    let client: Awaited<ReturnType<typeof connectClient>>['client'];
    let closeClient: () => Promise<void>;

    const apply = async (kind: string, name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): Promise<void> => {
      const body = { apiVersion: API_GROUP_VERSION, kind, metadata: { name, namespace: ns, labels }, spec } as KubernetesObject;
      await objects.patch(body, undefined, undefined, 'e2e-test', true, 'application/apply-patch+yaml');
    };
    const monitorStatus = async (): Promise<Record<string, unknown>> =>
      ((await objects.read({ apiVersion: API_GROUP_VERSION, kind: 'FalcoMonitor', metadata: { name: MONITOR, namespace: ns } })) as { status?: Record<string, unknown> }).status ?? {};
    const condition = (status: Record<string, unknown>, type: string): string => {
      const c = (status['conditions'] as Array<{ type: string; status: string; reason: string }> | undefined)?.find((x) => x.type === type);
      return c === undefined ? '' : `${c.status}/${c.reason}`;
    };
    const falcoPods = async () =>
      (await core.listNamespacedPod({ namespace: ns, labelSelector: `falconer.dev/monitor=${MONITOR},app.kubernetes.io/component=falco` })).items;
    const tool = async (name: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> => {
      const r = await client.callTool({ name, arguments: { monitor: MONITOR, ...args } }, undefined, { timeout: 120_000 });
      const text = (r.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
      assert.notEqual(r.isError, true, `${name}: ${text}`);
      return r.structuredContent as Record<string, unknown>;
    };

    before(async () => {
      const { cluster } = context();
      kc = cluster.kubeConfig();
      core = kc.makeApiClient(CoreV1Api);
      objects = KubernetesObjectApi.makeApiClient(kc);
      await installCrds(kc);
      ns = await cluster.createNamespace('falco-e2e');
      writeFileSync(CANARY, 'canary\n');
      operator = await startOperator({ kubeConfig: kc, logger: silentLogger(), namespace: ns, leaderElection: false });
      ({ client, close: closeClient } = await connectClient(clusterDeps(kc, ns)));
    });
    after(async () => {
      await closeClient?.();
      await operator?.stop();
      rmSync(CANARY, { force: true });
      // Falco pods hold the eBPF probe: remove them before the node goes.
      await core?.deleteNamespace({ name: ns }).catch(() => undefined);
    });

    it('the real verification Job runs falco -V of the image and decides the rollout; the real Falco becomes Ready through /healthz', async () => {
      await apply('FalcoRuleSet', 'canary', { rules: canaryRules }, { e2e: 'canary' });
      await apply('FalcoMonitor', MONITOR, monitorSpec(context().images['0.44.1']));
      await eventually('monitor Ready on the real node', async () => condition(await monitorStatus(), 'Ready') === 'True/AllNodesReady', 180_000, 500);
      const status = await monitorStatus();
      assert.equal(status['readyNodes'], 1);
      assert.deepEqual((status['appliedRuleSets'] as Array<{ name: string }>).map((r) => r.name), ['canary']);
      // The verification pod ran the real Falco: its log starts with the version line of the image.
      const jobs = (await kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: ns })).items;
      const done = jobs.filter((j) => j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True'));
      assert.ok(done.length >= 1, 'a verification Job completed');
      const rs = (await objects.read({ apiVersion: API_GROUP_VERSION, kind: 'FalcoRuleSet', metadata: { name: 'canary', namespace: ns } })) as { status?: { verifications?: Array<{ falcoVersion?: string; verified: boolean }> } };
      assert.equal(rs.status?.verifications?.[0]?.verified, true);
      assert.equal(rs.status?.verifications?.[0]?.falcoVersion, '0.44.1', 'the version the real Falco printed in the Job');
      const [pod] = await falcoPods();
      assert.ok(pod?.status?.containerStatuses?.[0]?.containerID?.startsWith('containerd://'), 'a real container');
      const log = await core.readNamespacedPodLog({ name: pod?.metadata?.name ?? '', namespace: ns, container: 'falco' });
      assert.match(log, /Falco version: 0\.44\.1/);
      assert.match(log, /Loaded plugin 'container@0\.7\.1'/);
      assert.match(log, /Opening 'syscall' source with modern BPF probe/);
    });

    it('status says what the real Falco loaded: loadedNodes follows the sha256s Falco reports, also across a rule-set edit', async () => {
      const loaded = async (): Promise<{ loaded: unknown; rulesLoaded: string; source: unknown; bundle: unknown }> => {
        const s = await monitorStatus();
        return { loaded: s['loaded'], rulesLoaded: condition(s, 'RulesLoaded'), source: s['nodeReports'], bundle: s['bundleHash'] };
      };
      // /metrics answers 404 until the eBPF probe is attached: wait for the first real reading.
      await eventually('the node reports the deployed bundle', async () => (await loaded()).loaded === '1/1', 120_000, 1000);
      const first = await loaded();
      assert.equal(first.rulesLoaded, 'True/AllNodesLoaded');
      assert.equal(first.source, 'Falco', 'the figures come from the real Falco, not a test responder');
      // An edit: a new bundle is verified, rolled out, and counted only once Falco reports its sha256.
      await apply('FalcoRuleSet', 'canary', { rules: canaryRules.replace('priority: WARNING', 'priority: WARNING\n  enabled: true') }, { e2e: 'canary' });
      await eventually('the new bundle is in status', async () => (await loaded()).bundle !== first.bundle, 120_000, 500);
      await eventually('the node reports the new bundle', async () => {
        const now = await loaded();
        return now.loaded === '1/1' && now.rulesLoaded === 'True/AllNodesLoaded';
      }, 120_000, 1000);
      const versions = (await monitorStatus())['falcoVersions'] as Array<{ version: string }> | undefined;
      assert.equal(versions?.[0]?.version, '0.44.1');
    });

    it('a canary action on this machine raises a real alert that falco_query_alerts returns with its process id', async () => {
      const pids: number[] = [];
      // Ready comes seconds before the eBPF probe is attached: touch the canary until Falco reports it.
      await eventually('canary alert in the Falco pod log', async () => {
        const child = spawn('cat', [CANARY], { stdio: 'ignore' });
        if (child.pid !== undefined) pids.push(child.pid);
        await new Promise((r) => child.on('close', r));
        const out = await tool('falco_query_alerts', { rule: CANARY_RULE, sinceMinutes: 10 });
        return ((out['alerts'] as unknown[]) ?? []).length > 0;
      }, 90_000, 1000);
      const out = await tool('falco_query_alerts', { rule: CANARY_RULE, sinceMinutes: 10 });
      const alerts = out['alerts'] as Array<{ rule: string; priority: string; fields: Record<string, unknown>; node?: string; output: string }>;
      // The alert of a process this test started: its pid and command line, as the kernel saw them.
      const ours = alerts.find((a) => pids.includes(Number(a.fields['proc.pid'])));
      assert.ok(ours !== undefined, `an alert names one of the cat processes this test ran (${pids.join(',')}): ${JSON.stringify(alerts).slice(0, 1500)}`);
      assert.equal(ours.rule, CANARY_RULE);
      assert.equal(ours.priority, 'warning');
      assert.equal(ours.fields['fd.name'], CANARY);
      assert.equal(ours.fields['proc.cmdline'], `cat ${CANARY}`);
      assert.equal(ours.node, context().cluster.realNode?.name);
      // Suggested fields (append_output) reach real alerts: the container plugin's, here for a host process.
      assert.match(ours.output, /container_id=\S+ container_name=\S+/);
    });

    it('every MCP tool answers from the real Falco pod', async () => {
      const version = await tool('falco_get_version');
      const versions = version['versions'] as Array<{ falco: string; driver?: string }>;
      assert.equal(versions[0]?.falco, '0.44.1');
      const rules = await tool('falco_list_rules', { tag: 'falconer_e2e' });
      assert.deepEqual((rules['rules'] as Array<{ name: string }>).map((r) => r.name), [CANARY_RULE]);
      assert.ok((rules['totalLoaded'] as number) > 25, 'the default rules are loaded beside the bundle');
      const described = await tool('falco_describe_rule', { rule: CANARY_RULE });
      assert.match(JSON.stringify(described), new RegExp(CANARY.replaceAll('/', '\\/')));
      const fields = await tool('falco_list_fields', { source: 'syscall', prefix: 'container.' });
      assert.equal(fields['origin'], 'falco');
      assert.ok((fields['matched'] as number) > 10, 'the container plugin\'s fields, from the real plugin');
      const good = await tool('falco_validate_rules', { rules: canaryRules.replace(CANARY_RULE, 'Another canary') });
      assert.equal(good['valid'], true, JSON.stringify(good));
      const bad = await tool('falco_validate_rules', { rules: canaryRules.replace('fd.name =', 'fd.nonexistent =') });
      assert.equal(bad['valid'], false);
      const dry = await tool('falco_dry_run');
      assert.equal(dry['starts'], true, JSON.stringify(dry));
    });

    it('a rule set the static check passes but the real Falco refuses is rejected by the real Job; the pods keep their bundle', async () => {
      // A line holding only a tab right after a plain scalar: yaml-cpp, scanning for the scalar's
      // continuation, stops with "illegal tab when looking for indentation"; the static check (the
      // `yaml` package) reads it as a blank line. A known difference (test/differential), and the
      // reason the Job runs the real Falco.
      const tagged = `${canaryRules.replace(CANARY_RULE, 'Tab after a plain scalar').replace('priority: WARNING', 'priority: WARNING\n\t')}`;
      assert.equal(validateRuleFiles([{ name: 'tagged.yaml', content: tagged }], { falcoVersion: '0.44.1' }).ok, true, 'the static check passes it');
      const before = await monitorStatus();
      const [podBefore] = await falcoPods();
      await apply('FalcoRuleSet', 'tagged', { rules: tagged }, { e2e: 'canary' });
      await eventually('tagged rejected by Falco', async () => {
        const rejected = (await monitorStatus())['rejectedRuleSets'] as Array<{ name: string; reason: string; message: string }> | undefined;
        return (rejected ?? []).some((r) => r.name === 'tagged');
      }, 120_000, 500);
      const after = await monitorStatus();
      const rejected = (after['rejectedRuleSets'] as Array<{ name: string; reason: string; message: string }>).find((r) => r.name === 'tagged');
      assert.equal(rejected?.reason, 'VerificationFailed', JSON.stringify(rejected));
      assert.match(rejected?.message ?? '', /illegal tab when looking for indentation|LOAD_ERR_YAML_PARSE/, JSON.stringify(rejected));
      assert.equal(after['bundleHash'], before['bundleHash'], 'the last good bundle stays on the node');
      const [podAfter] = await falcoPods();
      assert.equal(podAfter?.metadata?.uid, podBefore?.metadata?.uid, 'the Falco pod was not replaced');
      await objects.delete({ apiVersion: API_GROUP_VERSION, kind: 'FalcoRuleSet', metadata: { name: 'tagged', namespace: ns } });
    });

    it('a spec change whose falco.yaml the real Falco refuses is caught by the Job and never rolled out', async () => {
      const template = async () => (await kc.makeApiClient(AppsV1Api).readNamespacedDaemonSet({ name: `${MONITOR}-falco`, namespace: ns })).spec?.template.metadata?.annotations?.['falconer.dev/config-hash'];
      const good = await template();
      // A plugin the image does not ship: Falco stops at start ("cannot open shared object").
      await apply('FalcoMonitor', MONITOR, monitorSpec(context().images['0.44.1'], { plugins: [{ name: 'k8saudit', openParams: 'http://:9765/k8s-audit' }] }));
      await eventually('configuration refused', async () => condition(await monitorStatus(), 'Degraded') === 'True/ConfigRejected', 120_000, 500);
      const status = await monitorStatus();
      const message = (status['conditions'] as Array<{ type: string; message: string }>).find((c) => c.type === 'Degraded')?.message ?? '';
      assert.match(message, /k8saudit/, message);
      assert.equal(await template(), good, 'the DaemonSet keeps the last good falco.yaml');
      assert.equal(condition(status, 'Ready'), 'True/AllNodesReady', 'detection keeps running');
      await apply('FalcoMonitor', MONITOR, monitorSpec(context().images['0.44.1']));
      await eventually('back to as expected', async () => condition(await monitorStatus(), 'Degraded') === 'False/AsExpected', 120_000, 500);
    });

    it('a rule-set edit and a falco.yaml the real Falco refuses, arriving together: the edit rolls out under the running falco.yaml and only the config is rejected', async () => {
      const apps = kc.makeApiClient(AppsV1Api);
      const configOf = async (): Promise<string | undefined> => (await apps.readNamespacedDaemonSet({ name: `${MONITOR}-falco`, namespace: ns })).spec?.template.metadata?.annotations?.['falconer.dev/config-hash'];
      const goodConfig = await configOf();
      const edited = canaryRules.replace('tags: [falconer_e2e]', 'tags: [falconer_e2e, arrived_with_a_bad_config]');
      const editedHash = `sha256:${createHash('sha256').update(edited).digest('hex')}`;
      // Both changes must reach one reconcile: the operator is down while they are made.
      await operator.stop();
      await apply('FalcoRuleSet', 'canary', { rules: edited }, { e2e: 'canary' });
      await apply('FalcoMonitor', MONITOR, monitorSpec(context().images['0.44.1'], { plugins: [{ name: 'k8saudit', openParams: 'http://:9765/k8s-audit' }] }));
      operator = await startOperator({ kubeConfig: kc, logger: silentLogger(), namespace: ns, leaderElection: false });
      await eventually('the edit rolled out and the config alone rejected', async () => {
        const st = await monitorStatus();
        const applied = (st['appliedRuleSets'] as Array<{ name: string; contentHash: string }> | undefined)?.find((r) => r.name === 'canary');
        return applied?.contentHash === editedHash && condition(st, 'Degraded') === 'True/ConfigRejected' && condition(st, 'Ready') === 'True/AllNodesReady';
      }, 180_000, 500);
      const st = await monitorStatus();
      assert.deepEqual(st['rejectedRuleSets'], [], 'the rule set is not blamed for the config');
      assert.match((st['conditions'] as Array<{ type: string; message: string }>).find((c) => c.type === 'Degraded')?.message ?? '', /k8saudit/);
      assert.equal(await configOf(), goodConfig, 'the nodes keep the running falco.yaml');
      const rs = (await objects.read({ apiVersion: API_GROUP_VERSION, kind: 'FalcoRuleSet', metadata: { name: 'canary', namespace: ns } })) as { status?: { verifications?: Array<{ contentHash: string; verified: boolean }> } };
      assert.ok(rs.status?.verifications?.some((v) => v.contentHash === editedHash && v.verified), JSON.stringify(rs.status?.verifications));
      assert.ok(!rs.status?.verifications?.some((v) => v.contentHash === editedHash && !v.verified), 'no verdict against the edit');
      await apply('FalcoMonitor', MONITOR, monitorSpec(context().images['0.44.1']));
      await eventually('back to as expected', async () => condition(await monitorStatus(), 'Degraded') === 'False/AsExpected', 120_000, 500);
    });

    it('a node made to run other rules by hand is reported as drifted with the sha256 its real Falco reports, and heals', async () => {
      // Bundles are immutable ConfigMaps, Falco does not watch its files (watch_config_files off:
      // it then ignores SIGHUP too) and the operator re-applies a DaemonSet edited by hand, so a
      // drift made by hand needs the operator down while someone points the DaemonSet at other
      // rules and a pod restarts onto them. OnDelete keeps that pod on the node afterwards.
      await apply('FalcoMonitor', MONITOR, monitorSpec(context().images['0.44.1'], { updateStrategy: { type: 'OnDelete' } }));
      await eventually('the node runs the deployed bundle', async () => (await monitorStatus())['loaded'] === '1/1', 120_000, 1000);
      const [before] = await falcoPods();
      const bundleCm = before?.spec?.volumes?.find((v) => v.name === 'falconer-rules')?.configMap?.name ?? '';
      const data = (await core.readNamespacedConfigMap({ name: bundleCm, namespace: ns })).data ?? {};
      const key = Object.keys(data).find((k) => k.includes('canary')) ?? '';
      const patched = `${data[key] ?? ''}\n- list: patched_by_hand\n  items: [x]\n`;
      const sha = createHash('sha256').update(patched).digest('hex');
      await operator.stop();
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'handmade-rules' }, data: { ...data, [key]: patched } } });
      await context().cluster.kubectl(['patch', 'daemonset', '-n', ns, `${MONITOR}-falco`, '--type=strategic', '-p', JSON.stringify({ spec: { template: { spec: { volumes: [{ name: 'falconer-rules', configMap: { name: 'handmade-rules' } }] } } } })]);
      await core.deleteNamespacedPod({ name: before?.metadata?.name ?? '', namespace: ns });
      // The real Falco in the new pod reports the hand-made file on its own /metrics.
      const reader = podProxyReader(new KubeTransport(kc));
      let drifted = '';
      await eventually('the new pod runs the hand-made rules', async () => {
        const pod = (await falcoPods()).find((p) => p.metadata?.uid !== before?.metadata?.uid && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        if (pod === undefined) return false;
        drifted = pod.metadata?.name ?? '';
        const text = await reader.read({ namespace: ns, name: drifted }, AbortSignal.timeout(5_000)).catch(() => '');
        return text.includes(`sha256="${sha}"`);
      }, 180_000, 1000);

      operator = await startOperator({ kubeConfig: kc, logger: silentLogger(), namespace: ns, leaderElection: false });
      type NodeEntry = { node: string; pod: string; state: string; rulesFiles?: Array<{ name: string; sha256: string }>; message?: string };
      await eventually('the node reported as drifted', async () => {
        await operator.readFalcoMetrics();
        return ((await monitorStatus())['notLoadedNodes'] as NodeEntry[] | undefined)?.[0]?.state === 'Drifted';
      }, 120_000, 1000);
      const status = await monitorStatus();
      const entry = (status['notLoadedNodes'] as NodeEntry[])[0];
      assert.equal(entry?.pod, drifted);
      assert.equal(entry?.rulesFiles?.find((f) => f.name === key)?.sha256, sha, JSON.stringify(entry));
      assert.match(entry?.message ?? '', new RegExp(`${key.replace('.', '\\.')} sha256 ${sha.slice(0, 12)}`));
      assert.equal(status['loaded'], '0/1');
      assert.equal(condition(status, 'RulesLoaded'), 'False/NodesDrifted');
      await eventually('a NodeDrifted Event', async () => (await core.listNamespacedEvent({ namespace: ns })).items.some((e) => e.reason === 'NodeDrifted' && (e.message ?? '').includes(sha.slice(0, 12))), 30_000, 500);
      // The operator put its own template back; the pod (OnDelete) is replaced when deleted.
      await eventually('the DaemonSet mounts the verified bundle again', async () =>
        (await kc.makeApiClient(AppsV1Api).readNamespacedDaemonSet({ name: `${MONITOR}-falco`, namespace: ns })).spec?.template.spec?.volumes?.find((v) => v.name === 'falconer-rules')?.configMap?.name === bundleCm, 30_000, 500);
      await core.deleteNamespacedPod({ name: drifted, namespace: ns });
      await eventually('healed: the node runs the deployed bundle again', async () => {
        await operator.readFalcoMetrics();
        const now = await monitorStatus();
        return now['loaded'] === '1/1' && condition(now, 'RulesLoaded') === 'True/AllNodesLoaded';
      }, 180_000, 1000);
      await core.deleteNamespacedConfigMap({ name: 'handmade-rules', namespace: ns });
      await apply('FalcoMonitor', MONITOR, monitorSpec(context().images['0.44.1']));
    });

    it('a deleted Falco pod comes back with the same bundle and becomes Ready again', async () => {
      const before = await monitorStatus();
      const [pod] = await falcoPods();
      await core.deleteNamespacedPod({ name: pod?.metadata?.name ?? '', namespace: ns });
      await eventually('a new Falco pod Ready', async () => {
        const pods = await falcoPods();
        return pods.some((p) => p.metadata?.uid !== pod?.metadata?.uid && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      }, 120_000, 500);
      const [fresh] = (await falcoPods()).filter((p) => p.metadata?.uid !== pod?.metadata?.uid);
      const bundleVolume = (p: typeof pod) => p?.spec?.volumes?.find((v) => v.name === 'falconer-rules')?.configMap?.name;
      assert.equal(bundleVolume(fresh), bundleVolume(pod));
      assert.equal((await monitorStatus())['bundleHash'], before['bundleHash']);
    });

    const templateOf = async (): Promise<string | undefined> =>
      (await kc.makeApiClient(AppsV1Api).readNamespacedDaemonSet({ name: `${MONITOR}-falco`, namespace: ns })).spec?.template.metadata?.annotations?.['falconer.dev/template-hash'];
    const degradedMessage = async (): Promise<string> =>
      ((await monitorStatus())['conditions'] as Array<{ type: string; message: string }>).find((c) => c.type === 'Degraded')?.message ?? '';

    /**
     * A spec change the verification Job cannot judge (it runs `falco -V` in a pod of its own),
     * whose pods then crash-loop on the node: status says why, and the operator puts the last good
     * template back until the spec changes again.
     */
    const rollsBack = async (extra: Record<string, unknown>, lastError: RegExp, editWhileRolledBack = false): Promise<void> => {
      let rulesBefore = '';
      const good = await templateOf();
      assert.ok(good !== undefined, 'the running template carries its hash');
      await eventually('the running template recorded as the last good one', async () => (await monitorStatus())['lastGoodTemplate'] !== undefined, 60_000, 500);
      assert.equal(((await monitorStatus())['lastGoodTemplate'] as { hash: string }).hash, good);
      await apply('FalcoMonitor', MONITOR, monitorSpec(context().images['0.44.1'], extra));
      await eventually('the new template rolled out', async () => (await templateOf()) !== good, 60_000, 500);
      await eventually('rolled back', async () => condition(await monitorStatus(), 'Degraded') === 'True/RolledBack', 240_000, 500);
      const failed = (await monitorStatus())['failedTemplate'] as { hash: string; pod: string; message: string };
      assert.notEqual(failed.hash, good);
      assert.match(failed.pod, /^realfalco-falco-/);
      assert.match(failed.message, lastError, failed.message);
      assert.match(await degradedMessage(), lastError);
      await eventually('back on the last good template, Ready', async () => (await templateOf()) === good && condition(await monitorStatus(), 'Ready') === 'True/AllNodesReady', 180_000, 500);
      const pods = await falcoPods();
      assert.ok(pods.length > 0 && pods.every((p) => p.metadata?.annotations?.['falconer.dev/template-hash'] === good && p.status?.containerStatuses?.every((c) => c.ready)), 'the node runs the good template again');
      // Level-triggered: later reconciles keep the failing template off the node.
      await new Promise((r) => setTimeout(r, 5_000));
      assert.equal(await templateOf(), good, 'the failing template is not applied again');
      assert.equal(condition(await monitorStatus(), 'Degraded'), 'True/RolledBack');
      if (editWhileRolledBack) {
        // A rule-set edit is a new template (a new bundle): it is tried, crash-loops with the same
        // spec and is rolled back too. Status names what the nodes run, not the verified target.
        const goodBundle = (await monitorStatus())['bundleHash'];
        rulesBefore = ((await objects.read({ apiVersion: API_GROUP_VERSION, kind: 'FalcoRuleSet', metadata: { name: 'canary', namespace: ns } })) as { spec: { rules: string } }).spec.rules;
        await apply('FalcoRuleSet', 'canary', { rules: `${rulesBefore}# edited while rolled back\n` }, { e2e: 'canary' });
        await eventually('the edited bundle tried and rolled back as well', async () => {
          const st = await monitorStatus();
          return (st['failedTemplate'] as { hash?: string } | undefined)?.hash !== failed.hash && condition(st, 'Degraded') === 'True/RolledBack';
        }, 240_000, 500);
        await eventually('back on the last good template again', async () => (await templateOf()) === good && condition(await monitorStatus(), 'Ready') === 'True/AllNodesReady', 180_000, 500);
        const st = await monitorStatus();
        assert.equal(st['bundleHash'], goodBundle, 'status.bundleHash is the bundle the rolled-back template mounts');
      }
      await apply('FalcoMonitor', MONITOR, monitorSpec(context().images['0.44.1']));
      await eventually('the spec fixed: as expected', async () => condition(await monitorStatus(), 'Degraded') === 'False/AsExpected', 120_000, 500);
      assert.equal((await monitorStatus())['failedTemplate'], undefined);
      if (editWhileRolledBack) {
        await apply('FalcoRuleSet', 'canary', { rules: rulesBefore }, { e2e: 'canary' });
        await eventually('the original rules back on the good template', async () => (await templateOf()) === good && condition(await monitorStatus(), 'Ready') === 'True/AllNodesReady', 120_000, 500);
      }
      assert.equal(await templateOf(), good, 'the good spec renders the good template');
    };

    it("a memory limit too small for Falco: Falco stops at start with its own error, status quotes it, and the operator rolls back to the last good template", async () => {
      // The modern eBPF ring buffers (8 MB per CPU) are charged to the container's memory cgroup:
      // under 24Mi Falco cannot open the engine and says so itself ("Error: Initialization issues
      // during scap_init"); had the kernel killed it first, status would say OOMKilled with Falco's
      // last line. The verification Job, with its own resources and no engine, cannot see this.
      await rollsBack({ resources: { requests: { cpu: '100m', memory: '24Mi' }, limits: { memory: '24Mi' } } }, /Error: Initialization issues during scap_init|OOMKilled \(exit code 137\); last line: /);
    });

    // CAP_SYS_RESOURCE (bit 24) missing from this machine's bounding set: a pod asking for it cannot start here.
    const noSysResource = (BigInt(`0x${/CapBnd:\s+([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0'}`) & (1n << 24n)) === 0n;
    it('a Falco pod that cannot start on the node crash-loops: status names the node\'s last error and the operator returns to the last good template', { skip: noSysResource ? false : 'this machine grants CAP_SYS_RESOURCE, so the least-privileged pod starts' }, async () => {
      // leastPrivileged asks for BPF, PERFMON, SYS_RESOURCE and SYS_PTRACE; this machine's bounding
      // set lacks SYS_RESOURCE, so runc refuses the container: a real crash loop that no
      // verification Job (which runs without those capabilities) can foresee.
      await rollsBack({ driver: { kind: 'modern_ebpf', leastPrivileged: true } }, /capabilities|operation not permitted/, true);
    });

    it('the same monitor moves to the real Falco 0.42.1: a new real verification, a rollout, and the pod reports 0.42.1', async () => {
      await apply('FalcoMonitor', MONITOR, monitorSpec(context().images['0.42.1']));
      await eventually('0.42.1 rolled out and Ready', async () => {
        const s = await monitorStatus();
        return condition(s, 'Ready') === 'True/AllNodesReady' && s['image'] === context().images['0.42.1'];
      }, 180_000, 500);
      await eventually('falco_get_version reports 0.42.1', async () => {
        const out = await tool('falco_get_version');
        return (out['versions'] as Array<{ falco: string }>)[0]?.falco === '0.42.1';
      }, 60_000, 1000);
    });
  });
}
