/**
 * Runs Falconer's Argo CD health scripts the way Argo CD does, through the small Go harness in
 * hack/argocd-health (gopher-lua, Lua 5.1, Argo CD's sandbox: only base, table and package).
 * The harness is built on first use into the per-machine cache, keyed by a hash of its sources,
 * so a change to it builds afresh and a warm machine builds nothing (a cold build takes seconds).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCommand } from '../../../src/controlplane/run-command.ts';
import { cacheRoot, repoRoot } from '../../../src/controlplane/versions.ts';
import { API_GROUP } from '../../../src/api/names.ts';
import { HEALTH_DIR } from '../../../src/api/generate/argocd.ts';

const HARNESS_DIR = join(repoRoot(), 'hack', 'argocd-health');
const HARNESS_SOURCES = ['go.mod', 'go.sum', 'main.go'];

export interface HealthVerdict {
  input: string;
  status?: string;
  message?: string;
  /** The Lua error, as Argo CD would report it on the resource. */
  error?: string;
}

export interface HealthTestCase {
  healthStatus: { status: string; message: string };
  inputPath: string;
}

function harnessKey(): string {
  const hash = createHash('sha256');
  for (const file of HARNESS_SOURCES) hash.update(readFileSync(join(HARNESS_DIR, file)));
  return hash.digest('hex').slice(0, 16);
}

let building: Promise<string> | undefined;

/** Path of the harness binary, built first when this machine has none for these sources. */
export function argocdHealthBinary(): Promise<string> {
  building ??= (async () => {
    const dir = join(cacheRoot(), 'argocd-health', harnessKey());
    const binary = join(dir, 'argocd-health');
    if (existsSync(binary)) return binary;
    mkdirSync(dir, { recursive: true });
    // Build beside the final name and rename: concurrent test files never see half a binary.
    const partial = `${binary}.partial-${process.pid}`;
    try {
      await runCommand('go', ['build', '-o', partial, '.'], {
        cwd: HARNESS_DIR,
        env: { ...process.env, GOWORK: 'off', CGO_ENABLED: '0' },
      });
      renameSync(partial, binary);
    } finally {
      rmSync(partial, { force: true });
    }
    return binary;
  })();
  return building;
}

/** Evaluates `script` (a path) against each object file (YAML or JSON), one verdict per file. */
export async function runHealthScript(script: string, inputs: readonly string[]): Promise<HealthVerdict[]> {
  const binary = await argocdHealthBinary();
  const { stdout } = await runCommand(binary, [script, ...inputs]);
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as HealthVerdict);
}

/** deploy/argocd/health/falconer.dev/<kind>, Argo CD's resource_customizations layout. */
export function healthDir(kind: string): string {
  return join(repoRoot(), HEALTH_DIR, API_GROUP, kind);
}

export function healthTestCases(kind: string): HealthTestCase[] {
  const doc = parse(readFileSync(join(healthDir(kind), 'health_test.yaml'), 'utf8')) as { tests: HealthTestCase[] };
  return doc.tests;
}
