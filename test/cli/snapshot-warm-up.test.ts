import assert from 'node:assert/strict';
import { test } from 'node:test';
import { warmUpRuleFiles } from '../../src/cli/snapshot/warm-up-rules.ts';
import { validateRuleFiles } from '../../src/rules/validate.ts';

// Falco stops compiling a file at its first error: the warm-up's good file must load whole, or
// the snapshot would hold the code of half of it. (The real Falco 0.42.1 says the same of it:
// `Ok, with warnings`.)
test('the validate snapshot warms up on a file that loads, then on mistakes that do not', () => {
  const [good, withMistakes] = warmUpRuleFiles().map((files) => files.map((f) => ({ name: f.name, content: f.text })));
  for (const falcoVersion of ['0.42.1', '0.44.1']) {
    const ok = validateRuleFiles(good ?? [], { falcoVersion });
    assert.deepEqual(ok.errors, [], falcoVersion);
    assert.ok(ok.counts.rules >= 6 && ok.warnings.length > 0, falcoVersion);
    assert.equal(validateRuleFiles(withMistakes ?? [], { falcoVersion }).ok, false, falcoVersion);
  }
});
