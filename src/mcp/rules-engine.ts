import { listFieldClasses, validateRuleFiles } from '../rules/index.ts';
import type { FieldClassSummary, StaticRulesEngine } from './deps.ts';
import { toIssue } from './rule-issues.ts';

function catalogClasses(source?: string): FieldClassSummary[] {
  return listFieldClasses(source).map((c) => {
    const qualifier = c.plugin === true ? 'plugin' : c.shortDesc;
    return {
      name: c.name,
      ...(qualifier === undefined ? {} : { qualifier }),
      ...(c.desc === undefined ? {} : { description: c.desc }),
      sources: [...c.eventSources],
      fields: c.fields.map((f) => ({ name: f.name, description: f.desc, flags: [...(f.flags ?? [])] })),
    };
  });
}

function validate(files: Array<{ name: string; content: string }>, falcoVersion?: string): ReturnType<NonNullable<StaticRulesEngine['validate']>> {
  const v = validateRuleFiles(files, falcoVersion === undefined ? {} : { falcoVersion });
  return { valid: v.ok, issues: [...v.errors, ...v.warnings].map((d) => toIssue(d)), modelledFalcoVersion: v.modelledFalcoVersion };
}

/** The in-process rules engine (src/rules) as the MCP tools see it. */
export function staticRulesEngine(): StaticRulesEngine {
  return { listFieldClasses: catalogClasses, validate };
}
