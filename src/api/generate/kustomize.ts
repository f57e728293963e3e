/**
 * Renders a kustomization into plain objects, for deploy/install.yaml. Only the part of kustomize
 * that deploy/base uses: `resources` (YAML files and folders with their own kustomization) and
 * `namespace`. Anything else is refused rather than silently ignored, and a test renders the same
 * folder with the real `kubectl kustomize` and compares, so the two cannot drift apart.
 *
 * Why not run kustomize here: `npm run generate` must work on a clean clone, without the
 * kubectl that the local control plane builds.
 */
import { posix } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { compareNames } from '../../core/compare.ts';

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Reads a file by its path relative to the repository root (forward slashes). */
export type ReadSource = (path: string) => string;

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources']);

/** Kinds the namespace transformer leaves alone, as kustomize does for cluster-scoped kinds. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'PriorityClass',
  'StorageClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

/**
 * The head of kustomize's legacy output order (kinds that others depend on first); other kinds
 * follow by kind name, and objects of one kind by name, as `kubectl kustomize` prints them.
 */
const KIND_ORDER = [
  'Namespace',
  'CustomResourceDefinition',
  'ServiceAccount',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Service',
  'Deployment',
  'DaemonSet',
];

interface Kustomization {
  namespace?: string;
  resources?: string[];
}

function readKustomization(dir: string, read: ReadSource): Kustomization {
  const path = posix.join(dir, 'kustomization.yaml');
  const doc = parse(read(path)) as Record<string, unknown> | null;
  if (doc === null || typeof doc !== 'object') throw new Error(`${path} is empty`);
  const unsupported = Object.keys(doc).filter((k) => !SUPPORTED_FIELDS.has(k));
  if (unsupported.length > 0) {
    throw new Error(`${path}: the install.yaml generator supports only resources and namespace, not ${unsupported.join(', ')} (see src/api/generate/kustomize.ts)`);
  }
  return doc as Kustomization;
}

function readObjects(path: string, read: ReadSource): ManifestObject[] {
  return parseAllDocuments(read(path))
    .map((d) => d.toJS() as unknown)
    .filter((o): o is ManifestObject => o !== null && o !== undefined)
    .map((o) => {
      if (typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') throw new Error(`${path}: every document needs kind and metadata.name`);
      return o;
    });
}

/** Sets the namespace the way kustomize's namespace transformer does for what deploy/ holds. */
function setNamespace(obj: ManifestObject, namespace: string, source: string): ManifestObject {
  const subjects = obj['subjects'];
  if (Array.isArray(subjects)) {
    // kustomize rewrites ServiceAccount subjects by rules we do not reproduce: require them to match.
    for (const s of subjects as Array<{ kind?: string; namespace?: string; name?: string }>) {
      if (s.kind === 'ServiceAccount' && s.namespace !== namespace) {
        throw new Error(`${source}: ${obj.kind} ${obj.metadata.name} binds ServiceAccount ${s.name ?? ''} in ${s.namespace ?? '(none)'}, not ${namespace}`);
      }
    }
  }
  if (CLUSTER_SCOPED.has(obj.kind)) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace } };
}

function render(dir: string, read: ReadSource): ManifestObject[] {
  const kustomization = readKustomization(dir, read);
  const objects = (kustomization.resources ?? []).flatMap((resource) => {
    const path = posix.join(dir, resource);
    return /\.ya?ml$/.test(resource) ? readObjects(path, read) : render(path, read);
  });
  const namespace = kustomization.namespace;
  return namespace === undefined ? objects : objects.map((o) => setNamespace(o, namespace, dir));
}

function kindRank(kind: string): number {
  const index = KIND_ORDER.indexOf(kind);
  return index >= 0 ? index : KIND_ORDER.length;
}

/** Apply order of kinds, then code-point order, not the locale's: the output must not depend on the machine. */
function compareObjects(a: ManifestObject, b: ManifestObject): number {
  return kindRank(a.kind) - kindRank(b.kind) || compareNames(a.kind, b.kind) || compareNames(a.metadata.name, b.metadata.name);
}

/** The objects of the kustomization in folder `dir` (relative to the repository root), in apply order. */
export function renderKustomization(dir: string, read: ReadSource): ManifestObject[] {
  return render(dir, read).sort(compareObjects);
}
