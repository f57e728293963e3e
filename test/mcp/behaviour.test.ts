import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { KubeApiError, TimeoutError } from '../../src/core/errors.ts';
import type { FalcoFleet } from '../../src/mcp/deps.ts';
import { staticRulesEngine } from '../../src/mcp/rules-engine.ts';
import { listFieldsOutput } from '../../src/mcp/tools/list-fields.ts';
import { caseOutput } from '../support/recorded-falco.ts';
import { TWO_PODS, connect, memoryObjects, textOf } from './harness.ts';

describe('falco_start_monitoring confirmation and progress', () => {
  it('asks through elicitation and changes nothing when the user declines', async () => {
    const h = await connect({ capabilities: { elicitation: { form: {} } } });
    try {
      let asked = '';
      h.client.setRequestHandler(ElicitRequestSchema, async (req) => {
        asked = req.params.message;
        return { action: 'decline' };
      });
      const r = await h.client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'edge' } });
      assert.equal(r.isError, undefined);
      assert.equal((r.structuredContent as { outcome: string }).outcome, 'Declined');
      assert.match(asked, /Create FalcoMonitor falco-system\/edge/);
      assert.equal(h.objects.applied.length, 0);
    } finally {
      await h.close();
    }
  });

  it('applies after the user accepts, and reports progress while waiting for Ready', async () => {
    const objects = memoryObjects();
    const apply = objects.applyMonitor;
    let polls = 0;
    // Ready only on the third read, as an operator would report after a rollout.
    objects.applyMonitor = async (m, force) => {
      const stored = await apply(m, force);
      const conditions = [{ type: 'Ready', status: 'False', reason: 'RollingOut' }];
      objects.monitors.set('falco-system/edge', { ...stored, status: { conditions } });
      return stored;
    };
    const get = objects.getMonitor;
    objects.getMonitor = async (ns, name) => {
      const m = await get(ns, name);
      if (m?.metadata?.generation !== undefined && ++polls >= 3) return { ...m, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'AllNodesReady' }] } };
      return m;
    };
    const h = await connect({ objects, capabilities: { elicitation: { form: {} } } });
    try {
      h.client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { apply: true } }));
      const progress: string[] = [];
      const r = await h.client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'edge', waitSeconds: 10 } }, undefined, {
        onprogress: (p) => progress.push(p.message ?? ''),
      });
      assert.equal((r.structuredContent as { outcome: string }).outcome, 'Ready', textOf(r));
      assert.ok(progress.length >= 1);
      assert.match(progress[0] ?? '', /RollingOut/);
    } finally {
      await h.close();
    }
  });
});

describe('exec deadlines, cancellation and vanished pods', () => {
  const slowFleet = (base: FalcoFleet): FalcoFleet => ({
    ...base,
    exec: (_pod, _argv, o) =>
      new Promise((_, reject) => {
        const t = setTimeout(() => reject(new TimeoutError(`Exec did not finish within ${o.timeoutMs} ms.`)), o.timeoutMs);
        o.signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new TimeoutError('Exec was cancelled.'));
        });
      }),
  });

  it('passes the per-call timeout to exec and reports it as an isError result', async () => {
    const h = await connect();
    try {
      h.deps.fleet = slowFleet(h.fleet);
      const r = await h.client.callTool({ name: 'falco_list_rules', arguments: { timeoutSeconds: 1 } });
      assert.equal(r.isError, true);
      assert.match(textOf(r), /within 1000 ms/);
    } finally {
      await h.close();
    }
  });

  it('stops the exec when the client cancels the call', async () => {
    const h = await connect();
    try {
      let aborted = false;
      const slow = slowFleet(h.fleet);
      h.deps.fleet = { ...slow, exec: (p, a, o) => (o.signal.addEventListener('abort', () => (aborted = true)), slow.exec(p, a, o)) };
      const ac = new AbortController();
      const call = h.client.callTool({ name: 'falco_get_version', arguments: {} }, undefined, { signal: ac.signal });
      setTimeout(() => ac.abort(), 100);
      await assert.rejects(call);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(aborted, true);
    } finally {
      await h.close();
    }
  });

  it('retries on another Ready pod when the chosen one disappears', async () => {
    const h = await connect();
    try {
      let pods = [...TWO_PODS];
      const base = h.fleet;
      h.deps.fleet = {
        ...base,
        listPods: async () => pods,
        exec: async (pod, argv, o) => {
          if (pod.name === 'main-falco-a') {
            pods = pods.filter((p) => p.name !== 'main-falco-a');
            throw new KubeApiError('Exec into pod falco-system/main-falco-a failed: Unexpected server response: 404');
          }
          return base.exec(pod, argv, o);
        },
      };
      const r = await h.client.callTool({ name: 'falco_describe_rule', arguments: { rule: 'Terminal shell in container' } });
      assert.notEqual(r.isError, true, textOf(r));
      assert.equal((r.structuredContent as { pod: { pod: string } }).pod.pod, 'main-falco-b');
    } finally {
      await h.close();
    }
  });
});

describe('falco_describe_rule with an unknown name', () => {
  it('lists the loaded rules with the closest names', async () => {
    const h = await connect();
    try {
      const base = h.fleet;
      h.deps.fleet = {
        ...base,
        exec: async (pod, argv, o) => {
          if (argv[1] !== '-l') return base.exec(pod, argv, o);
          const unknown = caseOutput('describe_rule_unknown_json');
          return { stdout: '', stderr: unknown.stderr.replace('No such rule', String(argv[2])), exitCode: 1, stdoutTruncated: false, stderrTruncated: false, durationMs: 1 };
        },
      };
      const r = await h.client.callTool({ name: 'falco_describe_rule', arguments: { rule: 'Terminal shel in contaner' } });
      assert.equal(r.isError, true);
      assert.match(textOf(r), /is not loaded.*Close matches: "Terminal shell in container"/s);
    } finally {
      await h.close();
    }
  });
});

describe('falco_list_fields without a reachable Falco pod', () => {
  it('answers from the built-in field catalog and says so', async () => {
    const h = await connect({ pods: [], deps: { rulesEngine: staticRulesEngine() } });
    try {
      const r = await h.client.callTool({ name: 'falco_list_fields', arguments: { prefix: 'proc.name' } });
      const out = listFieldsOutput.parse(r.structuredContent);
      assert.equal(out.origin, 'catalog');
      assert.ok(out.fields.some((f) => f.name === 'proc.name'));
      assert.match(out.note ?? '', /no Falco pod answered/);
    } finally {
      await h.close();
    }
  });
});
