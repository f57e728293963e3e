/**
 * What the operator renders must start the real Falco. Each case renders the DaemonSet, its two
 * ConfigMaps and the verification Job through the product's builders, lays the mounted files out
 * where the pod would see them, and runs the container's exact command and args with the real
 * Falco of the image's version (../shared/falco*, through test/support/local-pod.ts): the
 * DaemonSet's container with `--dry-run` appended (everything but opening the kernel driver), the
 * Job's container as it is. No kubelet and no kernel driver here: the real node's tests run them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { falcoReport } from '../../src/operator/loaded/falco-report.ts';
import type { FalcoReport } from '../../src/operator/loaded/falco-report.ts';
import { differences, intendedLoad } from '../../src/operator/loaded/intended.ts';
import { parsePrometheusText } from '../../src/operator/loaded/prometheus-text.ts';
import { eventually } from '../support/eventually.ts';
import { FALCO_VERSIONS, falcoRootfs, realFalcoSkipReason } from '../support/falco-rootfs.ts';
import { runContainerLocally } from '../support/local-pod.ts';
import type { LocalRunResult } from '../support/local-pod.ts';
import { renderMonitor } from '../support/rendered-monitor.ts';
import type { RenderedMonitor, RuleSetText } from '../support/rendered-monitor.ts';

const skip = realFalcoSkipReason();

const SHELL_RULE: RuleSetText = {
  name: 'shell',
  content: `- rule: Falconer bundle-only shell rule
  desc: a shell in a container, from a FalcoRuleSet
  condition: evt.type = execve and proc.name = bash and container.id != host
  output: "shell %proc.cmdline (container=%container.name)"
  priority: WARNING
`,
};

const BROKEN_RULE: RuleSetText = {
  name: 'broken',
  content: `- rule: Broken condition
  desc: the condition ends in the middle
  condition: evt.type = execve and
  output: "x"
  priority: WARNING
`,
};

const HOST_RULE: RuleSetText = {
  name: 'host',
  content: `- rule: Falconer host-only rule
  desc: needs no plugin fields
  condition: evt.type = openat and fd.name = /etc/falconer-canary
  output: "canary opened by %proc.cmdline"
  priority: NOTICE
`,
};

/** A CA the webhook output is told to trust, as a user's ConfigMap would hold it. */
function caConfigMap(): V1ConfigMap {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-ca-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'ca.pem')], { stdio: 'ignore' });
    return { metadata: { name: 'ca' }, data: { 'ca.crt': readFileSync(join(dir, 'ca.pem'), 'utf8') } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function dryRunDaemonSet(m: RenderedMonitor): Promise<LocalRunResult> {
  return runContainerLocally({
    rootfs: falcoRootfs(m.falcoVersion),
    pod: m.daemonSet.spec?.template.spec ?? { containers: [] },
    container: 'falco',
    configMaps: [...m.podConfigMaps, caConfigMap()],
    extraArgs: ['--dry-run'],
    fieldRefs: { 'spec.nodeName': 'node-1' },
  });
}

async function runJob(m: RenderedMonitor): Promise<LocalRunResult> {
  return runContainerLocally({
    rootfs: falcoRootfs(m.falcoVersion),
    pod: m.job.spec?.template.spec ?? { containers: [] },
    container: 'verify',
    configMaps: [m.jobConfigMap],
  });
}

function assertStarted(run: LocalRunResult, m: RenderedMonitor, what: string): void {
  const context = `${what} (${run.argv.join(' ')}):\n${run.stderr.slice(-1500)}`;
  assert.equal(run.code, 0, `exits 0: ${context}`);
  assert.match(run.stderr, new RegExp(`Falco version: ${m.falcoVersion.replaceAll('.', '\\.')}`), context);
  assert.match(run.stderr, /\/etc\/falconer\/(config|verify)\/falco\.yaml \| schema validation: ok/, `our falco.yaml passes Falco's schema: ${context}`);
}

/** Realistic monitors: each driver kind, outputs, extraConfig, plugin settings, least privilege. */
const SPECS: Array<{ name: string; spec: Record<string, unknown>; ruleSets?: RuleSetText[] }> = [
  { name: 'the minimal example (modern_ebpf, defaults)', spec: { ruleSets: { selector: {} } } },
  { name: 'modern_ebpf least privileged, warnings and up', spec: { driver: { kind: 'modern_ebpf', leastPrivileged: true }, minimumPriority: 'Warning' } },
  { name: 'kmod', spec: { driver: { kind: 'kmod' } } },
  { name: 'no driver, no default rules', spec: { driver: { kind: 'none' }, includeDefaultRules: false } },
  {
    name: 'every output, no suggested fields, text alerts',
    spec: {
      outputs: {
        json: false,
        suggestedFields: false,
        file: { path: '/tmp/falco-events.txt', keepAlive: true },
        program: { command: 'cat > /dev/null' },
        http: { url: 'https://alerts.example.test/falco', userAgent: 'falconer-test', tls: { ca: { configMapKeyRef: { name: 'ca', key: 'ca.crt' } } } },
      },
    },
  },
  {
    name: 'extraConfig and every container runtime',
    spec: {
      extraConfig: {
        buffered_outputs: true,
        output_timeout: 3000,
        time_format_iso_8601: false,
        append_output: [{ match: { source: 'syscall' }, extra_output: 'on %container.name' }],
      },
      containerPlugin: { runtimes: ['containerd', 'crio', 'k3s', 'host-containerd', 'docker', 'podman'], hooks: ['create', 'start'], labelMaxLen: 50 },
    },
  },
  {
    name: 'the container plugin turned off, no default rules, a rule without container fields',
    spec: { containerPlugin: { enabled: false }, includeDefaultRules: false },
    ruleSets: [HOST_RULE],
  },
];

describe('rendered Falco pods start the real Falco', { skip }, () => {
  for (const version of FALCO_VERSIONS) {
    for (const { name, spec, ruleSets } of SPECS) {
      it(`${name}: the DaemonSet's container passes a real Falco ${version} --dry-run and the verification Job passes`, async () => {
        const m = renderMonitor({ ...spec, image: { tag: version } }, ruleSets ?? [SHELL_RULE, HOST_RULE]);
        assertStarted(await dryRunDaemonSet(m), m, 'DaemonSet container');
        const job = await runJob(m);
        assertStarted(job, m, 'verification Job');
        const verdict = JSON.parse(job.stdout) as { falco_load_results: Array<{ successful: boolean }> };
        assert.ok(verdict.falco_load_results.every((r) => r.successful), job.stdout);
      });
    }
  }

  it('the container plugin is configured for the chosen runtimes only, as real Falco 0.44.1 reports it', async () => {
    const m = renderMonitor({ containerPlugin: { runtimes: ['k3s', 'docker'] } }, []);
    const run = await dryRunDaemonSet(m);
    assertStarted(run, m, 'DaemonSet container');
    assert.match(run.stderr, /Loaded plugin 'container@0\.7\.1'/);
    assert.match(run.stderr, /enabled container runtime socket at '\/host\/run\/k3s\/containerd\/containerd\.sock'/);
    assert.match(run.stderr, /enabled container runtime socket at '\/host\/var\/run\/docker\.sock'/);
    assert.doesNotMatch(run.stderr, /Enabled 'podman' container engine/);
    assert.doesNotMatch(run.stderr, /\/run\/crio\/crio\.sock/);
  });

  it('suggested fields reach the real Falco: the default rules\' outputs gain container and pod context, and lose it when turned off', async () => {
    const outputOf = async (suggestedFields: boolean): Promise<string> => {
      const m = renderMonitor({ outputs: { suggestedFields } }, []);
      // `-l <rule>` with the pod's configuration prints the output as Falco compiled it, append_output included.
      const run = await runContainerLocally({
        rootfs: falcoRootfs(m.falcoVersion),
        pod: m.daemonSet.spec?.template.spec ?? { containers: [] },
        container: 'falco',
        configMaps: m.podConfigMaps,
        exec: ['/usr/bin/falco', '-c', '/etc/falconer/config/falco.yaml', '-l', 'Terminal shell in container', '-o', 'json_output=true'],
      });
      assert.equal(run.code, 0, run.stderr);
      const listed = JSON.parse(run.stdout) as { rules: Array<{ details: { output_compiled: string } }> };
      return listed.rules[0]?.details.output_compiled ?? '';
    };
    const on = await outputOf(true);
    assert.match(on, /container_name=%container\.name/);
    assert.match(on, /k8s_pod_name=%k8s\.pod\.name/);
    const off = await outputOf(false);
    assert.match(off, /^A shell was spawned/);
    assert.doesNotMatch(off, /k8s_pod_name/);
  });

  for (const version of FALCO_VERSIONS) {
    it(`a rule using container fields is refused by the real Falco ${version} when the container plugin is off`, async () => {
      const m = renderMonitor({ image: { tag: version }, containerPlugin: { enabled: false }, includeDefaultRules: false }, [SHELL_RULE]);
      const job = await runJob(m);
      assert.equal(job.code, 1, job.stderr);
      assert.match(job.stdout, /LOAD_ERR_COMPILE_OUTPUT|LOAD_ERR_COMPILE_CONDITION/, job.stdout);
    });

    it(`a plugin whose library is not in the image stops the real Falco ${version} in the verification Job, with Falco's own message`, async () => {
      const m = renderMonitor({ image: { tag: version }, plugins: [{ name: 'k8saudit', openParams: 'http://:9765/k8s-audit' }] }, [SHELL_RULE]);
      const job = await runJob(m);
      assert.equal(job.code, 1, job.stderr);
      assert.match(job.stderr, /libk8saudit\.so/, job.stderr);
      const ds = await dryRunDaemonSet(m);
      assert.notEqual(ds.code, 0, 'the same config would crash the DaemonSet pods: that is why the Job runs it first');
    });

    it(`a broken rule fails the verification Job on the real Falco ${version} with LOAD_ERR_COMPILE_CONDITION`, async () => {
      const m = renderMonitor({ image: { tag: version } }, [SHELL_RULE, BROKEN_RULE]);
      const job = await runJob(m);
      assert.equal(job.code, 1, job.stderr);
      const verdict = JSON.parse(job.stdout) as { falco_load_results: Array<{ successful: boolean; errors: Array<{ code: string }> }> };
      const failed = verdict.falco_load_results.find((r) => !r.successful);
      assert.equal(failed?.errors[0]?.code, 'LOAD_ERR_COMPILE_CONDITION', job.stdout);
    });
  }

  for (const version of FALCO_VERSIONS) {
    it(`a no-driver pod keeps the real Falco ${version} running (not only --dry-run): it mounts nothing of the host and reads its own /proc`, async () => {
      const m = renderMonitor({ image: { tag: version }, driver: { kind: 'none' } }, [SHELL_RULE]);
      const run = await runContainerLocally({
        rootfs: falcoRootfs(m.falcoVersion),
        pod: m.daemonSet.spec?.template.spec ?? { containers: [] },
        container: 'falco',
        configMaps: m.podConfigMaps,
        fieldRefs: { 'spec.nodeName': 'node-1' },
        timeoutMs: 4000,
      });
      assert.equal(run.code, null, `still running when stopped after 4 s:\n${run.stderr.slice(-800)}`);
      assert.match(run.stderr, /Opening 'syscall' source with no driver/);
      assert.doesNotMatch(run.stderr, /HOST_ROOT|^Error:/m);
    });

    it(`the real Falco ${version} running the rendered pod reports on /metrics exactly the sha256s the operator expects`, async () => {
      // The chroot has no /sys for the eBPF probe, so Falco runs without a driver (-o engine.kind),
      // its webserver on a free loopback port of this machine's network; -o overrides leave the
      // sha256 of the config file, which Falco hashes as read, alone.
      const m = renderMonitor({ image: { tag: version } }, [SHELL_RULE, HOST_RULE]);
      const port = await freePort();
      let report: FalcoReport | undefined;
      const run = await runContainerLocally({
        rootfs: falcoRootfs(m.falcoVersion),
        pod: m.daemonSet.spec?.template.spec ?? { containers: [] },
        container: 'falco',
        configMaps: m.podConfigMaps,
        shareHostNetwork: true,
        extraArgs: ['-o', 'engine.kind=nodriver', '-o', 'webserver.listen_address=127.0.0.1', '-o', `webserver.listen_port=${port}`],
        fieldRefs: { 'spec.nodeName': 'node-1' },
        during: async () => {
          // Measured here: a nodriver Falco serves /metrics about 60 s after it starts.
          await eventually('Falco serving /metrics', async () => {
            const res = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
            if (res?.status !== 200) return false;
            report = falcoReport(parsePrometheusText(await res.text()));
            return report !== undefined;
          }, 150_000, 250);
        },
      });
      assert.ok(report !== undefined, run.stderr.slice(-1500));
      const intended = intendedLoad(m.bundle, m.falcoYaml);
      assert.deepEqual(differences(report, intended), [], 'what Falco loaded is what the operator deployed');
      assert.ok(report.rulesFiles.has('falco_rules.yaml'), 'the image rules are reported too (and ignored by the comparison)');
      assert.equal(report.version, version);
      // A config that differs by one byte is noticed.
      assert.notDeepEqual(differences(report, intendedLoad(m.bundle, `${m.falcoYaml}\n`)), []);
    });
  }

  it('every container Falconer renders names its program: the image has no ENTRYPOINT', () => {
    for (const kind of ['modern_ebpf', 'kmod', 'none']) {
      const m = renderMonitor({ driver: { kind } }, []);
      const pods = [m.daemonSet.spec?.template.spec, m.job.spec?.template.spec];
      for (const c of pods.flatMap((p) => [...(p?.initContainers ?? []), ...(p?.containers ?? [])])) {
        assert.ok((c.command?.length ?? 0) > 0, `${kind}: container ${c.name} sets command`);
      }
    }
  });
});

/** A loopback port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
