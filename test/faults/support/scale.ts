/**
 * Two sizes of the same scenarios: the trimmed one runs in every `npm test` (one fault of each
 * kind, a few edits); `npm run test:faults` sets FALCONER_FAULTS=full for the numbers.
 */
import { recordFigures } from '../../support/report.ts';
import { peakOperatorRss } from './operator-process.ts';
import type { ScenarioResult } from './scenario.ts';

export const FULL = process.env['FALCONER_FAULTS'] === 'full';

export function size<T>(trimmed: T, full: T): T {
  return FULL ? full : trimmed;
}

/** Failure text listing everything a scenario got wrong, or undefined when it held. */
export function verdict(r: ScenarioResult): string | undefined {
  const problems = [
    ...r.stale.map((s) => `stale: ${s}`),
    ...r.children.map((s) => `children: ${s}`),
    ...r.recreatedJobs.map((s) => `Job created twice: ${s}`),
    ...r.exposures.map((s) => `EXPOSURE: ${s}`),
  ];
  return problems.length === 0 ? undefined : `${problems.length} problems in ${r.namespace}:\n${problems.join('\n')}`;
}

/** The scenario's line in the run's summary table (test/support/report.ts). */
export function report(source: string, r: ScenarioResult, extra: { faultsInjected?: number } = {}): void {
  const injected = extra.faultsInjected ?? r.faultsInjected;
  recordFigures(source, {
    scenariosRun: 1,
    faultsInjected: injected,
    faultsSurvived: verdict(r) === undefined ? injected : 0,
    editsLost: r.stale.length,
    unverifiedBundleExposures: r.exposures.length,
    peakOperatorMemoryBytes: peakOperatorRss(),
  });
}

/** One line for the test's diagnostics: how much the scenario actually exercised. */
export function describeRun(r: ScenarioResult): string {
  return `${r.editsAcknowledged} edits, ${r.faultsInjected} faults, ${r.templatesChecked} pod templates checked, ${r.watchGaps} watch gaps, settled in ${(r.settleMs / 1000).toFixed(1)} s`;
}
