/**
 * Runs one container of a rendered pod with the real Falco image's root filesystem, the way a
 * kubelet would lay it out, without a kubelet: an overlay of the image tree (so nothing shared is
 * written), the pod's ConfigMap volumes written out and bind-mounted at their mount paths, the
 * read-only hostPath volumes bound from this machine, `/proc` mounted, and then the container's
 * exact `command` + `args` (plus any extra arguments the test asks for) with the image's and the
 * container's environment, in a chroot inside private mount and network namespaces. Test support only: this
 * is how the tests prove that what the builders render starts the real Falco.
 *
 * Needs root (unshare, mount, chroot), which every machine of this project has.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1ConfigMap, V1Container, V1PodSpec } from '@kubernetes/client-node';
import type { FalcoRootfs } from './falco-rootfs.ts';

export interface LocalRunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The argv that ran, as the container would run it. */
  argv: string[];
}

export interface LocalPodRun {
  rootfs: FalcoRootfs;
  pod: V1PodSpec;
  /** Name of the container to run (an init container too). */
  container: string;
  /** The ConfigMaps the pod's volumes name, by name. */
  configMaps: readonly V1ConfigMap[];
  /** Appended to the container's args, e.g. `--dry-run`. */
  extraArgs?: readonly string[];
  /** Run this argv in the container's file system instead of its command, as `kubectl exec` would. */
  exec?: readonly string[];
  /** Written to the process's standard input, then closed. */
  stdin?: string;
  /**
   * Run in this machine's network namespace (for a test that reads Falco's webserver, which it
   * then must bind to loopback); otherwise the process gets a network namespace of its own.
   */
  shareHostNetwork?: boolean;
  /** Values for env entries taken from the downward API (fieldRef), e.g. `spec.nodeName`. */
  fieldRefs?: Record<string, string>;
  timeoutMs?: number;
  /**
   * For a long-running container: called once it is started; when it settles, the container is
   * stopped (SIGTERM) and the run's result returned. Its error, if any, is rethrown after that.
   */
  during?: () => Promise<void>;
}

