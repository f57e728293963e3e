/**
 * Falconer's Argo CD health checks, run in a copy of Argo CD's Lua sandbox (gopher-lua, Lua 5.1,
 * no string/math/io libraries, one-second limit; Argo CD's reduced `os` is left out too, which
 * only makes the harness stricter) against the health_test.yaml fixtures kept in Argo CD's own
 * resource_customizations layout.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { HEALTH_KINDS } from '../../src/api/generate/argocd.ts';
import { falcoMonitorSchema } from '../../src/api/monitor.ts';
import { falcoRuleSetSchema } from '../../src/api/ruleset.ts';
import { healthDir, healthTestCases, runHealthScript } from './support/argocd-health.ts';

const SCHEMAS = { FalcoMonitor: falcoMonitorSchema, FalcoRuleSet: falcoRuleSetSchema } as const;
const STATES = ['Healthy', 'Progressing', 'Degraded', 'Suspended'];

for (const kind of HEALTH_KINDS) {
  describe(`${kind} health.lua`, () => {
    const dir = healthDir(kind);
    const cases = healthTestCases(kind);

    it('gives every health_test.yaml fixture its expected status and message', async () => {
      const verdicts = await runHealthScript(join(dir, 'health.lua'), cases.map((c) => join(dir, c.inputPath)));
      for (const [i, c] of cases.entries()) {
        assert.deepEqual(verdicts[i], { input: join(dir, c.inputPath), ...c.healthStatus }, c.inputPath);
      }
    });

    it('has fixtures for Healthy, Progressing, Degraded and a deleting object, and uses every testdata file', () => {
      const statuses = new Set(cases.map((c) => c.healthStatus.status));
      for (const state of kind === 'FalcoMonitor' ? STATES : STATES.slice(0, 3)) assert.ok(statuses.has(state), state);
      assert.ok(cases.some((c) => /deleting/.test(c.inputPath) && c.healthStatus.status === 'Progressing'));
      assert.deepEqual(
        readdirSync(join(dir, 'testdata')).sort(),
        cases.map((c) => c.inputPath.replace(/^testdata\//, '')).sort(),
      );
    });

    it('uses fixtures that are valid objects of the kind, as the operator would write them', () => {
      for (const c of cases) {
        const result = SCHEMAS[kind].safeParse(parse(readFileSync(join(dir, c.inputPath), 'utf8')));
        assert.ok(result.success, `${c.inputPath}: ${result.error?.message ?? ''}`);
      }
    });
  });
}

describe('the Lua sandbox is as strict as Argo CD', () => {
  const fixture = join(healthDir('FalcoMonitor'), 'testdata', 'healthy.yaml');
  const script = (body: string): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'falconer-lua-')), 'health.lua');
    writeFileSync(path, body);
    return path;
  };

  for (const [library, call] of [
    ['string', 'string.format("%s", "Healthy")'],
    ['math', 'math.max(1, 2)'],
    ['io', 'io.write("x")'],
  ] as const) {
    it(`fails a script that calls the ${library} library`, async () => {
      const [verdict] = await runHealthScript(script(`local x = ${call}\nreturn { status = "Healthy", message = "" }\n`), [fixture]);
      assert.match(verdict?.error ?? '', /attempt to index a non-table object\(nil\)/);
    });
  }

  it('fails a script that calls a method on a string (the string metatable is not loaded)', async () => {
    const [verdict] = await runHealthScript(script('local s = ("Ready"):lower()\nreturn { status = "Healthy", message = s }\n'), [fixture]);
    assert.ok(verdict?.error !== undefined);
  });

  it('offers what the health scripts use: ipairs, tostring, concatenation and the obj global', async () => {
    const body = 'local n = 0\nfor _, c in ipairs(obj.status.conditions) do n = n + 1 end\nreturn { status = "Healthy", message = obj.kind .. " " .. tostring(n) }\n';
    assert.deepEqual(await runHealthScript(script(body), [fixture]), [{ input: fixture, status: 'Healthy', message: 'FalcoMonitor 3' }]);
  });

  it('stops a script that never ends at its deadline', async () => {
    const [verdict] = await runHealthScript(script('while true do end\n'), [fixture]);
    assert.match(verdict?.error ?? '', /context deadline exceeded/);
  });

  it('reports a status outside Argo CD’s set as Unknown, as Argo CD does', async () => {
    const [verdict] = await runHealthScript(script('return { status = "Ready", message = "fine" }\n'), [fixture]);
    assert.deepEqual(verdict, { input: fixture, status: 'Unknown', message: 'Lua returned an invalid health status' });
  });

  it('keeps the shipped scripts free of string and math calls', () => {
    for (const kind of HEALTH_KINDS) {
      const code = readFileSync(join(healthDir(kind), 'health.lua'), 'utf8').replace(/--[^\n]*/g, '');
      assert.doesNotMatch(code, /\b(string|math|os|io)\s*\./, kind);
      assert.doesNotMatch(code, /:\s*(lower|upper|find|match|gsub|sub|format|len)\s*\(/, kind);
    }
  });
});
