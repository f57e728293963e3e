/**
 * What a monitor means its nodes to load, as Falco would report it: the sha256 of each bundle
 * file (the bytes the ConfigMap mounts) under its base name, and of falco.yaml. Pure.
 */
import type { Bundle } from '../builders/bundle.ts';
import { DEFAULT_RULES_FILE } from '../builders/bundle.ts';
import { CONFIG_KEY } from '../builders/falco-config.ts';
import { contentHash } from '../builders/hash.ts';
import type { FalcoReport } from './falco-report.ts';

export interface IntendedLoad {
  bundleHash: string;
  rulesFiles: Map<string, string>;
  configSha256: string;
  /** Rules files Falco loads that Falconer does not write (the image's own rules). */
  foreign: Set<string>;
}

const hex = (hash: string): string => hash.replace(/^sha256:/, '');

export function intendedLoad(bundle: Bundle, falcoYaml: string): IntendedLoad {
  return {
    bundleHash: bundle.hash,
    rulesFiles: new Map(bundle.files.map((f) => [f.key, hex(f.contentHash)])),
    configSha256: hex(contentHash(falcoYaml)),
    foreign: new Set(bundle.includeDefaultRules ? [baseName(DEFAULT_RULES_FILE)] : []),
  };
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The differences between a report and the intended load, as short phrases; empty when it matches. */
export function differences(report: FalcoReport, intended: IntendedLoad): string[] {
  const out: string[] = [];
  const config = report.configFiles.get(CONFIG_KEY);
  if (config !== intended.configSha256) out.push(config === undefined ? `${CONFIG_KEY} not loaded` : `${CONFIG_KEY} sha256 ${config.slice(0, 12)} (expected ${intended.configSha256.slice(0, 12)})`);
  for (const [name, sha] of intended.rulesFiles) {
    const loaded = report.rulesFiles.get(name);
    if (loaded === undefined) out.push(`${name} not loaded`);
    else if (loaded !== sha) out.push(`${name} sha256 ${loaded.slice(0, 12)} (expected ${sha.slice(0, 12)})`);
  }
  for (const name of report.rulesFiles.keys()) {
    if (!intended.rulesFiles.has(name) && !intended.foreign.has(name)) out.push(`${name} not in the bundle`);
  }
  return out;
}

/** The rules-file map a bundle produces, for recognising which earlier bundle a node runs. */
export function sameRulesFiles(report: FalcoReport, intended: IntendedLoad): boolean {
  const own = [...report.rulesFiles].filter(([name]) => !intended.foreign.has(name));
  return own.length === intended.rulesFiles.size && own.every(([name, sha]) => intended.rulesFiles.get(name) === sha);
}
