import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { V1Pod } from '@kubernetes/client-node';
import { buildBundle } from '../../src/operator/builders/bundle.ts';
import { contentHash } from '../../src/operator/builders/hash.ts';
import { falcoReport } from '../../src/operator/loaded/falco-report.ts';
import type { FalcoReport } from '../../src/operator/loaded/falco-report.ts';
import { differences, intendedLoad } from '../../src/operator/loaded/intended.ts';
import { liveNodes } from '../../src/operator/loaded/live-nodes.ts';
import { NodeReports } from '../../src/operator/loaded/node-reports.ts';
import type { PodReading } from '../../src/operator/loaded/node-reports.ts';
import { parsePrometheusText } from '../../src/operator/loaded/prometheus-text.ts';
import { summariseLoad } from '../../src/operator/loaded/summary.ts';
import { falcoDegraded, loadFields, rulesLoadedCondition } from '../../src/operator/monitor/load-status.ts';
import { rulesText } from './support/fixtures.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

test("the metrics a real Falco 0.44.1 served give its version, the sha256 of each loaded file, and its drop counter", () => {
  const ebpf = falcoReport(parsePrometheusText(fixture('falco-0.44.1-modern-ebpf.metrics.txt')));
  assert.equal(ebpf?.version, '0.44.1');
  assert.deepEqual([...(ebpf?.rulesFiles ?? [])], [['000-a.yaml', '2b2c152af27f5da9efc93a6dcee83a77282d8e34b558cb356a5c3b89e01057c9']]);
  assert.deepEqual([...(ebpf?.configFiles.keys() ?? [])], ['falco.yaml']);
  assert.equal(ebpf?.drops, 0);
  assert.equal(ebpf?.events, 164);
  const none = falcoReport(parsePrometheusText(fixture('falco-0.44.1-nodriver.metrics.txt')));
  assert.equal(none?.drops, undefined, 'without a driver Falco has no kernel event counters');
  assert.equal(none?.rulesFiles.size, 1);
});

test('the Prometheus text reader handles escapes, timestamps and comments, and skips malformed lines', () => {
  const samples = parsePrometheusText([
    '# HELP x help',
    'a_total{l="x\\"y",m="1\\\\2"} 3 1700000000000',
    'b 4.5e2',
    'broken{l="x} 1',
    'c{} NaN',
    'd{l="v",} +Inf',
    '',
  ].join('\n'));
  assert.deepEqual(samples.map((s) => [s.name, s.labels, s.value]), [
    ['a_total', { l: 'x"y', m: '1\\2' }, 3],
    ['b', {}, 450],
    ['c', {}, NaN],
    ['d', { l: 'v' }, Infinity],
  ]);
  assert.equal(falcoReport(parsePrometheusText('b 1\n')), undefined, "a page without Falco's sha256 metrics is not a Falco report");
});

const ruleSet = (name: string, text = rulesText(name)) => ({ name, content: text, contentHash: contentHash(text) });
const bundle = buildBundle([ruleSet('base'), ruleSet('team')], true);
const falcoYaml = 'rules_files: [/etc/falco/falco_rules.yaml, /etc/falconer/rules]\n';
const intended = intendedLoad(bundle, falcoYaml);

function reportOf(files: Record<string, string>, config = falcoYaml, extra: Partial<FalcoReport> = {}): FalcoReport {
  return {
    version: '0.44.1',
    rulesFiles: new Map([['falco_rules.yaml', sha('image rules')], ...Object.entries(files).map(([k, v]): [string, string] => [k, sha(v)])]),
    configFiles: new Map([['falco.yaml', sha(config)]]),
    events: 10,
    drops: 0,
    ...extra,
  };
}
const exact = (): FalcoReport => reportOf({ '000-base.yaml': rulesText('base'), '001-team.yaml': rulesText('team') });

