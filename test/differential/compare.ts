/**
 * Compares what the real Falco printed for one file with what `falconer validate --json` prints,
 * aspect by aspect, so the run can report how far the two agree and on what.
 */
import { falcoValidateCommand } from '../../src/rules/index.ts';
import type { FalcoRun } from './real-falco.ts';
import { CASE_PATH } from './real-falco.ts';

export const ASPECTS = ['verdict', 'exit', 'codes', 'messages', 'positions', 'schema', 'exact'] as const;
export type Aspect = (typeof ASPECTS)[number];

interface Message {
  readonly code: string;
  readonly message: string;
  readonly context: { readonly locations: ReadonlyArray<{ readonly position: { line: number; column: number; offset: number } }> };
}
interface Entry {
  readonly successful: boolean;
  readonly errors: readonly Message[];
  readonly warnings: readonly Message[];
  readonly schema_valid?: boolean;
  readonly schema_warnings?: readonly string[];
}

/** The parts of one outcome that are compared. */
export interface Summary {
  readonly verdict: string;
  readonly exit: string;
  readonly codes: string;
  readonly messages: string;
  readonly positions: string;
  readonly schema: string;
  readonly exact: string;
}

export function summarize(run: FalcoRun): Summary {
  let entry: Entry | undefined;
  try {
    const doc = JSON.parse(run.stdout) as { falco_load_results?: Entry[] };
    entry = doc.falco_load_results?.[0];
  } catch {
    entry = undefined;
  }
  const exit = String(run.status);
  if (entry === undefined) {
    const verdict = typeof run.status === 'string' ? 'crash' : run.fatal !== undefined ? 'fatal' : 'no-report';
    const fatal = run.fatal ?? '';
    return { verdict, exit, codes: verdict, messages: fatal, positions: verdict, schema: verdict, exact: `${run.stdout}\n${fatal}` };
  }
  const all = [...entry.errors.map((m) => ['E', m] as const), ...entry.warnings.map((m) => ['W', m] as const)];
  return {
    verdict: entry.successful ? 'ok' : 'invalid',
    exit,
    codes: all.map(([k, m]) => `${k}:${m.code}`).join(' '),
    messages: all.map(([k, m]) => `${k}:${m.code}: ${m.message}`).join('\n'),
    positions: all
      .map(([k, m]) => `${k}:${m.code}@${m.context.locations.map((l) => `${l.position.line}:${l.position.column}:${l.position.offset}`).join('/')}`)
      .join(' '),
    schema: `${String(entry.schema_valid)} ${JSON.stringify(entry.schema_warnings ?? [])}`,
    exact: run.stdout,
  };
}

/** `falconer validate --json` on one file, through the same function the command uses. */
export function falconerRun(content: Buffer, falcoVersion: string): FalcoRun {
  const out = falcoValidateCommand([{ name: CASE_PATH, bytes: content }], { json: true, falcoVersion, parseCache: false });
  const line = out.stderr.split('\n').find((l) => l.startsWith('Error: ') || l.startsWith('Runtime error: '));
  const fatal = out.stdout === '' && line !== undefined ? line.replace(/^Error: /, '') : undefined;
  return { status: out.exitCode, stdout: out.stdout, ...(fatal !== undefined ? { fatal } : {}) };
}

/** The aspects on which the two outcomes differ (empty: full agreement). */
export function differences(real: FalcoRun, ours: FalcoRun): Aspect[] {
  const a = summarize(real);
  const b = summarize(ours);
  return ASPECTS.filter((k) => a[k] !== b[k]);
}
