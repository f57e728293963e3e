/**
 * `npm run test:differential -- [--count N] [--seed S] [--version 0.42.1|0.44.1]... [--family F]...
 *                              [--show N] [--record] [--fresh]`
 *
 * Generates N rules files per Falco version, runs the real binary and Falconer on each, prints the
 * per-family agreement table. `--show` prints the first disagreements; `--record` commits them as
 * regression cases (test/differential/cases/, expected output from the real binary; a few per kind
 * of disagreement) checked by regressions.test.ts.
 */
import { parseArgs } from 'node:util';
import { FALCO_VERSIONS } from '../support/falco-rootfs.ts';
import type { FalcoVersion } from '../support/falco-rootfs.ts';
import { summarize } from './compare.ts';
import { FAMILIES } from './generate.ts';
import type { Family } from './generate.ts';
import { recordCase } from './cases.ts';
import { RealFalco } from './real-falco.ts';
import { formatReport, runDifferential } from './run.ts';
import type { Disagreement } from './run.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    version: { type: 'string', multiple: true },
    family: { type: 'string', multiple: true },
    show: { type: 'string', default: '0' },
    record: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
  },
});

const versions = (values.version ?? [...FALCO_VERSIONS]) as FalcoVersion[];
for (const v of versions) {
  if (!(FALCO_VERSIONS as readonly string[]).includes(v)) throw new Error(`--version must be one of ${FALCO_VERSIONS.join(', ')}, not ${v}`);
  if (!RealFalco.available(v)) throw new Error(`The real Falco ${v} is not available here (needs root and ../shared)`);
}
const families = (values.family ?? [...FAMILIES]) as Family[];
for (const f of families) if (!(FAMILIES as readonly string[]).includes(f)) throw new Error(`unknown family ${f}; known: ${FAMILIES.join(', ')}`);

function show(d: Disagreement): string {
  const real = summarize(d.real);
  const ours = summarize(d.ours);
  const lines = [`--- ${d.case.family} ${d.case.id} differs on ${d.aspects.join(', ')}`, d.case.content.toString('utf8').slice(0, 600)];
  for (const a of d.aspects.filter((x) => x !== 'exact')) lines.push(`  ${a}:\n    falco:    ${real[a].slice(0, 400)}\n    falconer: ${ours[a].slice(0, 400)}`);
  return lines.join('\n');
}

const signatures = new Map<string, number>();
for (const version of versions) {
  const count = Number(values.count);
  const report = await runDifferential({
    seed: Number(values.seed),
    count,
    version,
    families,
    fresh: values.fresh,
    onProgress: (n) => {
      if (n % 500 === 0) process.stderr.write(`  ${version}: ${n}/${count}\n`);
    },
  });
  console.log(formatReport(report));
  for (const d of report.disagreements.slice(0, Number(values.show))) console.log(show(d));
  if (values.record) {
    let recorded = 0;
    for (const d of report.disagreements) {
      const sig = `${version} ${d.case.family} ${d.aspects.join(',')} ${summarize(d.real).codes.split(' ')[0]} ${summarize(d.ours).codes.split(' ')[0]}`;
      const seen = signatures.get(sig) ?? 0;
      if (seen >= 2) continue;
      signatures.set(sig, seen + 1);
      recordCase(version, d.case, d.real);
      recorded++;
    }
    console.log(`recorded ${recorded} regression cases for ${version}`);
  }
}
