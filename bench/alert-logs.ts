import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { FALCO_CONTAINER } from '../src/api/names.ts';
import { serverSideApply } from '../src/controlplane/setup.ts';

const RULES = [
  ['Terminal shell in container', 'Notice'],
  ['Read sensitive file untrusted', 'Warning'],
  ['Drop and execute new binary in container', 'Critical'],
  ['Contact K8S API Server From Container', 'Notice'],
] as const;

/** One Falco JSON alert line, shaped like Falco's json_output (time, rule, priority, fields, tags). */
function alertLine(i: number, at: Date, pod: string): string {
  const [rule, priority] = RULES[i % RULES.length] ?? RULES[0];
  const fields = { 'container.id': `c${i % 50}`, 'k8s.ns.name': i % 3 === 0 ? 'payments' : 'shop', 'k8s.pod.name': `app-${i % 20}`, 'proc.cmdline': 'bash -i', 'user.name': 'root' };
  const time = at.toISOString();
  return JSON.stringify({ hostname: pod, output: `${time}: ${priority} ${rule} (user=root command=bash -i)`, output_fields: fields, priority, rule, source: 'syscall', tags: ['container', 'mitre_execution'], time });
}

/**
 * Gives each pod a CRI-format container log (kwok serves logs only in that format) holding
 * Falco's start-up banner and `alerts` JSON alerts spread over the last 50 minutes.
 */
export async function writeAlertLogs(kc: KubeConfig, namespace: string, pods: readonly string[], alerts: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-bench-alerts-'));
  const now = Date.now();
  const objects: KubernetesObject[] = [];
  for (const pod of pods) {
    const lines = [`${new Date(now - 55 * 60_000).toISOString()} stderr F Falco version: 0.42.1 (x86_64)`];
    for (let i = 0; i < alerts; i++) {
      const at = new Date(now - 50 * 60_000 + Math.floor((i * 50 * 60_000) / alerts));
      lines.push(`${at.toISOString()} stdout F ${alertLine(i, at, pod)}`);
    }
    const file = join(dir, `${pod}.log`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    objects.push({
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Logs',
      metadata: { name: pod, namespace },
      spec: { logs: [{ containers: [FALCO_CONTAINER], logsFile: file, follow: false }] },
    } as KubernetesObject);
  }
  await serverSideApply(kc, objects);
}
