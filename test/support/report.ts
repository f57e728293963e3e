/**
 * The reliability figures of a test run (issue 8's summary table). Test files run in separate
 * processes, so each appends JSON lines to the file named by FALCONER_REPORT_FILE (test/run.ts
 * creates it) and the runner adds them up once every file has finished. A file run on its own,
 * without the runner, records nothing.
 */
import { appendFileSync, readFileSync } from 'node:fs';

export interface Figures {
  scenariosRun: number;
  faultsInjected: number;
  faultsSurvived: number;
  badInputsTried: number;
  badInputsRefused: number;
  editsLost: number;
  unverifiedBundleExposures: number;
  /** Peak resident set (VmHWM) of any operator process, in bytes. */
  peakOperatorMemoryBytes: number;
}

const ZERO: Figures = {
  scenariosRun: 0,
  faultsInjected: 0,
  faultsSurvived: 0,
  badInputsTried: 0,
  badInputsRefused: 0,
  editsLost: 0,
  unverifiedBundleExposures: 0,
  peakOperatorMemoryBytes: 0,
};

export const REPORT_FILE_ENV = 'FALCONER_REPORT_FILE';

export function recordFigures(source: string, figures: Partial<Figures>): void {
  const file = process.env[REPORT_FILE_ENV];
  if (file === undefined || file === '') return;
  appendFileSync(file, `${JSON.stringify({ source, ...figures })}\n`);
}

/** Sums every count; the memory figure is a peak, so it takes the maximum. */
export function addUp(lines: readonly string[]): Figures {
  const total = { ...ZERO };
  for (const line of lines) {
    if (line.trim() === '') continue;
    const f = JSON.parse(line) as Partial<Figures>;
    for (const key of Object.keys(ZERO) as Array<keyof Figures>) {
      const v = f[key];
      if (typeof v !== 'number') continue;
      total[key] = key === 'peakOperatorMemoryBytes' ? Math.max(total[key], v) : total[key] + v;
    }
  }
  return total;
}

export function readFigures(file: string): Figures | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return text.trim() === '' ? undefined : addUp(text.split('\n'));
}

export function formatTable(f: Figures): string {
  const rows: Array<[string, string]> = [
    ['scenarios run', String(f.scenariosRun)],
    ['faults injected', String(f.faultsInjected)],
    ['faults survived', String(f.faultsSurvived)],
    ['bad inputs tried', String(f.badInputsTried)],
    ['bad inputs refused', String(f.badInputsRefused)],
    ['edits lost (must be 0)', String(f.editsLost)],
    ['unverified-bundle exposures (must be 0)', String(f.unverifiedBundleExposures)],
    ['peak operator memory', f.peakOperatorMemoryBytes > 0 ? `${(f.peakOperatorMemoryBytes / 1048576).toFixed(0)} MiB` : 'not measured'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const line = `+${'-'.repeat(width + 2)}+${'-'.repeat(14)}+`;
  const body = rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v.padStart(12)} |`);
  return [`Reliability and security figures`, line, ...body, line].join('\n');
}
