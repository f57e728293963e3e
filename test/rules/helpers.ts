import { readFileSync } from 'node:fs';
import { validateRuleFiles } from '../../src/rules/index.ts';
import type { RuleDiagnostic, RulesValidation, ValidateOptions } from '../../src/rules/index.ts';

/** The shared test data beside the repository (../shared from the repo root). */
export const SHARED = new URL('../../../shared/', import.meta.url);

export function shared(path: string): string {
  return readFileSync(new URL(path, SHARED), 'utf8');
}

export const PUBLISHED = {
  stable: 'falco-rules/falco_rules.yaml',
  incubating: 'falco-rules/falco-incubating_rules.yaml',
  sandbox: 'falco-rules/falco-sandbox_rules.yaml',
} as const;

/**
 * Validates one in-memory rules file named `rules.yaml`, modelling Falco 0.42.1: these tests'
 * expected messages are what a real Falco 0.42.1 printed (../shared/falco-outputs); 0.44.1's
 * differences have tests of their own (falco-versions.test.ts, test/differential/).
 */
export function validateOne(content: string, options?: ValidateOptions): RulesValidation {
  return validateRuleFiles([{ name: 'rules.yaml', content }], { falcoVersion: '0.42.1', ...options });
}

/** A complete, valid rule; `extra` lines (indented two spaces) are appended. */
export function rule(
  name: string,
  opts: { condition?: string; output?: string; extra?: string; priority?: string } = {},
): string {
  return [
    `- rule: ${name}`,
    '  desc: a test rule',
    `  condition: ${opts.condition ?? 'evt.type = open'}`,
    `  output: ${opts.output ?? 'opened %fd.name by %proc.name'}`,
    `  priority: ${opts.priority ?? 'WARNING'}`,
    ...(opts.extra === undefined ? [] : [opts.extra.replace(/\n$/, '')]),
    '',
  ].join('\n');
}

export function all(v: RulesValidation): RuleDiagnostic[] {
  return [...v.errors, ...v.warnings];
}

export function codes(v: RulesValidation): string[] {
  return all(v).map((d) => d.code);
}
