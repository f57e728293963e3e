/**
 * Invalid objects, one or more per validation rule of the two CRDs (CEL rules, enums, bounds,
 * patterns, required fields). Each names the field the rejection must mention. The unit tests
 * check zod rejects each one at that field; the integration tests check the API server does.
 */
import { API_GROUP_VERSION, MONITOR_KIND, RULESET_KIND } from '../../../src/api/names.ts';
import { OPERATOR_OWNED_FALCO_KEYS, OPERATOR_OWNED_FALCO_KEY_NAMES } from '../../../src/api/falco-config.ts';

export type Obj = Record<string, unknown>;

export interface InvalidCase {
  name: string;
  kind: 'FalcoRuleSet' | 'FalcoMonitor';
  /** Spec of the object (merged into a minimal valid object). */
  spec?: Obj;
  metadataName?: string;
  /** The field path the rejection must name, e.g. `spec.image.tag`. */
  field: string;
  /** Enforced only by CEL (zod mirrors it; the in-process OpenAPI model cannot). */
  cel: boolean;
}

export const baseRuleSet = (name = 'rs', spec: Obj = { rules: '- list: l\n  items: [a]\n' }): Obj => ({
  apiVersion: API_GROUP_VERSION,
  kind: RULESET_KIND,
  metadata: { name },
  spec,
});

export const baseMonitor = (name = 'mon', spec: Obj = {}): Obj => ({
  apiVersion: API_GROUP_VERSION,
  kind: MONITOR_KIND,
  metadata: { name },
  spec,
});

export function objectOf(c: InvalidCase): Obj {
  const name = c.metadataName ?? `invalid-${c.kind === RULESET_KIND ? 'rs' : 'mon'}`;
  return c.kind === RULESET_KIND ? baseRuleSet(name, c.spec ?? { rules: '- list: l\n  items: [a]\n' }) : baseMonitor(name, c.spec ?? {});
}

const rs = (name: string, spec: Obj, field: string, cel = false): InvalidCase => ({ name, kind: RULESET_KIND, spec, field, cel });
const mon = (name: string, spec: Obj, field: string, cel = false): InvalidCase => ({ name, kind: MONITOR_KIND, spec, field, cel });
const rules = '- list: l\n  items: [a]\n';
const https = 'https://hook.example.com/';

const ownedKeyValues: Record<string, unknown> = { array: ['/etc/falco/x.yaml'], boolean: true, string: 'debug', object: { enabled: true }, objects: [{ name: 'container', library_path: 'libcontainer.so' }] };

