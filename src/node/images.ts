import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FalconerError } from '../core/errors.ts';
import { runCommand } from '../controlplane/run-command.ts';
import { CONTAINERD_RUN_DIR } from './paths.ts';
import type { RealNodeRecord } from './record.ts';

/** The CRI's containerd namespace: images imported anywhere else are invisible to the kubelet. */
const CRI_NAMESPACE = 'k8s.io';

function ctr(record: RealNodeRecord, args: readonly string[]): ReturnType<typeof runCommand> {
  return runCommand(join(record.binDir, 'ctr'), ['--address', `${CONTAINERD_RUN_DIR}/containerd.sock`, '--namespace', CRI_NAMESPACE, ...args]);
}

/**
 * Imports a docker-archive or OCI archive (`docker save`, `falconer` test images) into the real
 * node's containerd, as `kind load image-archive` does. Returns the references it now holds.
 */
export async function loadImageArchive(record: RealNodeRecord, archive: string): Promise<string[]> {
  if (!existsSync(archive)) throw new FalconerError(`Image archive ${archive} does not exist`);
  const before = new Set(await listImages(record));
  try {
    await ctr(record, ['images', 'import', archive]);
  } catch (err) {
    throw new FalconerError(`Importing ${archive} into the real node ${record.name} failed`, { cause: err });
  }
  const after = await listImages(record);
  const named = (await archiveTags(archive)).filter((t) => after.includes(t));
  return named.length > 0 ? named : after.filter((r) => !before.has(r));
}

/** The names a docker-archive carries (its manifest.json RepoTags); none for other formats. */
async function archiveTags(archive: string): Promise<string[]> {
  const out = await runCommand('tar', ['-xOf', archive, 'manifest.json'], { allowFailure: true });
  if (out.code !== 0) return [];
  try {
    const manifest = JSON.parse(out.stdout) as Array<{ RepoTags?: string[] }>;
    // containerd names short references the docker way (docker.io/library/...): ours are fully qualified.
    return manifest.flatMap((m) => m.RepoTags ?? []);
  } catch {
    return [];
  }
}

export async function listImages(record: RealNodeRecord): Promise<string[]> {
  const out = await ctr(record, ['images', 'list', '--quiet']);
  return out.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}
