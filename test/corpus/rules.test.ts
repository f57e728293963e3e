/**
 * The rules-document door of the bad-input corpus: the static check answers every entry of
 * bad-rules.ts with a clear error (a Falco load code and a message) in bounded memory, and never
 * throws. How long each takes is a benchmark figure (`npm run bench -- --only=rules`), not an
 * assertion here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateRuleFiles } from '../../src/rules/index.ts';
import { recordFigures } from '../support/report.ts';
import { BAD_RULES } from './bad-rules.ts';

const MAX_RSS_GROWTH = 512 * 1024 * 1024;

describe('bad rules documents at the static check', () => {
  it(`refuses every bad document of the ${BAD_RULES.length} with a code and a message, in bounded time and memory`, () => {
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    let refused = 0;
    const problems: string[] = [];
    for (const bad of BAD_RULES) {
      let result: ReturnType<typeof validateRuleFiles> | undefined;
      try {
        result = validateRuleFiles([{ name: 'corpus.yaml', content: bad.content }]);
      } catch (err) {
        problems.push(`${bad.id}: threw ${String(err).slice(0, 200)}`);
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      if (result === undefined || bad.expect === 'bounded') continue;
      const first = result.errors[0];
      if (result.ok || first === undefined) problems.push(`${bad.id}: accepted`);
      else if (!/^LOAD_ERR_/.test(first.code) || first.message.trim().length < 5) problems.push(`${bad.id}: unclear error ${JSON.stringify(first).slice(0, 200)}`);
      else refused += 1;
    }
    const tried = BAD_RULES.filter((b) => b.expect === 'error').length;
    recordFigures('corpus/rules', { badInputsTried: tried, badInputsRefused: refused });
    assert.deepEqual(problems, []);
    assert.ok(peak - rssBefore < MAX_RSS_GROWTH, `memory grew by ${((peak - rssBefore) / 1048576).toFixed(0)} MiB`);
  });
});