export const INVALID_CASES: InvalidCase[] = [
  // FalcoRuleSet
  { name: 'rule set name longer than 63 characters', kind: RULESET_KIND, metadataName: 'a'.repeat(64), field: 'metadata.name', cel: false },
  rs('both rules and configMapRef', { rules, configMapRef: { name: 'cm' } }, 'spec', true),
  rs('neither rules nor configMapRef', { loadOrder: 1 }, 'spec', true),
  rs('empty rules text', { rules: '' }, 'spec.rules'),
  rs('rules text over 1 MiB of characters', { rules: 'a'.repeat(1_048_577) }, 'spec.rules'),
  rs('rules text over 1 MiB of UTF-8 bytes', { rules: 'é'.repeat(600_000) }, 'spec.rules', true),
  rs('configMapRef without name', { configMapRef: { key: 'rules.yaml' } }, 'spec.configMapRef.name'),
  rs('configMapRef name not a DNS name', { configMapRef: { name: 'Bad_Name' } }, 'spec.configMapRef.name'),
  rs('configMapRef key with a slash', { configMapRef: { name: 'cm', key: 'a/b' } }, 'spec.configMapRef.key'),
  rs('loadOrder below 0', { rules, loadOrder: -1 }, 'spec.loadOrder'),
  rs('loadOrder above 1000', { rules, loadOrder: 1001 }, 'spec.loadOrder'),
  rs('loadOrder not an integer', { rules, loadOrder: 1.5 }, 'spec.loadOrder'),
  rs('enabled not a boolean', { rules, enabled: 'yes' }, 'spec.enabled'),
  // FalcoMonitor: identity and image
  { name: 'monitor name with upper case', kind: MONITOR_KIND, metadataName: 'Falco', field: 'metadata.name', cel: false },
  mon('image with both tag and digest', { image: { tag: '0.44.1', digest: `sha256:${'a'.repeat(64)}` } }, 'spec.image', true),
  mon('image with neither tag nor digest', { image: { repository: 'example.com/falco' } }, 'spec.image', true),
  mon('image tag latest', { image: { tag: 'latest' } }, 'spec.image.tag', true),
  mon('image tag with a colon', { image: { tag: 'a:b' } }, 'spec.image.tag'),
  mon('image repository with a tag', { image: { repository: 'falcosecurity/falco:0.44.1', tag: '0.44.1' } }, 'spec.image.repository'),
  mon('image digest not sha256', { image: { digest: 'md5:abc' } }, 'spec.image.digest'),
  mon('unknown pull policy', { image: { tag: '0.44.1', pullPolicy: 'Sometimes' } }, 'spec.image.pullPolicy'),
  mon('unknown driver', { driver: { kind: 'ebpf' } }, 'spec.driver.kind'),
  mon('least privileged with kmod', { driver: { kind: 'kmod', leastPrivileged: true } }, 'spec.driver.leastPrivileged', true),
  mon('kmod with a digest-pinned image and no loader image', { image: { digest: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, driver: { kind: 'kmod' } }, 'spec.driver.loaderImage', true),
  mon('a loader image without kmod', { driver: { kind: 'modern_ebpf', loaderImage: { repository: 'falcosecurity/falco-driver-loader', tag: '0.44.1' } } }, 'spec.driver.loaderImage', true),
  mon('a loader image tagged latest', { driver: { kind: 'kmod', loaderImage: { repository: 'falcosecurity/falco-driver-loader', tag: 'latest' } } }, 'spec.driver.loaderImage.tag', true),
  mon('the container plugin listed among plugins', { plugins: [{ name: 'container' }] }, 'spec.plugins[0].name', true),
  mon('a plugin library outside the plugin folder by traversal', { plugins: [{ name: 'k8saudit', libraryPath: '/usr/share/falco/../../tmp/libx.so' }] }, 'spec.plugins[0].libraryPath', true),
  mon('an unknown container runtime', { containerPlugin: { runtimes: ['rkt'] } }, 'spec.containerPlugin.runtimes[0]'),
  // rule set selection
  mon('rule set name not a DNS label', { ruleSets: { names: ['Not_Valid'] } }, 'spec.ruleSets.names'),
  mon('duplicate rule set names', { ruleSets: { names: ['a', 'a'] } }, 'spec.ruleSets.names'),
  mon('too many rule set names', { ruleSets: { names: Array.from({ length: 65 }, (_, i) => `rs-${i}`) } }, 'spec.ruleSets.names'),
  mon('unknown selector operator', { ruleSets: { selector: { matchExpressions: [{ key: 'a', operator: 'Like' }] } } }, 'spec.ruleSets.selector.matchExpressions[0].operator'),
  mon('In without values', { ruleSets: { selector: { matchExpressions: [{ key: 'a', operator: 'In' }] } } }, 'spec.ruleSets.selector.matchExpressions[0].values', true),
  mon('Exists with values', { ruleSets: { selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } } }, 'spec.ruleSets.selector.matchExpressions[0].values', true),
  mon('invalid matchLabels value', { ruleSets: { selector: { matchLabels: { team: 'not valid!' } } } }, 'spec.ruleSets.selector.matchLabels.team'),
  mon('label key too long', { nodeSelector: { ['k'.repeat(318)]: 'v' } }, 'spec.nodeSelector', true),
  mon('too many node selector labels', { nodeSelector: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])) }, 'spec.nodeSelector'),
  mon('includeDefaultRules not a boolean', { includeDefaultRules: 'no' }, 'spec.includeDefaultRules'),
  mon('unknown minimum priority', { minimumPriority: 'Info' }, 'spec.minimumPriority'),
  // outputs
  mon('no output enabled', { outputs: { stdout: false } }, 'spec.outputs', true),
  mon('relative output file path', { outputs: { file: { path: 'events.txt' } } }, 'spec.outputs.file.path'),
  mon('webhook URL not a URL', { outputs: { http: { url: 'not a url' } } }, 'spec.outputs.http.url', true),
  mon('webhook URL with ftp scheme', { outputs: { http: { url: 'ftp://example.com/x' } } }, 'spec.outputs.http.url', true),
  mon('webhook TLS with an http URL', { outputs: { http: { url: 'http://hook.example.com/', tls: { insecureSkipVerify: true } } } }, 'spec.outputs.http.tls', true),
  mon('webhook CA from both a ConfigMap and a Secret', { outputs: { http: { url: https, tls: { ca: { configMapKeyRef: { name: 'a', key: 'ca.crt' }, secretKeyRef: { name: 'b', key: 'ca.crt' } } } } } }, 'spec.outputs.http.tls.ca', true),
  mon('webhook CA and insecureSkipVerify', { outputs: { http: { url: https, tls: { insecureSkipVerify: true, ca: { secretKeyRef: { name: 'b', key: 'ca.crt' } } } } } }, 'spec.outputs.http.tls.ca', true),
  mon('webhook URL too long', { outputs: { http: { url: `${https}${'a'.repeat(2048)}` } } }, 'spec.outputs.http.url'),
  mon('empty program command', { outputs: { program: { command: '' } } }, 'spec.outputs.program.command'),
  // extraConfig
  ...OPERATOR_OWNED_FALCO_KEY_NAMES.map((key) =>
    mon(`extraConfig sets owned key ${key}`, { extraConfig: { [key]: ownedKeyValues[OPERATOR_OWNED_FALCO_KEYS[key].type] } }, `spec.extraConfig.${key}`, true),
  ),
  mon('extraConfig with too many keys', { extraConfig: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`key_${i}`, i])) }, 'spec.extraConfig'),
  // pod settings
  mon('toleration Exists with a value', { tolerations: [{ operator: 'Exists', value: 'x' }] }, 'spec.tolerations[0].value', true),
  mon('tolerationSeconds without NoExecute', { tolerations: [{ key: 'a', value: 'b', effect: 'NoSchedule', tolerationSeconds: 5 }] }, 'spec.tolerations[0].tolerationSeconds', true),
  mon('unknown toleration operator', { tolerations: [{ operator: 'Matches' }] }, 'spec.tolerations[0].operator'),
  mon('unknown taint effect', { tolerations: [{ operator: 'Exists', effect: 'NoRun' }] }, 'spec.tolerations[0].effect'),
  mon('invalid resource quantity', { resources: { limits: { memory: '1 GB' } } }, 'spec.resources.limits.memory'),
  mon('negative resource quantity', { resources: { requests: { cpu: -1 } } }, 'spec.resources.requests.cpu'),
  mon('too many resource names', { resources: { limits: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`r${i}`, 1])) } }, 'spec.resources.limits'),
  mon('priority class not a DNS name', { priorityClassName: 'Critical Class' }, 'spec.priorityClassName'),
  mon('unknown update strategy', { updateStrategy: { type: 'Recreate' } }, 'spec.updateStrategy.type'),
  mon('maxUnavailable with OnDelete', { updateStrategy: { type: 'OnDelete', maxUnavailable: 1 } }, 'spec.updateStrategy.maxUnavailable', true),
  mon('maxUnavailable zero', { updateStrategy: { maxUnavailable: 0 } }, 'spec.updateStrategy.maxUnavailable'),
  mon('maxUnavailable over 100%', { updateStrategy: { maxUnavailable: '150%' } }, 'spec.updateStrategy.maxUnavailable'),
  mon('pod label that selects Falco pods', { podLabels: { 'falconer.dev/monitor': 'other' } }, 'spec.podLabels', true),
  mon('pod label value with spaces', { podLabels: { team: 'a b' } }, 'spec.podLabels.team'),
  mon('too many pod annotations', { podAnnotations: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`a${i}`, 'v'])) }, 'spec.podAnnotations'),
  mon('suspend not a boolean', { suspend: 'true' }, 'spec.suspend'),
];

