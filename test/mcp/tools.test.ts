import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRuleOutput } from '../../src/mcp/tools/describe-rule.ts';
import { dryRunOutput } from '../../src/mcp/tools/dry-run.ts';
import { getVersionOutput } from '../../src/mcp/tools/get-version.ts';
import { listFieldsOutput } from '../../src/mcp/tools/list-fields.ts';
import { listRulesOutput } from '../../src/mcp/tools/list-rules.ts';
import { nodeStatusOutput } from '../../src/mcp/tools/node-status.ts';
import { validateRulesOutput } from '../../src/mcp/tools/validate-rules.ts';
import { staticRulesEngine } from '../../src/mcp/rules-engine.ts';
import { OUTPUTS_DIR } from '../support/recorded-falco.ts';
import { NS, connect, memoryObjects, textOf } from './harness.ts';
import type { Harness } from './harness.ts';

// The fleet in these tests answers exec with recorded output of a real Falco 0.42.1.
const input = (name: string): string => readFileSync(join(OUTPUTS_DIR, 'inputs', name), 'utf8');

async function call(h: Harness, name: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const r = await h.client.callTool({ name, arguments: args });
  assert.notEqual(r.isError, true, textOf(r));
  assert.ok(typeof r.structuredContent === 'object' && r.structuredContent !== null);
  return r.structuredContent as Record<string, unknown>;
}

