/**
 * Image archives of the real Falco (0.42.1 and 0.44.1) for the real node: one layer made from
 * the usable root filesystem (falco-rootfs.ts), with the ENV, CMD and ENTRYPOINT the shared
 * folder's Dockerfile declares. Named `falconer.local/falco:<version>` so it never passes for the
 * published image. Built once per machine into the cache. Test support only.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../src/controlplane/versions.ts';
import { writeImageArchive } from '../../src/node/image-archive.ts';
import type { ImageConfig } from '../../src/node/image-archive.ts';
import { falcoRootfs } from './falco-rootfs.ts';
import type { FalcoVersion } from './falco-rootfs.ts';

export function falcoImageReference(version: FalcoVersion): string {
  return `falconer.local/falco:${version}`;
}

/** `KEY=value KEY2="quoted value"` pairs of one ENV instruction (the legacy `ENV KEY value` form too). */
function envPairs(args: string): string[] {
  const pairs: string[] = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (let m = re.exec(args); m !== null; m = re.exec(args)) {
    const raw = m[2] ?? '';
    pairs.push(`${m[1]}=${raw.startsWith('"') ? (JSON.parse(raw) as string) : raw}`);
  }
  if (pairs.length === 0) {
    const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/.exec(args.trim());
    if (legacy !== null) pairs.push(`${legacy[1]}=${legacy[2]}`);
  }
  return pairs;
}

/** What a (FROM scratch + COPY) Dockerfile says besides the files: ENV, CMD, ENTRYPOINT, WORKDIR. */
export function imageConfigFromDockerfile(text: string): ImageConfig {
  const instructions = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const env: string[] = [];
  let cmd: string[] | undefined;
  let entrypoint: string[] | undefined;
  let workingDir: string | undefined;
  const execForm = (args: string): string[] => (args.startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args]);
  for (const line of instructions) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    switch (keyword.toUpperCase()) {
      case 'ENV':
        env.push(...envPairs(args));
        break;
      case 'CMD':
        cmd = execForm(args);
        break;
      case 'ENTRYPOINT':
        entrypoint = execForm(args);
        break;
      case 'WORKDIR':
        workingDir = args;
        break;
      default:
        break;
    }
  }
  return { env, ...(cmd ? { cmd } : {}), ...(entrypoint ? { entrypoint } : {}), ...(workingDir ? { workingDir } : {}) };
}

/** The cached archive of one Falco version, built on first use (a few seconds). */
export async function falcoImageArchive(version: FalcoVersion, env: NodeJS.ProcessEnv = process.env): Promise<{ archive: string; reference: string }> {
  const rootfs = falcoRootfs(version, env);
  const dockerfile = readFileSync(rootfs.dockerfile, 'utf8');
  // The rootfs folder's name carries its content key; the Dockerfile is the rest of the image.
  const key = createHash('sha256').update(rootfs.dir).update(dockerfile).digest('hex').slice(0, 12);
  const archive = join(cacheRoot(env), 'images', `falco-${version}-${key}.tar`);
  const reference = falcoImageReference(version);
  if (!existsSync(archive)) {
    // PATH is not part of the Dockerfile, but a scratch image has no default: set the usual one.
    const config = imageConfigFromDockerfile(dockerfile);
    const withPath = config.env.some((e) => e.startsWith('PATH=')) ? config : { ...config, env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...config.env] };
    await writeImageArchive(rootfs.dir, reference, withPath, archive, { exclude: ['.complete'] });
  }
  return { archive, reference };
}
