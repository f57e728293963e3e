/** Valid edge cases (bounds, every option, every alternative) that zod and OpenAPI must both accept. */
import type { Obj } from './cases.ts';

const rules = '- list: l\n  items: [a]\n';
const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
const time = '2026-01-01T00:00:00Z';

export const VALID_RULESET_SPECS: [string, Obj][] = [
  ['only rules, everything else defaulted', { rules }],
  ['ConfigMap reference with the default key', { configMapRef: { name: 'my-rules' } }],
  ['ConfigMap reference with its own key', { configMapRef: { name: 'my.rules', key: 'custom_rules.yaml' }, loadOrder: 0, enabled: false }],
  ['the highest load order', { rules, loadOrder: 1000 }],
  ['rules text of exactly 1 MiB', { rules: 'a'.repeat(1_048_576) }],
  ['unknown fields are dropped', { rules, colour: 'blue' }],
];

export const VALID_MONITOR_SPECS: [string, Obj][] = [
  ['empty spec: every default', {}],
  ['image by digest from another registry', { image: { repository: 'registry.example.com:5000/sec/falco', digest, pullPolicy: 'Always' } }],
  ['kernel module driver', { driver: { kind: 'kmod' } }],
  ['no driver (plugins only)', { driver: { kind: 'none' }, includeDefaultRules: false }],
  ['least-privileged modern eBPF', { driver: { leastPrivileged: true } }],
  [
    'rule sets by names and by every selector operator',
    {
      ruleSets: {
        names: ['a', 'b-2'],
        selector: {
          matchLabels: { team: 'sec' },
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['prod', 'stage'] },
            { key: 'tier', operator: 'NotIn', values: ['dev'] },
            { key: 'falconer.dev/owner', operator: 'Exists' },
            { key: 'legacy', operator: 'DoesNotExist' },
          ],
        },
      },
    },
  ],
  ['every priority name', { minimumPriority: 'Informational' }],
  [
    'every output',
    {
      outputs: {
        json: false,
        stdout: false,
        file: { path: '/var/log/falco/events.json', keepAlive: true },
        http: { url: 'https://hook.example.com:8443/falco?x=1', userAgent: 'falco', tls: { ca: { secretKeyRef: { name: 'ca', key: 'ca.crt' } } } },
        program: { command: 'jq -c . >> /tmp/alerts', keepAlive: true },
      },
    },
  ],
  ['plain http webhook', { outputs: { http: { url: 'http://falcosidekick:2801' } } }],
  ['webhook that skips verification', { outputs: { http: { url: 'https://h.example.com/', tls: { insecureSkipVerify: true } } } }],
  ['free-form extra config', { extraConfig: { buffered_outputs: true, syscall_event_drops: { actions: ['log', 'alert'], rate: 0.03 }, append_output: [{ match: { source: 'syscall' }, extra_output: 'x' }] } }],
  [
    'scheduling, resources and pod metadata',
    {
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ operator: 'Exists' }, { key: 'dedicated', value: 'sec', effect: 'NoExecute', tolerationSeconds: 60 }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } } },
      resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: 1073741824 } },
      priorityClassName: 'system-node-critical',
      podLabels: { team: 'security' },
      podAnnotations: { 'example.com/note': 'free text, with spaces' },
    },
  ],
  ['percentage maxUnavailable', { updateStrategy: { maxUnavailable: '100%' } }],
  ['integer maxUnavailable', { updateStrategy: { maxUnavailable: 3 } }],
  ['OnDelete updates', { updateStrategy: { type: 'OnDelete' } }],
  ['suspended', { suspend: true }],
];

const condition = { type: 'Ready', status: 'False', reason: 'NotVerified', message: 'Waiting for Falco.', lastTransitionTime: time, observedGeneration: 3 };

export const VALID_STATUSES: [string, 'FalcoRuleSet' | 'FalcoMonitor', Obj][] = [
  [
    'a full rule set status',
    'FalcoRuleSet',
    {
      observedGeneration: 3,
      conditions: [condition, { ...condition, type: 'Valid', status: 'True', reason: 'StaticCheckPassed' }],
      contentHash: digest,
      counts: { rules: 1, macros: 2, lists: 0 },
      ruleNames: ['Shell in Container'],
      ruleNamesTruncated: false,
      errors: [{ code: 'LOAD_ERR_COMPILE_CONDITION', message: 'unexpected token', itemKind: 'rule condition', itemName: 'r', line: 3, column: 14, reportedBy: 'Falco' }],
      warnings: [{ code: 'LOAD_UNUSED_MACRO', message: 'Macro not referred to by any other rule/macro', reportedBy: 'StaticCheck' }],
      verifications: [
        { image: 'falcosecurity/falco:0.44.1', falcoVersion: '0.44.1', contentHash: digest, verified: true, reason: 'VerificationPassed', message: 'Falco accepted the rules.', jobName: 'verify-abc', checkedAt: time },
      ],
    },
  ],
  [
    'a full monitor status',
    'FalcoMonitor',
    {
      observedGeneration: 1,
      conditions: [{ ...condition, reason: 'NodesNotReady' }],
      desiredNodes: 3,
      readyNodes: 2,
      updatedNodes: 3,
      availableNodes: 2,
      falcoVersion: '0.44.1',
      image: 'falcosecurity/falco:0.44.1',
      bundleHash: digest,
      appliedRuleSets: [{ name: 'shell-in-container', contentHash: digest }],
      rejectedRuleSets: [{ name: 'broken', reason: 'VerificationFailed', message: 'Falco rejected the rules.' }],
      appliedRuleSetCount: 1,
      rejectedRuleSetCount: 1,
    },
  ],
];
