import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCommand } from '../controlplane/run-command.ts';

/** What an image carries besides its files (a Dockerfile's ENV, CMD, ENTRYPOINT, WORKDIR). */
export interface ImageConfig {
  env: readonly string[];
  cmd?: readonly string[];
  entrypoint?: readonly string[];
  workingDir?: string;
}

export interface ArchiveLayout {
  manifest: unknown[];
  configName: string;
  configJson: string;
}

/**
 * The JSON of a one-layer docker-archive (the `docker save` format `ctr images import` reads).
 * os/architecture must be set: without them containerd filters the image out on import.
 */
export function archiveLayout(reference: string, layerDiffId: string, config: ImageConfig, arch = 'amd64'): ArchiveLayout {
  const imageConfig = {
    architecture: arch,
    os: 'linux',
    config: {
      Env: [...config.env],
      ...(config.cmd !== undefined ? { Cmd: [...config.cmd] } : {}),
      ...(config.entrypoint !== undefined ? { Entrypoint: [...config.entrypoint] } : {}),
      WorkingDir: config.workingDir ?? '/',
    },
    rootfs: { type: 'layers', diff_ids: [`sha256:${layerDiffId}`] },
  };
  const configJson = JSON.stringify(imageConfig);
  const configName = `${createHash('sha256').update(configJson).digest('hex')}.json`;
  const manifest = [{ Config: configName, RepoTags: [reference], Layers: [`${layerDiffId}/layer.tar`] }];
  return { manifest, configName, configJson };
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Writes `rootfs` as a one-layer image archive named `reference` to `output` (atomically: a
 * half-written archive never has the final name). Files are owned by root in the layer.
 */
export async function writeImageArchive(
  rootfs: string,
  reference: string,
  config: ImageConfig,
  output: string,
  options: { exclude?: readonly string[] } = {},
): Promise<void> {
  mkdirSync(dirname(output), { recursive: true });
  const work = mkdtempSync(`${output}.work-`);
  try {
    const layerTar = join(work, 'layer.tar');
    const excludes = (options.exclude ?? []).map((e) => `--exclude=./${e}`);
    await runCommand('tar', ['--numeric-owner', '--owner=0', '--group=0', '--sort=name', ...excludes, '-C', rootfs, '-cf', layerTar, '.']);
    const diffId = await sha256File(layerTar);
    const layout = archiveLayout(reference, diffId, config);
    mkdirSync(join(work, 'archive', diffId), { recursive: true });
    renameSync(layerTar, join(work, 'archive', diffId, 'layer.tar'));
    writeFileSync(join(work, 'archive', layout.configName), layout.configJson);
    writeFileSync(join(work, 'archive', 'manifest.json'), JSON.stringify(layout.manifest));
    const partial = join(work, 'image.tar');
    // Members named as `docker save` names them (no leading ./): manifest.json first.
    await runCommand('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', join(work, 'archive'), '-cf', partial, 'manifest.json', layout.configName, diffId]);
    renameSync(partial, output);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
