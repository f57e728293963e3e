/** Reading the shipped manifests in tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ManifestObject } from '../../../src/api/generate/kustomize.ts';
import { repoRoot } from '../../../src/controlplane/versions.ts';

export function repoPath(path: string): string {
  return join(repoRoot(), path);
}

/** Every non-empty YAML document of a multi-document string. */
export function parseManifests(text: string): ManifestObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as ManifestObject | null)
    .filter((o): o is ManifestObject => o !== null);
}

export function readManifests(path: string): ManifestObject[] {
  return parseManifests(readFileSync(repoPath(path), 'utf8'));
}

export function objectKey(o: ManifestObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** Objects by kind/namespace/name, for comparing renderings regardless of their order. */
export function byKey(objects: readonly ManifestObject[]): Map<string, ManifestObject> {
  return new Map(objects.map((o) => [objectKey(o), o]));
}

export function find(objects: readonly ManifestObject[], kind: string, name: string): ManifestObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} among ${objects.map(objectKey).join(', ')}`);
  return found;
}
