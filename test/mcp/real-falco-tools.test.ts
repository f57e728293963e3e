/**
 * The MCP tools ask the Falco the pod runs, not the image's stock configuration. Pods are made
 * from the DaemonSet the operator renders; exec runs the argv the product builds for that pod
 * (its container's command and `-c` config, then the tool's flags: `inPodArgv`, as kube-deps.ts
 * does before the API server's exec) with the real Falco 0.44.1 in the pod's file layout
 * (test/support/local-pod.ts). The real node's tests do the same through a real kubelet.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inPodArgv } from '../../src/falco/argv.ts';
import { toFalcoPod } from '../../src/kube/pods.ts';
import type { FalcoPod } from '../../src/kube/pods.ts';
import type { FalcoFleet } from '../../src/mcp/deps.ts';
import { falcoRootfs, realFalcoSkipReason } from '../support/falco-rootfs.ts';
import { runContainerLocally } from '../support/local-pod.ts';
import { podFromDaemonSet, renderMonitor } from '../support/rendered-monitor.ts';
import type { RenderedMonitor } from '../support/rendered-monitor.ts';
import { NS, connect, memoryObjects } from './harness.ts';
import type { Harness } from './harness.ts';

const skip = realFalcoSkipReason();

const BUNDLE_RULE = 'Falconer bundle-only shell rule';
const RULE_SET = {
  name: 'shell',
  content: `- rule: ${BUNDLE_RULE}
  desc: a shell in a container, from a FalcoRuleSet
  condition: evt.type = execve and proc.name = bash and container.id != host
  output: "shell %proc.cmdline"
  priority: WARNING
  tags: [falconer_test]
`,
};

/** Exec into pods of rendered monitors, with the real Falco and the product's argv. */
function localFleet(monitors: Record<string, RenderedMonitor>): FalcoFleet {
  const pods = Object.fromEntries(
    Object.entries(monitors).map(([name, m]) => {
      const pod = toFalcoPod(podFromDaemonSet(m.daemonSet, `${name}-falco-x1`, 'node-1'));
      return [name, { ...pod, namespace: NS }];
    }),
  );
  const monitorOf = (pod: FalcoPod): RenderedMonitor => {
    const entry = Object.entries(pods).find(([, p]) => p.name === pod.name);
    const m = entry === undefined ? undefined : monitors[entry[0]];
    if (m === undefined) throw new Error(`unknown pod ${pod.name}`);
    return m;
  };
  return {
    listPods: async (_ns, monitor) => (pods[monitor] === undefined ? [] : [pods[monitor]]),
    exec: async (pod, argv, o) => {
      const m = monitorOf(pod);
      const started = Date.now();
      const run = await runContainerLocally({
        rootfs: falcoRootfs(m.falcoVersion),
        pod: m.daemonSet.spec?.template.spec ?? { containers: [] },
        container: 'falco',
        configMaps: m.podConfigMaps,
        exec: inPodArgv(pod.invocation, argv),
        ...(o.stdin === undefined ? {} : { stdin: o.stdin }),
        timeoutMs: o.timeoutMs,
      });
      return { stdout: run.stdout, stderr: run.stderr, exitCode: run.code ?? -1, stdoutTruncated: false, stderrTruncated: false, durationMs: Date.now() - started };
    },
    readLog: async () => '',
  };
}

describe('MCP tools against the real Falco, in the pod\'s own configuration', { skip }, () => {
  let h: Harness;
  before(async () => {
    const monitors = {
      main: renderMonitor({ image: { tag: '0.44.1' } }, [RULE_SET]),
      // A plugin the image does not ship: this configuration makes Falco exit 1 at start.
      broken: renderMonitor({ image: { tag: '0.44.1' }, plugins: [{ name: 'k8saudit', openParams: 'http://:9765/k8s-audit' }] }, [RULE_SET]),
    };
    h = await connect({ objects: memoryObjects(['main', 'broken']), deps: { fleet: localFleet(monitors) } });
  });
  after(async () => h?.close());

  const call = async (name: string, args: Record<string, unknown>): Promise<{ isError?: boolean; structuredContent?: Record<string, unknown>; text: string }> => {
    const r = (await h.client.callTool({ name, arguments: args })) as { isError?: boolean; structuredContent?: Record<string, unknown>; content?: Array<{ text?: string }> };
    return { ...r, text: (r.content ?? []).map((c) => c.text ?? '').join('\n') };
  };

  it('falco_list_rules lists the rule only the monitor\'s bundle has, next to the default rules', async () => {
    const r = await call('falco_list_rules', { monitor: 'main', tag: 'falconer_test' });
    assert.equal(r.isError, undefined, r.text);
    const rules = (r.structuredContent?.['rules'] ?? []) as Array<{ name: string }>;
    assert.deepEqual(rules.map((x) => x.name), [BUNDLE_RULE]);
    const all = await call('falco_list_rules', { monitor: 'main', name: 'Terminal shell in container' });
    assert.equal((all.structuredContent?.['rules'] as unknown[]).length, 1, 'the default rules are loaded too');
    assert.ok((all.structuredContent?.['totalLoaded'] as number) > 25, all.text);
  });

  it('falco_describe_rule describes the bundle\'s own rule as loaded in the pod', async () => {
    const r = await call('falco_describe_rule', { monitor: 'main', rule: BUNDLE_RULE });
    assert.equal(r.isError, undefined, r.text);
    assert.match(JSON.stringify(r.structuredContent), /proc\.name = bash|proc\.name=bash/);
  });

  it('falco_dry_run says the monitor starts, with its plugin and its bundle file', async () => {
    const r = await call('falco_dry_run', { monitor: 'main' });
    assert.equal(r.structuredContent?.['starts'], true, r.text);
    assert.match(r.text, /container@0\.7\.1/);
    assert.match(r.text, /\/etc\/falconer\/rules\/000-shell\.yaml/);
  });

  it('falco_dry_run says a monitor whose real configuration makes Falco exit would NOT start, with Falco\'s reason', async () => {
    const r = await call('falco_dry_run', { monitor: 'broken' });
    assert.equal(r.structuredContent?.['starts'], false, r.text);
    assert.match(r.text, /would NOT start/);
    assert.match(r.text, /k8saudit/);
  });
});
