import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAMILIES } from './generate.ts';
import { RealFalco } from './real-falco.ts';
import { formatReport, runDifferential } from './run.ts';
import { summarize } from './compare.ts';

/**
 * A bounded, seeded slice of the differential run against both real Falco binaries (the large
 * run is `npm run test:differential`). Seed and size are fixed, so the slice is the same files
 * every time; it checks that the two agree on every verdict and exit status of the slice.
 */
const SEED = 20261207;
const COUNT = 2 * FAMILIES.length;

for (const version of ['0.42.1', '0.44.1'] as const) {
  test(`differential slice against the real Falco ${version}`, { skip: !RealFalco.available(version) && 'needs root and ../shared' }, async () => {
    const report = await runDifferential({ seed: SEED, count: COUNT, version });
    const table = formatReport(report);
    const wrong = report.disagreements.filter((d) => d.aspects.includes('verdict') || d.aspects.includes('exit'));
    assert.deepEqual(
      wrong.map((d) => `${d.case.family} ${d.case.id}: falco ${summarize(d.real).verdict}/${d.real.status}, falconer ${summarize(d.ours).verdict}/${d.ours.status}`),
      [],
      table,
    );
    assert.equal([...report.byFamily.values()].reduce((n, t) => n + t.total, 0), COUNT);
  });
}
