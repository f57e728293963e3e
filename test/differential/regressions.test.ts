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

/** Calls `fn` with `frames` more frames on the stack, so it runs with less of the stack left. */
function withStackUsed<T>(frames: number, fn: () => T): T {
  return frames <= 0 ? fn() : withStackUsed(frames - 1, fn);
}

test('a rules file nested past yaml-cpp\'s depth guard gets the same answer however little stack is left', () => {
  const deep = cases.find((c) => c.name === 'limits-fa48c33b5bf5');
  assert.ok(deep !== undefined, 'the recorded case nested 1,067 deep is missing');
  const answers = [0, 2_000, 6_000].map((frames) => withStackUsed(frames, () => falconerRun(deep.content, deep.version)));
  for (const ours of answers) assert.deepEqual(differences(deep.real, ours), []);
});
