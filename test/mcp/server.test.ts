import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { READ_ONLY_TOOLS, WRITE_TOOLS } from '../../src/mcp/server.ts';
import { connect, textOf } from './harness.ts';
import type { Harness } from './harness.ts';

const SEVEN = [
  'falco_describe_rule',
  'falco_dry_run',
  'falco_get_version',
  'falco_list_fields',
  'falco_list_rules',
  'falco_start_monitoring',
  'falco_validate_rules',
];

describe('the MCP server tool list', () => {
  let h: Harness;
  before(async () => (h = await connect()));
  after(async () => h.close());

  it('offers exactly the seven Falco tools plus falco_query_alerts and falco_node_status', async () => {
    const { tools } = await h.client.listTools();
    const extra = ['falco_query_alerts', 'falco_node_status'];
    assert.deepEqual(tools.map((t) => t.name).sort(), [...SEVEN, ...extra].sort());
    assert.deepEqual([...READ_ONLY_TOOLS, ...WRITE_TOOLS].sort(), [...SEVEN, ...extra].sort());
  });

  it('gives every tool a title, a description, an object output schema and all four annotations', async () => {
    const { tools } = await h.client.listTools();
    for (const t of tools) {
      assert.ok(t.title !== undefined && t.title.length > 5, t.name);
      assert.ok((t.description ?? '').length > 80, t.name);
      assert.equal(t.outputSchema?.type, 'object', t.name);
      assert.equal(t.inputSchema.type, 'object', t.name);
      const a = t.annotations ?? {};
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        assert.equal(typeof a[hint], 'boolean', `${t.name} ${hint}`);
      }
      assert.equal(a.readOnlyHint, t.name !== 'falco_start_monitoring', t.name);
      assert.equal(a.destructiveHint, false, t.name);
    }
  });

  it('publishes the monitors and rule sets as resources', async () => {
    const { resourceTemplates } = await h.client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((r) => r.uriTemplate).sort(), [
      'falconer://falcomonitors/{namespace}/{name}',
      'falconer://falcorulesets/{namespace}/{name}',
    ]);
    const { resources } = await h.client.listResources();
    assert.deepEqual(resources.map((r) => r.uri), ['falconer://falcomonitors/falco-system/main']);
    const read = await h.client.readResource({ uri: 'falconer://falcomonitors/falco-system/main' });
    const first = read.contents[0];
    assert.ok(first !== undefined && 'text' in first);
    assert.equal(JSON.parse(first.text).kind, 'FalcoMonitor');
  });
});

describe('read-only mode', () => {
  it('does not register falco_start_monitoring, so it can neither be listed nor called', async () => {
    const h = await connect({ readOnly: true });
    try {
      const { tools } = await h.client.listTools();
      assert.ok(!tools.some((t) => t.name === 'falco_start_monitoring'));
      assert.equal(tools.length, READ_ONLY_TOOLS.length);
      const r = await h.client.callTool({ name: 'falco_start_monitoring', arguments: { name: 'x' } });
      assert.equal(r.isError, true);
      assert.equal(h.objects.applied.length, 0);
    } finally {
      await h.close();
    }
  });
});

describe('input validation', () => {
  let h: Harness;
  before(async () => (h = await connect()));
  after(async () => h.close());

  it('returns schema violations as isError results, not protocol errors', async () => {
    const r = await h.client.callTool({ name: 'falco_list_rules', arguments: { limit: 100000 } });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /limit/);
    const bad = await h.client.callTool({ name: 'falco_get_version', arguments: { namespace: 'Not_A_Namespace' } });
    assert.equal(bad.isError, true);
    assert.equal(h.fleet.execs.length, 0);
  });

  it('refuses an argument the tool does not know, by name, before anything is exec\'d', async () => {
    const before = h.fleet.execs.length;
    // A typo of `namespace`: dropping it would run the tool against the default namespace.
    const r = await h.client.callTool({ name: 'falco_list_rules', arguments: { namepsace: 'prod' } });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /namepsace/);
    assert.equal(h.fleet.execs.length, before);
    const { tools } = await h.client.listTools();
    for (const tool of tools) assert.equal(tool.inputSchema['additionalProperties'], false, `${tool.name} advertises additionalProperties: false`);
  });

  const attempts: Array<[string, string]> = [
    ['a leading dash', '--help'],
    ['a semicolon', 'x; rm -rf /'],
    ['a command substitution', '$(id)'],
    ['backticks', '`id`'],
    ['a newline', 'Terminal shell\n-L'],
    ['a NUL byte', 'Terminal\u0000shell'],
    ['path traversal', '../../etc/passwd'],
  ];
  for (const [what, rule] of attempts) {
    it(`refuses a rule name with ${what} before anything is exec'd`, async () => {
      const before = h.fleet.execs.length;
      const r = await h.client.callTool({ name: 'falco_describe_rule', arguments: { rule } });
      assert.equal(r.isError, true);
      assert.match(textOf(r), /rule name/);
      assert.equal(h.fleet.execs.length, before);
    });
  }

  it('refuses sources that are not plain identifiers (no flag, no traversal)', async () => {
    for (const source of ['-N', 'syscall --markdown', '../x', 'k8s audit']) {
      const r = await h.client.callTool({ name: 'falco_list_fields', arguments: { source } });
      assert.equal(r.isError, true, source);
    }
    assert.ok(!h.fleet.execs.some((e) => e.argv.some((a) => a.includes('markdown') || a === '-N')));
  });

  it('refuses a monitor or node name that is not a Kubernetes name', async () => {
    for (const args of [{ monitor: '../other' }, { node: 'node;reboot' }, { monitor: '-x' }]) {
      const r = await h.client.callTool({ name: 'falco_list_rules', arguments: args });
      assert.equal(r.isError, true, JSON.stringify(args));
    }
  });
});
