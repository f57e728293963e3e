/**
 * Test-only: a FalcoFleet for in-process MCP tests that answers exec with the outputs a real
 * Falco 0.42.1 recorded in ../shared/falco-outputs/ (the same recordings the stand-in `falco`
 * replays in simulated pods). Never imported from src/.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FalcoArgv } from '../../src/falco/argv.ts';
import type { ExecResult } from '../../src/kube/exec.ts';
import type { FalcoPod } from '../../src/kube/pods.ts';
import type { FalcoFleet, FleetExecOptions, FleetLogOptions } from '../../src/mcp/deps.ts';

export const SHARED_DIR = process.env['FALCONER_SHARED_DIR'] ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
export const OUTPUTS_DIR = join(SHARED_DIR, 'falco-outputs');

export interface RecordedCase {
  name: string;
  argv: string[];
  stdin?: string;
  rc: number;
}

export function recordedCases(): RecordedCase[] {
  return JSON.parse(readFileSync(join(OUTPUTS_DIR, 'index.json'), 'utf8')) as RecordedCase[];
}

export function caseOutput(name: string): { stdout: string; stderr: string; rc: number } {
  const dir = join(OUTPUTS_DIR, 'cases', name);
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return { stdout: read('stdout'), stderr: read('stderr'), rc: Number(read('rc').trim()) };
}

export function caseInput(c: RecordedCase): string | undefined {
  return c.stdin === undefined ? undefined : readFileSync(join(OUTPUTS_DIR, c.stdin), 'utf8');
}

export function replay(argv: readonly string[], stdin?: string): ExecResult {
  const same = (c: RecordedCase): boolean => c.argv.length === argv.length && c.argv.every((v, i) => v === argv[i]);
  const matching = recordedCases().filter(same);
  const hit = matching.find((c) => (c.stdin === undefined ? true : caseInput(c) === stdin)) ;
  const base = { stdoutTruncated: false, stderrTruncated: false, durationMs: 1 };
  if (hit === undefined) return { ...base, stdout: '', stderr: `Error: no recording for ${JSON.stringify(argv)}\n`, exitCode: 1 };
  const out = caseOutput(hit.name);
  return { ...base, stdout: out.stdout, stderr: out.stderr, exitCode: out.rc };
}

export interface FakeFleet extends FalcoFleet {
  execs: Array<{ pod: string; argv: readonly string[]; stdin?: string }>;
}

export function recordedFleet(pods: FalcoPod[], logs: Record<string, string> = {}): FakeFleet {
  const execs: FakeFleet['execs'] = [];
  return {
    execs,
    listPods: async (namespace) => pods.filter((p) => p.namespace === namespace),
    exec: async (pod: FalcoPod, argv: FalcoArgv, options: FleetExecOptions) => {
      execs.push({ pod: pod.name, argv, ...(options.stdin === undefined ? {} : { stdin: options.stdin }) });
      return replay(argv, options.stdin);
    },
    readLog: async (pod: FalcoPod, _options: FleetLogOptions) => logs[pod.name] ?? '',
  };
}