/** `ENV KEY=value` and `ENV KEY value` lines of the shared Dockerfile: what the image sets. */
export function imageEnv(dockerfile: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(dockerfile, 'utf8').split('\n')) {
    const m = /^ENV\s+([A-Za-z_][A-Za-z0-9_]*)(?:=|\s+)(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined) env[m[1]] = (m[2] ?? '').trim().replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/** The image's CMD as JSON array, the argv a container without `command` and `args` runs. */
export function imageCmd(dockerfile: string): string[] {
  const line = readFileSync(dockerfile, 'utf8')
    .split('\n')
    .find((l) => /^CMD\s+\[/.test(l.trim()));
  return line === undefined ? [] : (JSON.parse(line.trim().replace(/^CMD\s+/, '')) as string[]);
}

export function hasEntrypoint(dockerfile: string): boolean {
  return readFileSync(dockerfile, 'utf8')
    .split('\n')
    .some((l) => /^ENTRYPOINT\s/.test(l.trim()));
}

/**
 * What a container runs, by the rules the kubelet applies: `command` replaces the image's
 * ENTRYPOINT (and drops its CMD), `args` replace CMD. The Falco image has no ENTRYPOINT.
 */
export function containerArgv(container: V1Container, dockerfile: string): string[] {
  if (hasEntrypoint(dockerfile)) throw new Error('The image has an ENTRYPOINT: this helper only models images without one');
  if (container.command !== undefined) return [...container.command, ...(container.args ?? [])];
  if (container.args !== undefined) return [...container.args];
  return imageCmd(dockerfile);
}

function containerEnv(container: V1Container, fieldRefs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.fieldRef?.fieldPath;
    if (e.value !== undefined) env[e.name] = e.value;
    else if (ref !== undefined) env[e.name] = fieldRefs[ref] ?? `local-${ref}`;
  }
  return env;
}

interface Bind {
  source: string;
  target: string;
  readOnly: boolean;
}

/** ConfigMap volumes become files in `work`; read-only hostPaths are bound; others are left out. */
function volumeBinds(run: LocalPodRun, container: V1Container, work: string): Bind[] {
  const binds: Bind[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = run.pod.volumes?.find((v) => v.name === mount.name);
    if (volume?.configMap !== undefined) {
      const cm = run.configMaps.find((c) => c.metadata?.name === volume.configMap?.name);
      if (cm === undefined) throw new Error(`The pod mounts ConfigMap ${volume.configMap.name}, which the test did not give`);
      const dir = join(work, 'volumes', mount.name);
      mkdirSync(dir, { recursive: true });
      const items = volume.configMap.items ?? Object.keys(cm.data ?? {}).map((key) => ({ key, path: key }));
      for (const item of items) writeFileSync(join(dir, item.path), cm.data?.[item.key] ?? '');
      binds.push({ source: dir, target: mount.mountPath, readOnly: true });
    } else if (volume?.hostPath !== undefined && mount.readOnly === true) {
      binds.push({ source: volume.hostPath.path, target: mount.mountPath, readOnly: true });
    }
  }
  return binds;
}

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** Runs the container; resolves with its exit status and output (never rejects on a non-zero exit). */
export async function runContainerLocally(run: LocalPodRun): Promise<LocalRunResult> {
  const all = [...(run.pod.initContainers ?? []), ...run.pod.containers];
  const container = all.find((c) => c.name === run.container);
  if (container === undefined) throw new Error(`The pod has no container ${run.container}`);
  const argv = run.exec !== undefined ? [...run.exec] : [...containerArgv(container, run.rootfs.dockerfile), ...(run.extraArgs ?? [])];
  const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...imageEnv(run.rootfs.dockerfile), ...containerEnv(container, run.fieldRefs ?? {}) };
  const work = mkdtempSync(join(tmpdir(), 'falconer-local-pod-'));
  try {
    const binds = volumeBinds(run, container, work);
    const merged = join(work, 'merged');
    for (const d of ['upper', 'work', 'merged']) mkdirSync(join(work, d));
    const script = [
      'set -e',
      `mount -t overlay falconer-pod -o lowerdir=${quote(run.rootfs.dir)},upperdir=${quote(join(work, 'upper'))},workdir=${quote(join(work, 'work'))} ${quote(merged)}`,
      `mount -t proc proc ${quote(join(merged, 'proc'))}`,
      ...binds.flatMap((b) => {
        const target = join(merged, b.target);
        return [
          `if [ -e ${quote(b.source)} ]; then mkdir -p ${quote(target)}`,
          `mount --rbind ${quote(b.source)} ${quote(target)}`,
          ...(b.readOnly ? [`mount -o remount,bind,ro ${quote(target)}`] : []),
          'fi',
        ];
      }),
      `exec env -i ${Object.entries(env).map(([k, v]) => quote(`${k}=${v}`)).join(' ')} chroot ${quote(merged)} ${argv.map(quote).join(' ')}`,
    ].join('\n');
    writeFileSync(join(work, 'run.sh'), script);
    return await new Promise<LocalRunResult>((resolve, reject) => {
      // A network namespace of its own unless asked (only a loopback, down): Falco's webserver binds
      // 0.0.0.0 and must not listen on this machine's interfaces. --kill-child: stopping unshare
      // stops the container's process with it.
      const net = run.shareHostNetwork === true ? [] : ['--net'];
      const child = spawn('unshare', ['--mount', ...net, '--propagation', 'private', '--fork', '--kill-child=SIGTERM', '/bin/sh', join(work, 'run.sh')], {
        stdio: [run.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      if (run.stdin !== undefined) {
        child.stdin?.on('error', () => undefined); // Falco may exit before reading it all
        child.stdin?.end(run.stdin);
      }
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs ?? 60_000);
      let duringError: unknown;
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (duringError !== undefined) reject(duringError instanceof Error ? new Error(`${duringError.message}\n${stderr.slice(-1500)}`) : duringError);
        else resolve({ code, stdout, stderr, argv });
      });
      if (run.during !== undefined) {
        run.during().catch((err: unknown) => (duringError = err)).finally(() => child.kill('SIGTERM'));
      }
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