test("a report matches the intended load only with the bundle's files and falco.yaml, byte for byte; the image's rules are not compared", () => {
  assert.deepEqual(differences(exact(), intended), []);
  assert.deepEqual(differences(reportOf({ '000-base.yaml': rulesText('base'), '001-team.yaml': rulesText('team') }, `${falcoYaml}#`), intended).length, 1);
  assert.match(differences(reportOf({ '000-base.yaml': rulesText('base') }), intended).join(), /001-team\.yaml not loaded/);
  assert.match(differences(reportOf({ '000-base.yaml': rulesText('base'), '001-team.yaml': 'x' }), intended).join(), /001-team\.yaml sha256 [0-9a-f]{12} \(expected/);
  assert.match(differences(reportOf({ '000-base.yaml': rulesText('base'), '001-team.yaml': rulesText('team'), '002-extra.yaml': 'x' }), intended).join(), /002-extra\.yaml not in the bundle/);
  const withoutDefaults = intendedLoad(buildBundle([ruleSet('base'), ruleSet('team')], false), falcoYaml);
  assert.match(differences(exact(), withoutDefaults).join(), /falco_rules\.yaml not in the bundle/, 'a monitor without the default rules must not load them');
});

function pod(name: string, node: string, opts: { ready?: boolean; bundleHash?: string; configHash?: string } = {}): V1Pod {
  return {
    metadata: {
      name,
      labels: { 'falconer.dev/monitor': 'main', 'app.kubernetes.io/component': 'falco' },
      annotations: { 'falconer.dev/bundle-hash': opts.bundleHash ?? bundle.hash, 'falconer.dev/config-hash': opts.configHash ?? contentHash(falcoYaml) },
    },
    spec: { nodeName: node, containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

function reading(podName: string, node: string, report: FalcoReport | undefined, extra: Partial<PodReading> = {}): [string, PodReading] {
  return [podName, { pod: podName, node, source: 'Falco', report, recentDrops: 0, lastDropAt: undefined, failures: 0, error: undefined, ...extra }];
}

test('each node is Loaded, Drifted (current template, other files), Outdated (earlier template, earlier bundle named) or NoMetrics', () => {
  const earlierBundle = buildBundle([ruleSet('base'), ruleSet('team', rulesText('team v0'))], true);
  const earlier = intendedLoad(earlierBundle, falcoYaml);
  const old = reportOf({ '000-base.yaml': rulesText('base'), '001-team.yaml': rulesText('team v0') });
  const summary = summariseLoad({
    pods: [pod('p1', 'n1'), pod('p2', 'n2'), pod('p3', 'n3', { bundleHash: earlierBundle.hash }), pod('p4', 'n4'), pod('p5', 'n5', { ready: false }), pod('p6', 'n6'), pod('p7', 'n7')],
    readings: new Map([
      reading('p1', 'n1', exact()),
      reading('p2', 'n2', old),
      reading('p3', 'n3', old),
      reading('p4', 'n4', exact(), { failures: 2, error: '404' }),
      reading('p6', 'n6', exact(), { failures: 1, error: 'timeout' }),
      // A first reading that failed: a starting Falco answers 404 until its driver is attached.
      reading('p7', 'n7', undefined, { failures: 1, error: 'connection refused' }),
    ]),
    intended,
    earlier: [earlier],
  });
  assert.deepEqual(summary.nodes.map((n) => [n.node, n.state, n.missing]), [
    ['n1', 'Loaded', false],
    ['n2', 'Drifted', false],
    ['n3', 'Outdated', false],
    ['n4', 'NoMetrics', true],
    ['n5', 'NoMetrics', false],
    ['n6', 'Loaded', false],
    ['n7', 'NoMetrics', false],
  ]);
  assert.equal(summary.nodes[2]?.bundleHash, earlierBundle.hash, 'the earlier bundle the node runs is named');
  assert.equal(summary.loaded, 2);
  const fields = loadFields(summary, 7);
  assert.equal(fields.loaded, '2/7');
  assert.equal(fields.notLoadedNodeCount, 5);
  assert.deepEqual(fields.notLoadedNodes?.[0]?.rulesFiles?.find((f) => f.name === '001-team.yaml')?.sha256, sha(rulesText('team v0')));
  assert.equal(fields.notLoadedNodes?.[0]?.configSha256, sha(falcoYaml));
  assert.equal(rulesLoadedCondition({ load: summary, desired: 7, bundleHash: bundle.hash }).reason, 'NodesDrifted');
  assert.equal(falcoDegraded(summary)?.reason, 'MetricsMissing');
});

test('RulesLoaded: all loaded, an ongoing rollout, no readings yet; simulated readings say so; drops degrade', () => {
  const all = summariseLoad({ pods: [pod('p1', 'n1'), pod('p2', 'n2')], readings: new Map([reading('p1', 'n1', exact()), reading('p2', 'n2', exact(), { source: 'Simulated' })]), intended, earlier: [] });
  const loaded = rulesLoadedCondition({ load: all, desired: 2, bundleHash: bundle.hash });
  assert.equal(`${loaded.status}/${loaded.reason}`, 'True/AllNodesLoaded');
  assert.match(loaded.message, /simulated nodes/);
  assert.equal(all.source, 'Simulated');
  assert.equal(rulesLoadedCondition({ load: all, desired: 3, bundleHash: bundle.hash }).status, 'False', 'a desired node without a pod is not loaded');

  const rolling = summariseLoad({ pods: [pod('p1', 'n1'), pod('p2', 'n2', { bundleHash: 'sha256:old' })], readings: new Map([reading('p1', 'n1', exact()), reading('p2', 'n2', reportOf({}))]), intended, earlier: [] });
  assert.equal(rulesLoadedCondition({ load: rolling, desired: 2, bundleHash: bundle.hash }).reason, 'NodesOutdated');

  const unread = summariseLoad({ pods: [pod('p1', 'n1')], readings: undefined, intended, earlier: [] });
  const unknown = rulesLoadedCondition({ load: unread, desired: 1, bundleHash: bundle.hash });
  assert.equal(`${unknown.status}/${unknown.reason}`, 'Unknown/NoMetrics');
  assert.equal(falcoDegraded(unread), undefined, 'a pod not read yet is not a Falco that stopped answering');

  const dropping = summariseLoad({ pods: [pod('p1', 'n1')], readings: new Map([reading('p1', 'n1', exact(), { recentDrops: 42 })]), intended, earlier: [] });
  assert.equal(falcoDegraded(dropping)?.reason, 'EventsDropped');
  assert.equal(loadFields(dropping, 1).eventDrops, 42);
});

test("a rule set is live on the nodes whose Falco reports its file with its current sha256, each node counted once", () => {
  const reports = new NodeReports();
  reports.set('ns/a', new Map([reading('p1', 'n1', exact()), reading('p2', 'n2', reportOf({ '001-team.yaml': 'old' }))]));
  reports.set('ns/b', new Map([reading('q1', 'n1', reportOf({ '000-team.yaml': rulesText('team') })), reading('q3', 'n3', exact(), { failures: 2 })]));
  assert.equal(liveNodes(reports, 'ns', ['a', 'b'], 'team', contentHash(rulesText('team'))), 1);
  assert.equal(liveNodes(reports, 'ns', ['a'], 'base', contentHash(rulesText('base'))), 1);
  assert.equal(liveNodes(reports, 'other', ['a'], 'base', contentHash(rulesText('base'))), 0);
});
