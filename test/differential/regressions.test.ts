import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarize, differences, falconerRun } from './compare.ts';
import { recordedCases } from './cases.ts';
import { KNOWN_DIFFERENCES } from './known-differences.ts';

/**
 * Every disagreement the differential run found, kept as a case: the rules file and the real
 * Falco's outcome for it (recorded by `npm run test:differential -- --record`, never edited by
 * hand). Falconer must now print what the binary printed, except the few differences listed in
 * known-differences.ts with the reason they remain.
 */
const cases = recordedCases();

test('regression cases are present', () => {
  assert.ok(cases.length > 0, 'test/differential/cases/ holds no recorded cases');
});

for (const c of cases) {
  const known = KNOWN_DIFFERENCES[`${c.version}/${c.name}`];
  // An outcome that changes from one process to the next is shown as skipped, with why, not checked.
  const skip = known?.unstable === true ? `unstable: ${known.reason}` : false;
  test(`${c.version} ${c.name}: Falconer prints what the real Falco printed${known ? ' (known difference)' : ''}`, { skip }, () => {
    const ours = falconerRun(c.content, c.version);
    const diff = differences(c.real, ours);
    if (known !== undefined) {
      // still differing on what the note says; when it agrees, the note must go
      assert.ok(diff.length > 0, `now agrees with Falco: remove it from known-differences.ts (${known.reason})`);
      for (const aspect of diff) assert.ok(known.aspects.includes(aspect), `differs on ${aspect} too`);
      return;
    }
    const real = summarize(c.real);
    const mine = summarize(ours);
    assert.deepEqual(
      Object.fromEntries(diff.map((a) => [a, mine[a]])),
      Object.fromEntries(diff.map((a) => [a, real[a]])),
    );
  });
}
