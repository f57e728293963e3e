import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { buildBundle, bundleConfigMapName, bundleFromConfigMap, desiredBundleConfigMap } from '../../src/operator/builders/bundle.ts';
import { desiredDaemonSet } from '../../src/operator/builders/daemonset.ts';
import { renderFalcoConfig } from '../../src/operator/builders/falco-config.ts';
import { childName, contentHash } from '../../src/operator/builders/hash.ts';
import { desiredServiceAccount } from '../../src/operator/builders/service-account.ts';
import { desiredVerificationConfigMap, desiredVerificationJob, verificationName } from '../../src/operator/builders/verification-job.ts';
import { NS, makeMonitor, rulesText } from './support/fixtures.ts';

const content = (name: string, text = rulesText(name)) => ({ name, content: text, contentHash: contentHash(text) });
const bundle = buildBundle([content('base'), content('extra')], true);

test('a bundle lists its rule sets in load order and is addressed by its content', () => {
  assert.deepEqual(bundle.files.map((f) => f.key), ['000-base.yaml', '001-extra.yaml']);
  assert.equal(buildBundle([content('base'), content('extra')], true).hash, bundle.hash, 'same input, same hash');
  assert.notEqual(buildBundle([content('extra'), content('base')], true).hash, bundle.hash, 'order matters');
  assert.notEqual(buildBundle([content('base'), content('extra')], false).hash, bundle.hash, 'default rules matter');
});

test('the bundle ConfigMap is immutable, content-addressed and rebuilds into the same bundle', () => {
  const cm = desiredBundleConfigMap('fleet', NS, bundle);
  assert.equal(cm.immutable, true);
  assert.equal(cm.metadata?.name, bundleConfigMapName('fleet', bundle.hash));
  assert.match(cm.metadata?.name ?? '', /^fleet-rules-[0-9a-f]{10}$/);
  assert.deepEqual(bundleFromConfigMap(cm), bundle);
  assert.equal(bundleFromConfigMap({ ...cm, data: { '000-base.yaml': 'tampered' } }), undefined);
});

test('falco.yaml puts Falconer-owned keys over extraConfig and loads the bundle directory after the defaults', () => {
  const monitor = makeMonitor('fleet', { extraConfig: { buffered_outputs: true, output_timeout: 3000 }, minimumPriority: 'Warning' });
  const config = parse(renderFalcoConfig(monitor.spec)) as Record<string, unknown>;
  assert.deepEqual(config['rules_files'], ['/etc/falco/falco_rules.yaml', '/etc/falconer/rules']);
  assert.equal(config['buffered_outputs'], true);
  assert.equal(config['priority'], 'warning');
  assert.equal(config['json_output'], true);
  assert.equal(config['watch_config_files'], false);
  assert.deepEqual(config['engine'], { kind: 'modern_ebpf' });
  assert.deepEqual(config['webserver'], { enabled: true, listen_port: 8765, k8s_healthz_endpoint: '/healthz', prometheus_metrics_enabled: true });
});

test("falco.yaml turns on Falco's metrics the status depends on; the extras follow spec.metrics", () => {
  const metricsOf = (spec: Record<string, unknown>): Record<string, unknown> =>
    (parse(renderFalcoConfig(makeMonitor('fleet', spec).spec)) as { metrics: Record<string, unknown> }).metrics;
  const defaults = metricsOf({});
  assert.equal(defaults['enabled'], true);
  assert.equal(defaults['rules_counters_enabled'], true);
  assert.equal(defaults['kernel_event_counters_enabled'], true);
  assert.equal(defaults['output_rule'], false, 'no metrics alert every interval in the alert stream');
  assert.equal(defaults['resource_utilization_enabled'], true);
  assert.equal(defaults['state_counters_enabled'], false);
  const lean = metricsOf({ metrics: { resourceUtilization: false, pluginMetrics: false } });
  assert.equal(lean['resource_utilization_enabled'], false);
  assert.equal(lean['plugins_metrics_enabled'], false);
  assert.equal(lean['kernel_event_counters_enabled'], true, 'drops are always counted');
});


test('falco.yaml maps the none driver to nodriver and omits the defaults when asked', () => {
  const monitor = makeMonitor('fleet', { driver: { kind: 'none' }, includeDefaultRules: false });
  const config = parse(renderFalcoConfig(monitor.spec)) as Record<string, unknown>;
  assert.deepEqual(config['engine'], { kind: 'nodriver' });
  assert.deepEqual(config['rules_files'], ['/etc/falconer/rules']);
});

const dsInput = (spec: Record<string, unknown> = {}) => ({
  monitor: 'fleet',
  namespace: NS,
  spec: makeMonitor('fleet', spec).spec,
  bundleHash: bundle.hash,
  bundleConfigMap: bundleConfigMapName('fleet', bundle.hash),
  configConfigMap: 'fleet-config',
  configHash: 'sha256:abc',
  serviceAccount: 'fleet-falco',
});

