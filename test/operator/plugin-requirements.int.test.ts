/**
 * Plugin requirements on the real control plane: a rule set whose `required_plugin_versions`
 * names a plugin (or a plugin version) the monitor's Falco does not load is unloadable on that
 * monitor. Falco stops before any report then ("Error: Plugin requirement not satisfied …"); the
 * static check models it for the release the monitor's image tag names (container plugin 0.4.1
 * in Falco 0.42.1, 0.7.1 in 0.44.1, measured on both real builds), so the monitor leaves the rule
 * set out and its status names the plugin and version. kwok plays the kubelet; verification pods
 * print a recorded real Falco 0.42.1 output (they are not what rejects the rule set here).
 *
 * The MCP part asks `falco_validate_rules` about the same text for the same monitor: its static
 * verdict (modelled for the monitor's release) names the same requirement. Its `falco` part is
 * the test-only stand-in on kwok pods, which answers unrecorded input with an error of its own;
 * it is not asserted on.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../support/eventually.ts';
import { clusterDeps, connectClient } from '../mcp/int-support.ts';
import { rulesText } from './support/fixtures.ts';
import { applyMonitor, applyRuleSet, conditionOf, monitorStatus, recordedPodLog, ruleSetStatus, setupOperatorTest, waitForReady } from './support/harness.ts';
import type { OperatorTest } from './support/harness.ts';

const tests: OperatorTest[] = [];
after(async () => Promise.all(tests.map((t) => t.stopAll())));

const requiring = (plugin: string, version: string, rule: string): string =>
  `- required_plugin_versions:\n  - name: ${plugin}\n    version: ${version}\n${rulesText(rule)}`;

test('a rule set requiring a plugin or plugin version a monitor does not load is rejected on that monitor, naming the plugin and version; MCP says the same', async () => {
  const t = await setupOperatorTest('op-plugins');
  tests.push(t);
  await t.cluster.setVerificationOutcome(t.namespace, { result: 'succeed', logFile: recordedPodLog('validate_stdin_good_small_json') });
  const labels = { fleet: 'main' };
  await applyRuleSet(t, 'base', rulesText('Base rule'), { labels, loadOrder: 100 });
  // container >= 0.5.0: loaded by Falco 0.44.1 (0.7.1), not by Falco 0.42.1 (0.4.1)
  await applyRuleSet(t, 'newer-container', requiring('container', '0.5.0', 'Newer container rule'), { labels });
  // k8saudit: loaded by neither stock image
  await applyRuleSet(t, 'audit', requiring('k8saudit', '0.7.0', 'Audit rule'), { labels });
  await t.start();
  await applyMonitor(t, 'old', { image: { tag: '0.42.1' }, ruleSets: { selector: { matchLabels: labels } } });
  await applyMonitor(t, 'new', { ruleSets: { selector: { matchLabels: labels } } });

  const old = await waitForReady(t, 'old', ['base']);
  const current = await waitForReady(t, 'new', ['base', 'newer-container']);
  assert.equal(old.modelledFalcoVersion, '0.42.1');
  assert.equal(current.modelledFalcoVersion, '0.44.1');

  await eventually('both rejections reported on the 0.42.1 monitor', async () => {
    const s = await monitorStatus(t, 'old');
    return (s?.rejectedRuleSets ?? []).map((r) => r.name).sort().join() === 'audit,newer-container';
  }, 60_000, 250);
  const rejected = new Map(((await monitorStatus(t, 'old'))?.rejectedRuleSets ?? []).map((r) => [r.name, r]));
  assert.match(rejected.get('newer-container')?.message ?? '', /Plugin 'container' version '0\.4\.1' is not compatible with required plugin version '0\.5\.0'/);
  assert.match(rejected.get('audit')?.message ?? '', /must load one of: k8saudit \(>= 0\.7\.0\)/);
  assert.equal(conditionOf(await monitorStatus(t, 'old'), 'Degraded'), 'True/RuleSetsRejected');

  // The 0.44.1 monitor loads the container requirement and rejects only the k8saudit one.
  const newRejected = (await monitorStatus(t, 'new'))?.rejectedRuleSets ?? [];
  assert.deepEqual(newRejected.map((r) => r.name), ['audit']);
  assert.deepEqual(current.appliedRuleSets?.map((r) => r.name).sort(), ['base', 'newer-container']);

  // The rule set's own status (the default image's release) names the missing plugin too.
  await eventually('audit not valid', async () => conditionOf(await ruleSetStatus(t, 'audit'), 'Valid') === 'False/StaticCheckFailed');
  const audit = await ruleSetStatus(t, 'audit');
  assert.equal(audit?.modelledFalcoVersion, '0.44.1');
  assert.match(audit?.errors?.[0]?.message ?? '', /k8saudit \(>= 0\.7\.0\)/);

  const { client, close } = await connectClient(clusterDeps(t.kc, t.namespace, { defaults: { namespace: t.namespace, monitor: 'old' } }));
  try {
    const r = await client.callTool({ name: 'falco_validate_rules', arguments: { monitor: 'old', rules: requiring('container', '0.5.0', 'Newer container rule') } });
    assert.notEqual(r.isError, true, JSON.stringify(r.content));
    const out = r.structuredContent as { valid: boolean; static: { valid?: boolean; modelledFalcoVersion?: string; issues: Array<{ severity: string; message: string }> } };
    assert.equal(out.valid, false);
    assert.equal(out.static.valid, false);
    assert.equal(out.static.modelledFalcoVersion, '0.42.1');
    assert.ok(
      out.static.issues.some((i) => i.severity === 'error' && /Plugin 'container' version '0\.4\.1' is not compatible with required plugin version '0\.5\.0'/.test(i.message)),
      JSON.stringify(out.static.issues),
    );
    const text = (r.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
    assert.match(text, /static check of the candidate alone: rejected, as Falco 0\.42\.1/);
  } finally {
    await close();
  }
});