describe('tools over recorded Falco output (in-process)', () => {
  let h: Harness;
  before(async () => (h = await connect()));
  after(async () => h.close());

  it('falco_get_version asks every Ready pod and groups identical versions', async () => {
    const out = getVersionOutput.parse(await call(h, 'falco_get_version'));
    assert.equal(out.podsQueried, 2);
    assert.equal(out.consistent, true);
    assert.equal(out.versions.length, 1);
    assert.equal(out.versions[0]?.falco, '0.42.1');
    assert.equal(out.versions[0]?.pods.length, 2);
  });

  it("falco_node_status and falco_get_version report the per-node load the monitor's status holds", async () => {
    const objects = memoryObjects();
    // As the operator writes it (conditions carry lastTransitionTime, which the tools' view omits).
    const status = {
        desiredNodes: 2,
        loadedNodes: 1,
        loaded: '1/2',
        nodeReports: 'Falco',
        bundleHash: `sha256:${'a'.repeat(64)}`,
        falcoVersions: [{ version: '0.42.1', nodes: 2 }],
        notLoadedNodes: [{ node: 'node-b', pod: 'main-falco-b', state: 'Drifted', rulesFiles: [{ name: '000-x.yaml', sha256: 'b'.repeat(64) }], message: 'On the current pod template, yet Falco loaded 000-x.yaml sha256 bbbbbbbbbbbb (expected aaaaaaaaaaaa).' }],
        notLoadedNodeCount: 1,
        eventDrops: 0,
        conditions: [{ type: 'RulesLoaded', status: 'False', reason: 'NodesDrifted', message: 'Falco on 1 node(s) runs other files.', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    };
    objects.monitors.set(`${NS}/main`, { apiVersion: 'falconer.dev/v1alpha1', kind: 'FalcoMonitor', metadata: { name: 'main', namespace: NS }, status });
    const local = await connect({ objects });
    try {
      const r = await local.client.callTool({ name: 'falco_node_status', arguments: {} });
      assert.match(textOf(r), /1\/2 nodes loaded bundle aaaaaaaaaaaa; RulesLoaded=False \(NodesDrifted\); Falco 0\.42\.1 on 2; not loaded: node-b: Drifted/);
      const out = nodeStatusOutput.parse(r.structuredContent);
      assert.equal(out.notLoadedNodes[0]?.['node'], 'node-b');
      assert.equal((out.notLoadedNodes[0]?.['rulesFiles'] as Array<{ sha256: string }>)[0]?.sha256, 'b'.repeat(64));
      const version = getVersionOutput.parse(await call(local, 'falco_get_version'));
      assert.deepEqual(version.reportedOnMetrics, { loaded: '1/2', source: 'Falco', falcoVersions: [{ version: '0.42.1', nodes: 2 }] });
    } finally {
      await local.close();
    }
    const none = await call(h, 'falco_node_status');
    assert.equal(none['rulesLoaded'], undefined, 'a monitor without the report says so rather than inventing one');
  });

  it('falco_list_rules filters, sorts by name and pages with a cursor', async () => {
    const first = listRulesOutput.parse(await call(h, 'falco_list_rules', { limit: 10 }));
    assert.equal(first.totalLoaded, 25);
    assert.equal(first.rules.length, 10);
    assert.ok(first.nextCursor !== undefined);
    const names = first.rules.map((r) => r.name);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    const second = listRulesOutput.parse(await call(h, 'falco_list_rules', { limit: 10, cursor: first.nextCursor }));
    assert.equal(second.rules[0]?.name !== first.rules[0]?.name, true);
    const crit = listRulesOutput.parse(await call(h, 'falco_list_rules', { minPriority: 'critical', tag: 'container' }));
    assert.ok(crit.rules.every((r) => r.priority === 'critical' || r.priority === 'emergency' || r.priority === 'alert'));
    assert.ok(crit.rules.every((r) => r.tags.includes('container')));
    const wrong = await h.client.callTool({ name: 'falco_list_rules', arguments: { tag: 'shell', cursor: first.nextCursor } });
    assert.equal(wrong.isError, true);
  });

  it('falco_describe_rule returns the loaded rule with its macros', async () => {
    const out = describeRuleOutput.parse(await call(h, 'falco_describe_rule', { rule: 'Terminal shell in container' }));
    assert.equal(out.rule.priority, 'notice');
    assert.ok(out.rule.macros.includes('spawned_process'));
    assert.ok(out.rule.tags.includes('mitre_execution'));
  });

  it('falco_describe_rule explains an unknown rule', async () => {
    const r = await h.client.callTool({ name: 'falco_describe_rule', arguments: { rule: 'No such rule' } });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /"No such rule" is not loaded/);
  });

  it('falco_list_fields parses the text listing and filters by class and prefix', async () => {
    const out = listFieldsOutput.parse(await call(h, 'falco_list_fields', { source: 'syscall', fieldClass: 'process', prefix: 'proc.a' }));
    assert.equal(out.origin, 'falco');
    assert.ok(out.fields.length > 0 && out.fields.every((f) => f.name.startsWith('proc.a') && f.fieldClass === 'process'));
    const bad = await h.client.callTool({ name: 'falco_list_fields', arguments: { source: 'nosuchsource' } });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /no event source "nosuchsource"/);
  });

  it('falco_validate_rules streams the candidate after the stock rules and reports Falco errors 1-based', async () => {
    const bad = validateRulesOutput.parse(await call(h, 'falco_validate_rules', { rules: input('uses_loaded_macros_bad.yaml') }));
    assert.equal(bad.valid, false);
    assert.equal(bad.falco.issues[0]?.code, 'LOAD_ERR_VALIDATE');
    assert.equal(bad.falco.issues[0]?.line, 1);
    assert.equal(bad.falco.issues[0]?.column, 3);
    const last = h.fleet.execs.at(-1);
    assert.deepEqual(last?.argv, ['falco', '-V', '/etc/falco/falco_rules.yaml', '-V', '/dev/stdin', '-o', 'json_output=true']);
    const good = validateRulesOutput.parse(await call(h, 'falco_validate_rules', { rules: input('uses_loaded_macros.yaml') }));
    assert.equal(good.falco.valid, true);
    const alone = validateRulesOutput.parse(await call(h, 'falco_validate_rules', { rules: input('bad_field.yaml'), withLoadedRules: false }));
    assert.equal(alone.falco.issues[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');
    assert.equal(alone.falco.issues[0]?.line, 3);
  });

  it('falco_dry_run reports the rules files and plugins the pod loads', async () => {
    const out = dryRunOutput.parse(await call(h, 'falco_dry_run'));
    assert.equal(out.starts, true);
    assert.deepEqual(out.rulesFiles.map((f) => f.path), ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml']);
    assert.deepEqual(out.plugins, [{ name: 'container', version: '0.4.1' }]);
    const withCandidate = dryRunOutput.parse(await call(h, 'falco_dry_run', { rules: input('uses_loaded_macros_bad.yaml') }));
    assert.equal(withCandidate.starts, false);
    assert.equal(withCandidate.candidate?.issues[0]?.code, 'LOAD_ERR_VALIDATE');
  });

  it('falco_start_monitoring applies a minimal FalcoMonitor and reports Ready', async () => {
    const r = await call(h, 'falco_start_monitoring', { name: 'edge', minimumPriority: 'warning', ruleSets: ['custom'], waitSeconds: 2 });
    assert.equal(r['outcome'], 'Ready');
    assert.equal(r['action'], 'created');
    assert.deepEqual(h.objects.applied.at(-1)?.spec, { suspend: false, minimumPriority: 'Warning', ruleSets: { names: ['custom'] } });
    assert.equal(h.objects.applied.at(-1)?.metadata?.namespace, NS);
  });
});

describe('falco_validate_rules with a FalcoRuleSet and the static engine', () => {
  it('reads the rule set by name and reports both verdicts with positions', async () => {
    const h = await connect({ deps: { rulesEngine: staticRulesEngine() } });
    try {
      h.objects.ruleSets.set(`${NS}/bad`, { apiVersion: 'falconer.dev/v1alpha1', kind: 'FalcoRuleSet', metadata: { name: 'bad', namespace: NS }, spec: { rules: input('bad_field.yaml') } });
      const out = validateRulesOutput.parse(await call(h, 'falco_validate_rules', { ruleSet: { name: 'bad' }, withLoadedRules: false }));
      assert.equal(out.subject, `FalcoRuleSet ${NS}/bad`);
      assert.equal(out.valid, false);
      assert.equal(out.falco.issues[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');
      assert.equal(out.static.available, true);
      assert.equal(out.static.valid, false);
      assert.equal(out.static.issues[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');
      assert.equal(out.static.issues[0]?.line, out.falco.issues[0]?.line);
      const missing = await h.client.callTool({ name: 'falco_validate_rules', arguments: { ruleSet: { name: 'nope' } } });
      assert.equal(missing.isError, true);
      assert.match(textOf(missing), /FalcoRuleSet falco-system\/nope was not found/);
      const both = await h.client.callTool({ name: 'falco_validate_rules', arguments: { ruleSet: { name: 'bad' }, rules: 'x' } });
      assert.match(textOf(both), /exactly one of/);
    } finally {
      await h.close();
    }
  });
});