test('the DaemonSet carries Falconer labels plus podLabels, never the CR labels, and rolls on bundle change', () => {
  const ds = desiredDaemonSet(dsInput({ podLabels: { team: 'a' } }));
  const podLabels = ds.spec?.template.metadata?.labels ?? {};
  assert.equal(podLabels['team'], 'a');
  assert.equal(podLabels['app.kubernetes.io/component'], 'falco');
  assert.equal(podLabels['argocd.argoproj.io/instance'], undefined);
  assert.equal(ds.metadata?.labels?.['argocd.argoproj.io/instance'], undefined);
  assert.equal(ds.metadata?.annotations, undefined);
  assert.equal(ds.spec?.template.metadata?.annotations?.['falconer.dev/bundle-hash'], bundle.hash);
  const container = ds.spec?.template.spec?.containers[0];
  assert.equal(container?.name, 'falco');
  assert.equal(container?.image, 'falcosecurity/falco:0.44.1');
  assert.equal(container?.readinessProbe?.httpGet?.port, 8765);
  assert.equal(container?.readinessProbe?.httpGet?.path, '/healthz');
  assert.deepEqual(ds.spec?.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
});

test('the driver decides privileges and host mounts', () => {
  const ebpf = desiredDaemonSet(dsInput()).spec?.template.spec;
  assert.equal(ebpf?.containers[0]?.securityContext?.privileged, true);
  assert.ok(ebpf?.volumes?.some((v) => v.hostPath?.path === '/proc'));
  assert.equal(ebpf?.initContainers?.length, 0);

  const least = desiredDaemonSet(dsInput({ driver: { kind: 'modern_ebpf', leastPrivileged: true } })).spec?.template.spec?.containers[0];
  assert.equal(least?.securityContext?.privileged, false);
  assert.deepEqual(least?.securityContext?.capabilities?.add, ['BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE']);

  const kmod = desiredDaemonSet(dsInput({ driver: { kind: 'kmod' } })).spec?.template.spec;
  assert.ok(kmod?.volumes?.some((v) => v.hostPath?.path === '/lib/modules'));
  assert.equal(kmod?.initContainers?.[0]?.name, 'falco-driver-loader');

  const none = desiredDaemonSet(dsInput({ driver: { kind: 'none' } })).spec?.template.spec;
  assert.equal(none?.volumes?.some((v) => v.hostPath !== undefined), false);
  assert.deepEqual(none?.containers[0]?.securityContext?.capabilities?.drop, ['ALL']);
});

test('the Falco ServiceAccount has no token mounted', () => {
  assert.equal(desiredServiceAccount('fleet', NS).automountServiceAccountToken, false);
});

test('the verification Job runs the monitor image once, bounded in time, on the whole candidate', () => {
  const input = {
    monitor: 'fleet', namespace: NS, image: 'falcosecurity/falco:0.44.1', imagePullPolicy: 'IfNotPresent', candidate: bundle,
    members: [], falcoConfig: 'priority: debug\n', activeDeadlineSeconds: 120, ttlSecondsAfterFinished: 600,
  };
  const job = desiredVerificationJob(input);
  assert.equal(job.metadata?.name, verificationName('fleet', bundle.hash, input.image, input.falcoConfig));
  assert.equal(job.spec?.backoffLimit, 0);
  assert.equal(job.spec?.activeDeadlineSeconds, 120);
  assert.equal(job.spec?.ttlSecondsAfterFinished, 600);
  const pod = job.spec?.template;
  assert.equal(pod?.metadata?.labels?.['app.kubernetes.io/component'], 'verification');
  assert.equal(pod?.metadata?.labels?.['app.kubernetes.io/managed-by'], 'falconer');
  const c = pod?.spec?.containers[0];
  assert.equal(c?.name, 'verify');
  assert.equal(c?.image, input.image);
  assert.deepEqual(c?.args, [
    '-c', '/etc/falconer/verify/falco.yaml',
    '-V', '/etc/falco/falco_rules.yaml', '-V', '/etc/falconer/verify/000-base.yaml', '-V', '/etc/falconer/verify/001-extra.yaml',
    '-o', 'json_output=true',
  ]);
  assert.deepEqual(Object.keys(desiredVerificationConfigMap(input).data ?? {}), ['falco.yaml', '000-base.yaml', '001-extra.yaml']);
  assert.notEqual(verificationName('fleet', bundle.hash, 'falcosecurity/falco:0.43.0', input.falcoConfig), job.metadata?.name, 'another image is another Job');
  assert.notEqual(verificationName('fleet', bundle.hash, input.image, 'priority: notice\n'), job.metadata?.name, 'another falco.yaml is another Job');
});

test('child names stay within 63 characters and distinct for long monitor names', () => {
  const a = childName('a'.repeat(60) + 'x', 'verify-0123456789-abcdef');
  const b = childName('a'.repeat(60) + 'y', 'verify-0123456789-abcdef');
  assert.ok(a.length <= 63 && b.length <= 63);
  assert.notEqual(a, b);
});

test('Falco pods carry Prometheus scrape annotations for the webserver port unless turned off', () => {
  const annotations = (spec: Record<string, unknown>): Record<string, string> => desiredDaemonSet(dsInput(spec)).spec?.template.metadata?.annotations ?? {};
  assert.deepEqual(
    Object.entries(annotations({})).filter(([k]) => k.startsWith('prometheus.io/')),
    [['prometheus.io/scrape', 'true'], ['prometheus.io/port', '8765'], ['prometheus.io/path', '/metrics']],
  );
  assert.equal(annotations({ metrics: { scrapeAnnotations: false } })['prometheus.io/scrape'], undefined);
});
