import type { V1ConfigMap } from '@kubernetes/client-node';
import { labelsFor } from '../../api/names.ts';
import { childName, contentHash, shortHash } from './hash.ts';

/** One rule set's rules as they sit in a bundle. */
export interface BundleFile {
  ruleSet: string;
  /** ConfigMap key and file name: `<position>-<rule set>.yaml`, so `ls` shows the load order. */
  key: string;
  content: string;
  /** contentHash of `content` (the rule set's status.contentHash when it was taken). */
  contentHash: string;
}

/** An ordered, content-addressed set of rules files: what a monitor's Falco pods load. */
export interface Bundle {
  files: BundleFile[];
  includeDefaultRules: boolean;
  /** sha256 over the ordered file names and contents (and the default-rules flag). */
  hash: string;
}

/** Where bundles are mounted in Falco pods and verification pods. */
export const RULES_DIR = '/etc/falconer/rules';
/** Falco's own rules inside the official image (loaded first when includeDefaultRules). */
export const DEFAULT_RULES_FILE = '/etc/falco/falco_rules.yaml';

export const BUNDLE_HASH_ANNOTATION = 'falconer.dev/bundle-hash';
export const DEFAULT_RULES_ANNOTATION = 'falconer.dev/include-default-rules';

export interface RuleSetContent {
  name: string;
  content: string;
  contentHash: string;
}

/** Builds the bundle of rule sets already in load order. Pure. */
export function buildBundle(ruleSets: readonly RuleSetContent[], includeDefaultRules: boolean): Bundle {
  const files = ruleSets.map((r, i) => ({
    ruleSet: r.name,
    key: `${String(i).padStart(3, '0')}-${r.name}.yaml`,
    content: r.content,
    contentHash: r.contentHash,
  }));
  const hash = contentHash(
    JSON.stringify({ includeDefaultRules, files: files.map((f) => [f.key, f.contentHash]) }),
  );
  return { files, includeDefaultRules, hash };
}

/** rules_files for falco.yaml (and -V arguments): Falco's defaults first, then the bundle. */
export function rulesFilePaths(bundle: Bundle, dir = RULES_DIR): string[] {
  const own = bundle.files.map((f) => `${dir}/${f.key}`);
  return bundle.includeDefaultRules ? [DEFAULT_RULES_FILE, ...own] : own;
}

export function bundleConfigMapName(monitor: string, bundleHash: string): string {
  return childName(monitor, `rules-${shortHash(bundleHash)}`, 253);
}

/**
 * The immutable ConfigMap holding a bundle. Immutable because every node must load the same
 * bytes: a change is a new ConfigMap (and a rollout), never an edit in place.
 */
export function desiredBundleConfigMap(monitor: string, namespace: string, bundle: Bundle): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: bundleConfigMapName(monitor, bundle.hash),
      namespace,
      labels: labelsFor(monitor, 'rules'),
      annotations: {
        [BUNDLE_HASH_ANNOTATION]: bundle.hash,
        [DEFAULT_RULES_ANNOTATION]: String(bundle.includeDefaultRules),
      },
    },
    immutable: true,
    data: Object.fromEntries(bundle.files.map((f) => [f.key, f.content])),
  };
}

/**
 * The bundle a ConfigMap holds, rebuilt from its keys and contents; undefined if the rebuilt
 * hash disagrees with the annotation (then it is not a bundle Falconer can vouch for).
 */
export function bundleFromConfigMap(cm: V1ConfigMap): Bundle | undefined {
  const annotations = cm.metadata?.annotations ?? {};
  const keys = Object.keys(cm.data ?? {}).sort();
  const ruleSets = keys.map((key) => {
    const content = cm.data?.[key] ?? '';
    return { name: key.replace(/^\d+-/, '').replace(/\.yaml$/, ''), content, contentHash: contentHash(content) };
  });
  const bundle = buildBundle(ruleSets, annotations[DEFAULT_RULES_ANNOTATION] === 'true');
  return bundle.hash === annotations[BUNDLE_HASH_ANNOTATION] ? bundle : undefined;
}
