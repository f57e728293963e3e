import * as z from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { FalconerError, InvalidInputError } from '../../core/errors.ts';
import { describeRuleArgv, listRulesArgv } from '../../falco/argv.ts';
import { normalizePriority } from '../../falco/priority.ts';
import { parseDescribedRules } from '../../falco/rules-json.ts';
import type { RuleEntry } from '../../falco/rules-json.ts';
import { falcoError } from '../../falco/stderr.ts';
import { closeMatches } from '../close-matches.ts';
import type { McpDeps } from '../deps.ts';
import { capText, okResult, runTool, READ_ONLY_TOOL } from '../results.ts';
import { execOnOnePod, podRef, podRefSchema, targetShape } from '../target.ts';
import type { Target, ToolExtra } from '../target.ts';
import { toolInput } from '../tool-input.ts';
import type { NamedTool } from '../tool-list.ts';

export const describeRuleInput = {
  ...targetShape,
  rule: z.string().min(1).max(256).describe('Exact rule name as loaded, e.g. "Terminal shell in container".'),
};

export const describeRuleOutput = z.object({
  namespace: z.string(),
  monitor: z.string(),
  pod: podRefSchema,
  rule: z.object({
    name: z.string(),
    priority: z.string(),
    source: z.string(),
    enabled: z.boolean(),
    tags: z.array(z.string()),
    description: z.string(),
    condition: z.string(),
    output: z.string(),
    macros: z.array(z.string()),
    lists: z.array(z.string()),
    conditionFields: z.array(z.string()),
    outputFields: z.array(z.string()),
    exceptions: z.array(z.string()),
    events: z.array(z.string()),
    plugins: z.array(z.string()),
    conditionCompiled: z.string().optional().describe('Macros and lists expanded, as Falco compiled it.'),
  }),
});

type DescribedRule = z.infer<typeof describeRuleOutput>['rule'];

function toRule({ info, details }: RuleEntry): DescribedRule {
  const sorted = (xs: string[]): string[] => [...xs].sort();
  const rule: DescribedRule = {
    name: info.name,
    priority: normalizePriority(info.priority) ?? info.priority,
    source: info.source,
    enabled: info.enabled,
    tags: info.tags,
    description: capText(info.description.trim(), 2000),
    condition: capText(info.condition.trim(), 4000),
    output: capText(info.output, 2000),
    macros: sorted(details.macros),
    lists: sorted(details.lists),
    conditionFields: sorted(details.condition_fields),
    outputFields: details.output_fields,
    exceptions: details.exception_names,
    events: sorted(details.events),
    plugins: details.plugins,
  };
  if (details.condition_compiled !== undefined) rule.conditionCompiled = capText(details.condition_compiled, 4000);
  return rule;
}

/** Falco says `Rule "<name>" is not loaded`; answer with the loaded names closest to it. */
async function unknownRule(deps: McpDeps, args: Target, rule: string, extra: ToolExtra): Promise<never> {
  let hint = '';
  try {
    const { result } = await execOnOnePod(deps, args, listRulesArgv(), extra);
    const names = parseDescribedRules(result.stdout).rules.map((r) => r.info.name);
    const close = closeMatches(rule, names);
    hint = close.length > 0 ? ` Close matches: ${close.map((n) => `"${n}"`).join(', ')}.` : ' No loaded rule has a similar name; falco_list_rules lists them.';
  } catch {
    hint = ' falco_list_rules lists the loaded rules.';
  }
  throw new InvalidInputError(`Rule "${rule}" is not loaded in this monitor's Falco.${hint}`, { field: 'rule' });
}

export function registerDescribeRule(server: McpServer, deps: McpDeps): NamedTool {
  const name = 'falco_describe_rule';
  const tool = server.registerTool(
    name,
    {
      title: 'Describe one loaded Falco rule',
      description:
        'Runs `falco -l <rule>` (JSON) in a Falco pod of a FalcoMonitor: the rule as loaded (after appends and ' +
        'overrides) with its condition, output, priority, tags, the macros and lists it uses, the fields it reads ' +
        'and its compiled condition. An unknown name gets an error listing close matches.',
      inputSchema: toolInput(describeRuleInput),
      outputSchema: describeRuleOutput,
      annotations: READ_ONLY_TOOL,
    },
    async (args, extra) =>
      runTool('falco_describe_rule', deps.logger, async () => {
        const { ref, pod, result } = await execOnOnePod(deps, args, describeRuleArgv(args.rule), extra);
        const error = falcoError(result.stderr);
        if (result.exitCode !== 0 && error?.includes('is not loaded') === true) return unknownRule(deps, args, args.rule, extra);
        if (result.exitCode !== 0) throw new FalconerError(`falco -l failed in pod ${pod.name}: ${error ?? `exit status ${result.exitCode}`}`);
        const entry = parseDescribedRules(result.stdout).rules[0];
        if (entry === undefined) throw new FalconerError(`falco -l printed no rule for "${args.rule}".`);
        const rule = toRule(entry);
        const text = [
          `${rule.name} [${rule.priority}, ${rule.source}${rule.enabled ? '' : ', disabled'}] tags: ${rule.tags.join(', ')}`,
          `condition: ${rule.condition}`,
          `output: ${rule.output}`,
          `macros: ${rule.macros.join(', ') || '-'}; lists: ${rule.lists.join(', ') || '-'}`,
        ].join('\n');
        return okResult(text, { ...ref, pod: podRef(pod), rule });
      }),
  );
  return { name, tool };
}
