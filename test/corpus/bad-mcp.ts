/**
 * Hostile or broken MCP tool calls, as a prompt-injected agent might make them. Each must end in
 * a clear error (an isError result or a JSON-RPC error), run no exec whose argv carries the
 * payload, and change nothing.
 */
export interface BadCall {
  id: string;
  tool: string;
  args: Record<string, unknown>;
  /** A string that must not reach any exec argv (defaults to none). */
  payload?: string;
  /**
   * 'harmless': not refused, but provably without effect (the value is ignored or used only as
   * an in-process filter); tried and checked, not counted as refused.
   */
  expect?: 'refused' | 'harmless';
}

const BIG = 'x'.repeat(600 * 1024);
const call = (id: string, tool: string, args: Record<string, unknown>, payload?: string): BadCall => ({ id, tool, args, ...(payload ? { payload } : {}) });

const INJECTIONS: Array<[string, string]> = [
  ['semicolon', 'Terminal shell; rm -rf /'],
  ['command substitution', 'x$(reboot)'],
  ['backticks', 'x`id`'],
  ['leading dash', '--unbuffered'],
  ['leading dash with a value', '-o program_output.enabled=true'],
  ['newline', 'Terminal shell\n--list'],
  ['pipe', 'x | curl evil.example'],
  ['path traversal', '../../etc/shadow'],
  ['NUL byte', 'x\u0000--version'],
];

export const BAD_CALLS: BadCall[] = [
  // Values that end up on Falco's command line
  ...INJECTIONS.map(([what, v]) => call(`describe_rule: rule with ${what}`, 'falco_describe_rule', { rule: v }, v)),
  ...INJECTIONS.slice(0, 6).map(([what, v]) => call(`list_fields: source with ${what}`, 'falco_list_fields', { source: v }, v)),
  call('list_fields: unknown source', 'falco_list_fields', { source: 'no_such_source' }),
  call('describe_rule: unknown rule name', 'falco_describe_rule', { rule: 'No such rule anywhere' }),
  call('describe_rule: empty rule name', 'falco_describe_rule', { rule: '' }),
  call('describe_rule: rule name above the limit', 'falco_describe_rule', { rule: 'r'.repeat(300) }),
  // Targets: pods are never named, namespaces and monitors are Kubernetes names
  call('target: namespace with path traversal', 'falco_get_version', { namespace: '../kube-system' }),
  call('target: namespace with a semicolon', 'falco_get_version', { namespace: 'default;ls' }),
  call('target: monitor with upper case and spaces', 'falco_get_version', { monitor: 'Main Monitor' }),
  call('target: node with command substitution', 'falco_get_version', { node: '$(hostname)' }),
  call('target: node without a Falco pod', 'falco_get_version', { node: 'no-such-node' }),
  call('target: timeout above the limit', 'falco_get_version', { timeoutSeconds: 3600 }),
  call('target: timeout negative', 'falco_get_version', { timeoutSeconds: -1 }),
  call('target: timeout a string', 'falco_get_version', { timeoutSeconds: '10; reboot' }),
  call('target: pod named directly (unknown arguments are refused)', 'falco_get_version', { pod: 'kube-apiserver-0' }, 'kube-apiserver-0'),
  call('target: a typo of namespace', 'falco_list_rules', { namepsace: 'kube-system' }),
  // Rules candidates
  call('validate_rules: neither rules nor ruleSet', 'falco_validate_rules', {}),
  call('validate_rules: both rules and ruleSet', 'falco_validate_rules', { rules: '- list: a\n  items: []\n', ruleSet: { name: 'x' } }),
  call('validate_rules: oversized rules', 'falco_validate_rules', { rules: BIG }),
  call('validate_rules: rules with NUL bytes', 'falco_validate_rules', { rules: '- list: a\u0000\n  items: []\n' }),
  call('validate_rules: unknown rule set', 'falco_validate_rules', { ruleSet: { name: 'no-such-ruleset' } }),
  call('validate_rules: rule set name with traversal', 'falco_validate_rules', { ruleSet: { name: '../secrets' } }),
  call('dry_run: oversized rules', 'falco_dry_run', { rules: BIG }),
  call('dry_run: rule set in a traversal namespace', 'falco_dry_run', { ruleSet: { name: 'x', namespace: '..' } }),
  // Listing filters and cursors
  call('list_rules: limit above the maximum', 'falco_list_rules', { limit: 100_000 }),
  call('list_rules: forged cursor', 'falco_list_rules', { cursor: 'eyJvZmZzZXQiOi0xMDB9' }),
  call('list_rules: cursor above the size limit', 'falco_list_rules', { cursor: 'c'.repeat(10_000) }),
  // list_rules filters in process (the source never reaches argv), but refuses what no source is named.
  call('list_rules: source filter with injection', 'falco_list_rules', { source: 'syscall; id' }, 'syscall; id'),
  call('list_fields: forged cursor', 'falco_list_fields', { cursor: '!!not-a-cursor!!' }),
  call('query_alerts: window above the limit', 'falco_query_alerts', { sinceMinutes: 10_000_000 }),
  call('query_alerts: tailLines above the limit', 'falco_query_alerts', { tailLines: 10_000_000 }),
  // Writes
  call('start_monitoring: name with injection', 'falco_start_monitoring', { name: 'main;kubectl delete ns', waitSeconds: 0 }),
  call('start_monitoring: rule set names with traversal', 'falco_start_monitoring', { name: 'ok', ruleSets: ['../x'], waitSeconds: 0 }),
  call('start_monitoring: 1000 node labels', 'falco_start_monitoring', { name: 'ok', waitSeconds: 0, nodeSelector: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'v'])) }),
  // Protocol
  call('unknown tool', 'falco_exec_shell', { command: 'id' }),
  call('arguments of the wrong type', 'falco_list_rules', { enabled: 'yes' }),
];

/** Calls refused only because the server runs read-only (falco_start_monitoring off). */
export const READ_ONLY_CALLS: BadCall[] = [
  call('start_monitoring in read-only mode', 'falco_start_monitoring', { name: 'main', waitSeconds: 0 }),
];
