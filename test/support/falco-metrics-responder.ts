/**
 * A test-only stand-in for Falco's /metrics on simulated (kwok) nodes, which run no Falco. It
 * answers as a Falco that loaded what its pod mounts would: it reads the pod's bundle and config
 * ConfigMaps and reports the sha256 of each file, in the text a real Falco 0.44.1 served
 * (test/operator/fixtures, with the sha256, version and drop lines replaced). Tests can freeze
 * a node on what it loaded before, make it report other files, drop events, or stop answering.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { MetricsReader } from '../../src/operator/loaded/metrics-reader.ts';

const RECORDED = readFileSync(new URL('../operator/fixtures/falco-0.44.1-modern-ebpf.metrics.txt', import.meta.url), 'utf8');
const RULES_VOLUME = 'falconer-rules';
const CONFIG_VOLUME = 'falconer-config';

export interface LoadedFiles {
  rules: Array<[string, string]>;
  config: Array<[string, string]>;
}

export interface FalcoMetricsResponder extends MetricsReader {
  /** Keep answering with what each node loaded at its last reading (Falco never restarted onto new files). */
  freeze(node?: string): void;
  /** Back to answering with what the node's pod mounts. */
  thaw(node?: string): void;
  /** Report these rules files (name → content) instead of the mounted ones. */
  runInstead(node: string, files: Record<string, string>): void;
  /** Add to the node's kernel event drop counter. */
  drop(node: string, events: number): void;
  /** Answer 404 (as Falco does before its driver is attached), or answer again. */
  silence(node: string, silent: boolean): void;
  /** Readings served so far. */
  reads(): number;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function falcoMetricsResponder(kc: KubeConfig, version = '0.44.1'): FalcoMetricsResponder {
  const core = kc.makeApiClient(CoreV1Api);
  const last = new Map<string, LoadedFiles>();
  const frozen = new Set<string>();
  let frozenAll = false;
  const instead = new Map<string, Record<string, string>>();
  const drops = new Map<string, number>();
  const silent = new Set<string>();
  let reads = 0;

  async function mounted(namespace: string, name: string): Promise<{ node: string; files: LoadedFiles }> {
    const pod = await core.readNamespacedPod({ name, namespace });
    const node = pod.spec?.nodeName ?? '';
    const cmOf = (volume: string): string => pod.spec?.volumes?.find((v) => v.name === volume)?.configMap?.name ?? '';
    const [rules, config] = await Promise.all([cmOf(RULES_VOLUME), cmOf(CONFIG_VOLUME)].map((n) => core.readNamespacedConfigMap({ name: n, namespace })));
    const entries = (data: Record<string, string> | undefined): Array<[string, string]> => Object.entries(data ?? {}).map(([k, v]) => [k, sha256(v)]);
    // Falco also reports the image's own rules file when falco.yaml names it.
    const image: Array<[string, string]> = (config?.data?.['falco.yaml'] ?? '').includes('/etc/falco/falco_rules.yaml') ? [['falco_rules.yaml', sha256('the image rules')]] : [];
    return { node, files: { rules: [...image, ...entries(rules?.data)], config: entries(config?.data) } };
  }

  return {
    source: 'Simulated',
    async read(pod) {
      const { node, files } = await mounted(pod.namespace, pod.name);
      if (silent.has(node)) throw new Error(`simulated Falco on ${node} answered 404 on /metrics`);
      reads++;
      let loaded = (frozenAll || frozen.has(node)) && last.has(node) ? (last.get(node) as LoadedFiles) : files;
      const other = instead.get(node);
      if (other !== undefined) loaded = { ...loaded, rules: Object.entries(other).map(([k, v]) => [k, sha256(v)]) };
      else last.set(node, loaded);
      return render(loaded, version, drops.get(node) ?? 0);
    },
    freeze(node) {
      if (node === undefined) frozenAll = true;
      else frozen.add(node);
    },
    thaw(node) {
      if (node === undefined) {
        frozenAll = false;
        frozen.clear();
      } else frozen.delete(node);
    },
    runInstead(node, files) {
      if (Object.keys(files).length === 0) instead.delete(node);
      else instead.set(node, files);
    },
    drop(node, events) {
      drops.set(node, (drops.get(node) ?? 0) + events);
    },
    silence(node, s) {
      if (s) silent.add(node);
      else silent.delete(node);
    },
    reads: () => reads,
  };
}

/** The recorded text with this node's files, version and drop counter. */
export function render(files: LoadedFiles, version: string, drops: number): string {
  const out: string[] = [];
  for (const line of RECORDED.split('\n')) {
    if (line.startsWith('falcosecurity_falco_sha256_rules_files_info{')) {
      for (const [name, sha] of files.rules) out.push(`falcosecurity_falco_sha256_rules_files_info{file_name="${name}",sha256="${sha}"} 1`);
    } else if (line.startsWith('falcosecurity_falco_sha256_config_files_info{')) {
      for (const [name, sha] of files.config) out.push(`falcosecurity_falco_sha256_config_files_info{file_name="${name}",sha256="${sha}"} 1`);
    } else if (line.startsWith('falcosecurity_falco_version_info{')) {
      out.push(`falcosecurity_falco_version_info{version="${version}"} 1`);
    } else if (line.startsWith('falcosecurity_scap_n_drops_total ')) {
      out.push(`falcosecurity_scap_n_drops_total ${drops}`);
    } else out.push(line);
  }
  return out.join('\n');
}
