/**
 * Regression cases: a generated rules file the two tools once disagreed on, and the real Falco's
 * outcome for it, written by `main.ts --record` from the binary's own output (never by hand).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FalcoVersion } from '../support/falco-rootfs.ts';
import type { GeneratedCase } from './generate.ts';
import type { FalcoRun } from './real-falco.ts';

export const CASES_DIR = new URL('cases/', import.meta.url).pathname;

export interface RecordedCase {
  readonly version: FalcoVersion;
  readonly name: string;
  readonly content: Buffer;
  readonly real: FalcoRun;
}

export function recordCase(version: FalcoVersion, c: GeneratedCase, real: FalcoRun): string {
  const dir = join(CASES_DIR, version);
  mkdirSync(dir, { recursive: true });
  const name = `${c.family}-${createHash('sha256').update(c.content).digest('hex').slice(0, 12)}`;
  writeFileSync(join(dir, `${name}.rules`), c.content);
  writeFileSync(join(dir, `${name}.falco.json`), `${JSON.stringify({ generated: c.id, ...real }, null, 2)}\n`);
  return name;
}

export function recordedCases(): RecordedCase[] {
  if (!existsSync(CASES_DIR)) return [];
  return readdirSync(CASES_DIR).flatMap((version) =>
    readdirSync(join(CASES_DIR, version))
      .filter((f) => f.endsWith('.rules'))
      .sort()
      .map((f) => {
        const name = f.slice(0, -'.rules'.length);
        const real = JSON.parse(readFileSync(join(CASES_DIR, version, `${name}.falco.json`), 'utf8')) as FalcoRun & { generated?: string };
        const { generated: _generated, ...run } = real;
        return { version: version as FalcoVersion, name, content: readFileSync(join(CASES_DIR, version, f)), real: run };
      }),
  );
}
