/**
 * Falco pods get the privileges their driver needs and nothing more: a pure look at the
 * DaemonSet and verification Job the operator builds (src/operator/builders), per driver.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1DaemonSet } from '@kubernetes/client-node';
import { monitorSpecSchema } from '../../src/api/monitor.ts';
import { buildBundle } from '../../src/operator/builders/bundle.ts';
import { desiredDaemonSet } from '../../src/operator/builders/daemonset.ts';
import { desiredVerificationJob } from '../../src/operator/builders/verification-job.ts';

function daemonSetFor(driver: Record<string, unknown>): V1DaemonSet {
  return desiredDaemonSet({
    monitor: 'main',
    namespace: 'falco',
    spec: monitorSpecSchema.parse({ driver }),
    bundleHash: 'sha256:x',
    bundleConfigMap: 'main-rules-x',
    configConfigMap: 'main-config',
    configHash: 'y',
    serviceAccount: 'main-falco',
  });
}

function hostPaths(ds: V1DaemonSet): string[] {
  return (ds.spec?.template.spec?.volumes ?? []).flatMap((v) => (v.hostPath ? [v.hostPath.path] : [])).sort();
}

const KMOD_ONLY_PATHS = ['/boot', '/dev', '/lib/modules', '/sys/module', '/usr'];

describe('privileges of Falco pods per driver', () => {
  it('modern_ebpf least-privileged: four capabilities, no privileged container, no kernel-module host paths', () => {
    const ds = daemonSetFor({ kind: 'modern_ebpf', leastPrivileged: true });
    const pod = ds.spec?.template.spec;
    const sc = pod?.containers[0]?.securityContext;
    assert.equal(sc?.privileged, false);
    assert.deepEqual(sc?.capabilities?.drop, ['ALL']);
    assert.deepEqual([...(sc?.capabilities?.add ?? [])].sort(), ['BPF', 'PERFMON', 'SYS_PTRACE', 'SYS_RESOURCE']);
    assert.deepEqual(pod?.initContainers ?? [], [], 'no driver loader');
    for (const p of KMOD_ONLY_PATHS) assert.equal(hostPaths(ds).includes(p), false, `${p} is not mounted`);
    for (const m of pod?.containers[0]?.volumeMounts ?? []) {
      if (m.mountPath.startsWith('/host/proc') || m.mountPath.startsWith('/host/etc')) assert.equal(m.readOnly, true, m.mountPath);
    }
  });

  it('kmod: privileged, because loading a kernel module is, with the kernel-module paths and a privileged loader', () => {
    const ds = daemonSetFor({ kind: 'kmod' });
    const pod = ds.spec?.template.spec;
    assert.equal(pod?.containers[0]?.securityContext?.privileged, true);
    assert.equal(pod?.initContainers?.length, 1);
    assert.equal(pod?.initContainers?.[0]?.securityContext?.privileged, true);
    for (const p of KMOD_ONLY_PATHS) assert.ok(hostPaths(ds).includes(p), `${p} is mounted`);
  });

  it('modern_ebpf without leastPrivileged is privileged but mounts no kernel-module paths', () => {
    const ds = daemonSetFor({ kind: 'modern_ebpf' });
    assert.equal(ds.spec?.template.spec?.containers[0]?.securityContext?.privileged, true);
    for (const p of KMOD_ONLY_PATHS) assert.equal(hostPaths(ds).includes(p), false, `${p} is not mounted`);
  });

  it('none: no privileges, no capabilities and no host paths at all', () => {
    const ds = daemonSetFor({ kind: 'none' });
    const sc = ds.spec?.template.spec?.containers[0]?.securityContext;
    assert.equal(sc?.privileged, false);
    assert.equal(sc?.allowPrivilegeEscalation, false);
    assert.deepEqual(sc?.capabilities, { drop: ['ALL'] });
    assert.deepEqual(hostPaths(ds), []);
  });

  it('no driver gives Falco pods an API token, the host network or the host PID namespace', () => {
    for (const driver of [{ kind: 'modern_ebpf', leastPrivileged: true }, { kind: 'modern_ebpf' }, { kind: 'kmod' }, { kind: 'none' }]) {
      const pod = daemonSetFor(driver).spec?.template.spec;
      assert.equal(pod?.automountServiceAccountToken, false, JSON.stringify(driver));
      assert.notEqual(pod?.hostNetwork, true);
      assert.notEqual(pod?.hostPID, true);
      assert.notEqual(pod?.hostIPC, true);
    }
  });

  it('verification pods run Falco with no privileges, no capabilities, no token and no host path', () => {
    const job = desiredVerificationJob({
      monitor: 'main', namespace: 'falco', image: 'falcosecurity/falco:0.42.1', imagePullPolicy: 'IfNotPresent',
      candidate: buildBundle([], true), members: [], falcoConfig: '', activeDeadlineSeconds: 60, ttlSecondsAfterFinished: 60,
    });
    const pod = job.spec?.template.spec;
    const sc = pod?.containers[0]?.securityContext;
    assert.notEqual(sc?.privileged, true);
    assert.equal(sc?.allowPrivilegeEscalation, false);
    assert.deepEqual(sc?.capabilities, { drop: ['ALL'] });
    assert.equal(pod?.automountServiceAccountToken, false);
    assert.equal((pod?.volumes ?? []).some((v) => v.hostPath !== undefined), false);
  });
});
