/**
 * On simulated (kwok) nodes no container runs, so exec finds no Falco. `npm run dev` without a
 * real node is such a cluster: every tool that needs Falco must say so plainly, once, instead of
 * passing on the raw exec error of each pod. The pods here run a Falco binary path that this
 * machine does not have (kwok's exec runs commands on the machine itself).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getTestCluster } from '../support/cluster.ts';
import { MONITOR, clusterDeps, connectClient, createFalcoPod, waitForReadyPods } from './int-support.ts';

describe('MCP tools on simulated nodes where no Falco runs', () => {
  let client: Awaited<ReturnType<typeof connectClient>>['client'];
  let close: () => Promise<void>;
  let pods = 0;

  before(async () => {
    const cluster = await getTestCluster();
    const kc = cluster.kubeConfig();
    const ns = await cluster.createNamespace('mcp-sim');
    const nodes = cluster.nodeNames.slice(0, 2);
    pods = nodes.length;
    await Promise.all(nodes.map((node, i) => createFalcoPod(kc, ns, `${MONITOR}-falco-${i}`, node, { command: ['/opt/falconer-absent/bin/falco'] })));
    await waitForReadyPods(kc, ns, nodes.length);
    ({ client, close } = await connectClient(clusterDeps(kc, ns)));
  });
  after(async () => close?.());

  const error = async (name: string, args: Record<string, unknown> = {}): Promise<string> => {
    const r = await client.callTool({ name, arguments: args });
    const text = (r.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
    assert.equal(r.isError, true, `${name} must fail: ${text}`);
    return text;
  };

  it('falco_get_version answers once for the whole monitor, naming the simulated nodes', async () => {
    const text = await error('falco_get_version');
    assert.match(text, new RegExp(`No Falco runs in the ${pods} pod\\(s\\) of monitor .*/${MONITOR}: their nodes are simulated \\(kwok\\)`));
    assert.doesNotMatch(text, /error executing command|no such file/, 'no raw exec error');
  });

  it('falco_list_fields answers from the built-in catalog and says why: no Falco runs on the simulated node', async () => {
    const r = await client.callTool({ name: 'falco_list_fields', arguments: {} });
    assert.notEqual(r.isError, true);
    const out = r.structuredContent as { origin: string; note?: string };
    assert.equal(out.origin, 'catalog');
    assert.match(out.note ?? '', /No Falco runs in pod .*simulated \(kwok\)/);
  });

  for (const [tool, args] of [['falco_list_rules', {}], ['falco_describe_rule', { rule: 'x' }], ['falco_dry_run', {}]] as const) {
    it(`${tool} says no Falco runs on the simulated node, without the raw exec error`, async () => {
      const text = await error(tool, args);
      assert.match(text, /No Falco runs in pod .*: node .* is simulated \(kwok\), where containers do not run/);
      assert.doesNotMatch(text, /error executing command|no such file/);
    });
  }
});
