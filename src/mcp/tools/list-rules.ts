import * as z from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { FalconerError } from '../../core/errors.ts';
import { sanitizeText } from '../../falco/alerts.ts';
import { listRulesArgv, SOURCE_PATTERN } from '../../falco/argv.ts';
import { falcoPrioritySchema, isAtLeast, normalizePriority } from '../../falco/priority.ts';
import type { FalcoPriority } from '../../falco/priority.ts';
import { parseDescribedRules } from '../../falco/rules-json.ts';
import type { RuleEntry } from '../../falco/rules-json.ts';
import { falcoError } from '../../falco/stderr.ts';
import type { McpDeps } from '../deps.ts';
import { decodeCursor, paginate } from '../pagination.ts';
import { okResult, runTool, READ_ONLY_TOOL } from '../results.ts';
import { execOnOnePod, podRef, podRefSchema, targetShape } from '../target.ts';
import { toolInput } from '../tool-input.ts';
import type { NamedTool } from '../tool-list.ts';

export const listRulesFilters = {
  name: z.string().max(200).optional().describe('Case-insensitive substring of the rule name.'),
  tag: z.string().max(100).optional().describe('Exact tag, e.g. "container" or "mitre_execution".'),
  minPriority: falcoPrioritySchema.optional().describe('Only rules at this priority or more severe.'),
  source: z
    .string()
    .max(64)
    .regex(SOURCE_PATTERN, 'must be a Falco event source name: lower-case letters, digits and "_", e.g. "syscall"')
    .optional()
    .describe('Event source, e.g. "syscall".'),
  enabled: z.boolean().optional().describe('Only enabled (true) or disabled (false) rules.'),
};

export const listRulesInput = {
  ...targetShape,
  ...listRulesFilters,
  limit: z.number().int().min(1).max(200).default(50).describe('Rules per page.'),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page.'),
};

const ruleSummarySchema = z.object({
  name: z.string(),
  priority: z.string(),
  source: z.string(),
  enabled: z.boolean(),
  tags: z.array(z.string()),
  description: z.string(),
});

export const listRulesOutput = z.object({
  namespace: z.string(),
  monitor: z.string(),
  pod: podRefSchema,
  totalLoaded: z.number().int().describe('Rules Falco has loaded, before filters.'),
  macros: z.number().int(),
  lists: z.number().int(),
  matched: z.number().int(),
  rules: z.array(ruleSummarySchema),
  nextCursor: z.string().optional(),
});

interface Filters {
  name?: string | undefined;
  tag?: string | undefined;
  minPriority?: FalcoPriority | undefined;
  source?: string | undefined;
  enabled?: boolean | undefined;
}

export function filterRules(rules: readonly RuleEntry[], f: Filters): RuleEntry[] {
  const needle = f.name?.toLowerCase();
  return rules
    .filter(({ info }) =>
      (needle === undefined || info.name.toLowerCase().includes(needle)) &&
      (f.tag === undefined || info.tags.includes(f.tag)) &&
      (f.minPriority === undefined || isAtLeast(info.priority, f.minPriority)) &&
      (f.source === undefined || info.source === f.source) &&
      (f.enabled === undefined || info.enabled === f.enabled),
    )
    .sort((a, b) => a.info.name.localeCompare(b.info.name));
}

function summary({ info }: RuleEntry): z.infer<typeof ruleSummarySchema> {
  return {
    name: info.name,
    priority: normalizePriority(info.priority) ?? info.priority,
    source: info.source,
    enabled: info.enabled,
    tags: info.tags,
    description: sanitizeText(info.description.trim(), 300).text,
  };
}

export function registerListRules(server: McpServer, deps: McpDeps): NamedTool {
  const name = 'falco_list_rules';
  const tool = server.registerTool(
    name,
    {
      title: 'List the rules Falco has loaded',
      description:
        'Runs `falco -L` (JSON) in a Falco pod of a FalcoMonitor: the rules actually loaded there, after ' +
        'appends and overrides. Filter by name substring, tag, minimum priority, source or enabled; results are ' +
        'sorted by name and paginated (pass nextCursor back as cursor). Use falco_describe_rule for one rule in full.',
      inputSchema: toolInput(listRulesInput),
      outputSchema: listRulesOutput,
      annotations: READ_ONLY_TOOL,
    },
    async (args, extra) =>
      runTool('falco_list_rules', deps.logger, async () => {
        const filters = { name: args.name, tag: args.tag, minPriority: args.minPriority, source: args.source, enabled: args.enabled };
        const offset = decodeCursor(args.cursor, filters);
        const { ref, pod, result } = await execOnOnePod(deps, args, listRulesArgv(), extra);
        if (result.exitCode !== 0) {
          throw new FalconerError(`falco -L failed in pod ${pod.name}: ${falcoError(result.stderr) ?? `exit status ${result.exitCode}`}`);
        }
        const described = parseDescribedRules(result.stdout);
        const matched = filterRules(described.rules, filters);
        const page = paginate(matched, offset, args.limit, filters);
        const out = {
          ...ref,
          pod: podRef(pod),
          totalLoaded: described.rules.length,
          macros: described.macros.length,
          lists: described.lists.length,
          matched: matched.length,
          rules: page.items.map(summary),
          ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
        };
        const shown = page.items.length === 0 ? 'none on this page' : `showing ${offset + 1}-${offset + page.items.length}`;
        const head = `${matched.length} of ${described.rules.length} loaded rules match in ${pod.name}; ${shown}.`;
        const rows = out.rules.map((r) => `- ${r.name} [${r.priority}${r.enabled ? '' : ', disabled'}] ${r.tags.join(',')}`);
        const more = page.nextCursor === undefined ? '' : '\nMore rules: call again with the nextCursor.';
        return okResult(`${head}\n${rows.join('\n')}${more}`, out);
      }),
  );
  return { name, tool };
}
