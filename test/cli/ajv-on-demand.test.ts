/**
 * The bundle loads Ajv on demand (src/build/ajv-on-demand.ts): no chunk or snapshot script holds
 * Ajv's code but its own file, dist/cli/ajv-provider.cjs, which validates as the MCP SDK's
 * provider does when an elicitation's answer needs checking.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type * as Provider from '@modelcontextprotocol/sdk/validation/ajv';
import { AJV_PROVIDER_FILE } from '../../src/build/ajv-on-demand.ts';
import { shippedCli } from '../support/shipped-cli.ts';

const bundle = dirname(shippedCli());

/** The node_modules packages a bundled file was built from, read from its source map. */
function packagesIn(file: string): Set<string> {
  const { sources } = JSON.parse(readFileSync(join(bundle, `${file}.map`), 'utf8')) as { sources: string[] };
  return new Set(sources.flatMap((s) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s)?.[1] ?? []));
}

describe('Ajv on demand in the bundle', () => {
  it('is in its own file only', () => {
    const scripts = readdirSync(bundle).filter((f) => /\.c?js$/.test(f));
    assert.ok(scripts.includes('main.js') && scripts.includes('snapshot-mcp.cjs'), scripts.join(' '));
    const holding = scripts.filter((f) => ['ajv', 'ajv-formats'].some((p) => packagesIn(f).has(p)));
    assert.deepEqual(holding, [AJV_PROVIDER_FILE]);
    // The MCP server is bundled with the stand-in in its place.
    assert.ok(scripts.some((f) => packagesIn(f).has('@modelcontextprotocol/sdk') && readFileSync(join(bundle, `${f}.map`), 'utf8').includes('src/build/ajv-on-demand.ts')));
  });

  it('validates with the SDK\'s provider from that file, formats included', () => {
    const provider = createRequire(import.meta.url)(join(bundle, AJV_PROVIDER_FILE)) as typeof Provider;
    const check = new provider.AjvJsonSchemaValidator().getValidator<{ email: string }>({
      type: 'object',
      properties: { email: { type: 'string', format: 'email' } },
      required: ['email'],
    });
    assert.deepEqual(check({ email: 'a@example.com' }), { valid: true, data: { email: 'a@example.com' }, errorMessage: undefined });
    const bad = check({ email: 'not an address' });
    assert.equal(bad.valid, false);
    assert.match(bad.errorMessage ?? '', /email/);
  });
});