/** Status updates the status subresource must refuse (status is not validated on create). */
export interface InvalidStatusCase {
  name: string;
  kind: 'FalcoRuleSet' | 'FalcoMonitor';
  status: Obj;
  field: string;
}

const condition = (over: Obj = {}): Obj => ({
  type: 'Ready',
  status: 'True',
  reason: 'RuleSetReady',
  message: 'Ready.',
  lastTransitionTime: '2026-01-01T00:00:00Z',
  ...over,
});

export const INVALID_STATUS_CASES: InvalidStatusCase[] = [
  { name: 'condition status not True/False/Unknown', kind: RULESET_KIND, status: { conditions: [condition({ status: 'Yes' })] }, field: 'status.conditions[0].status' },
  { name: 'condition reason not PascalCase', kind: RULESET_KIND, status: { conditions: [condition({ reason: 'not ok' })] }, field: 'status.conditions[0].reason' },
  { name: 'two conditions of one type', kind: MONITOR_KIND, status: { conditions: [condition(), condition()] }, field: 'status.conditions' },
  { name: 'condition without lastTransitionTime', kind: MONITOR_KIND, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'AllNodesReady', message: '' }] }, field: 'status.conditions[0].lastTransitionTime' },
  { name: 'content hash not sha256', kind: RULESET_KIND, status: { contentHash: 'abc' }, field: 'status.contentHash' },
  { name: 'too many rule names', kind: RULESET_KIND, status: { ruleNames: Array.from({ length: 257 }, (_, i) => `r${i}`) }, field: 'status.ruleNames' },
  { name: 'error code not a Falco code', kind: RULESET_KIND, status: { errors: [{ code: 'BAD', message: 'x', reportedBy: 'Falco' }] }, field: 'status.errors[0].code' },
  { name: 'error line 0', kind: RULESET_KIND, status: { errors: [{ code: 'LOAD_ERR_YAML_PARSE', message: 'x', line: 0, reportedBy: 'Falco' }] }, field: 'status.errors[0].line' },
  { name: 'verification without checkedAt', kind: RULESET_KIND, status: { verifications: [{ image: 'falco:1', verified: true, reason: 'VerificationPassed', message: 'ok' }] }, field: 'status.verifications[0].checkedAt' },
  { name: 'negative node count', kind: MONITOR_KIND, status: { readyNodes: -1 }, field: 'status.readyNodes' },
  { name: 'rejected rule set without reason', kind: MONITOR_KIND, status: { rejectedRuleSets: [{ name: 'a', message: 'x' }] }, field: 'status.rejectedRuleSets[0].reason' },
];
