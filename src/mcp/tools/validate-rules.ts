import * as z from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { DEFAULT_FALCO_TAG } from '../../api/monitor-image.ts';
import { validateArgv } from '../../falco/argv.ts';
import { falcoVersionOfImage } from '../../rules/falco-versions.ts';
import type { McpDeps } from '../deps.ts';
import { okResult, runTool, READ_ONLY_TOOL } from '../results.ts';
import { candidateVerdict, issueSchema } from '../rule-issues.ts';
import type { Issue } from '../rule-issues.ts';
import { candidateShape, loadCandidate } from '../rule-source.ts';
import type { Candidate } from '../rule-source.ts';
import { execOnOnePod, podRef, podRefSchema, resolveMonitor, targetShape } from '../target.ts';
import { toolInput } from '../tool-input.ts';
import type { NamedTool } from '../tool-list.ts';

export const validateRulesInput = {
  ...targetShape,
  ...candidateShape,
  withLoadedRules: z
    .boolean()
    .default(true)
    .describe('Validate after the stock falco_rules.yaml so the candidate may use its macros and lists.'),
};

export const validateRulesOutput = z.object({
  valid: z.boolean().describe('Falco accepted the candidate (and, when checked alone, the static check found no error).'),
  subject: z.string(),
  static: z.object({
    available: z.boolean(),
    valid: z.boolean().optional(),
    scope: z.enum(['candidate alone']).optional().describe('The static check never sees the pod\'s loaded rules.'),
    falcoVersion: z.string().optional().describe("The Falco release asked of the static check: the one the monitor's image tag names."),
    modelledFalcoVersion: z
      .string()
      .optional()
      .describe('The Falco release whose loader the static check modelled; absent when that release is not modelled (version-dependent findings are then warnings).'),
    issues: z.array(issueSchema),
  }),
  falco: z.object({
    pod: podRefSchema,
    valid: z.boolean(),
    issues: z.array(issueSchema),
    schemaWarnings: z.array(z.string()),
    error: z.string().optional().describe('Set when Falco stopped before validating.'),
  }),
});

type StaticPart = z.infer<typeof validateRulesOutput>['static'];

function staticVerdict(deps: McpDeps, candidate: Candidate, falcoVersion: string): StaticPart {
  const validate = deps.rulesEngine?.validate;
  if (validate === undefined) return { available: false, issues: [] };
  const verdict = validate([{ name: 'candidate', content: candidate.content }], falcoVersion);
  return {
    available: true,
    valid: verdict.valid,
    scope: 'candidate alone',
    falcoVersion,
    ...(verdict.modelledFalcoVersion !== undefined ? { modelledFalcoVersion: verdict.modelledFalcoVersion } : {}),
    issues: verdict.issues,
  };
}

/** The release the monitor's image names (as the operator's static check models it). */
async function monitorFalcoVersion(deps: McpDeps, ref: { namespace: string; monitor: string }): Promise<string> {
  const monitor = await deps.objects.getMonitor(ref.namespace, ref.monitor);
  const image = (monitor?.spec as { image?: { tag?: string; digest?: string } } | undefined)?.image ?? {};
  return falcoVersionOfImage(image, DEFAULT_FALCO_TAG);
}

function describeIssue(i: Issue): string {
  const at = i.line === undefined ? '' : ` at line ${i.line}${i.column === undefined ? '' : `, column ${i.column}`}`;
  return `${i.severity} ${i.code}${at}: ${i.message}`;
}

export function registerValidateRules(server: McpServer, deps: McpDeps): NamedTool {
  const name = 'falco_validate_rules';
  const tool = server.registerTool(
    name,
    {
      title: 'Validate a Falco rules file',
      description:
        'Checks candidate rules (YAML text, or a FalcoRuleSet by name) with the real `falco -V` inside a Falco pod ' +
        'of the monitor (streamed over stdin, after the stock rules so it may use their macros) and with Falconer\'s ' +
        'static rules engine (which sees the candidate alone). Returns each error and warning with Falco\'s code and ' +
        '1-based line and column. Nothing is written to the cluster.',
      inputSchema: toolInput(validateRulesInput),
      outputSchema: validateRulesOutput,
      annotations: READ_ONLY_TOOL,
    },
    async (args, extra) =>
      runTool('falco_validate_rules', deps.logger, async () => {
        const ref = await resolveMonitor(deps, args);
        const candidate = await loadCandidate(deps, args, ref.namespace);
        const argv = validateArgv(args.withLoadedRules ? undefined : []);
        const { pod, result } = await execOnOnePod(deps, { ...args, ...ref }, argv, extra, candidate.content);
        const verdict = candidateVerdict(result.stdout, result.stderr, result.exitCode);
        const stat = staticVerdict(deps, candidate, await monitorFalcoVersion(deps, ref));
        const falco = { pod: podRef(pod), ...verdict };
        // With the loaded rules, Falco has the last word: the static engine cannot see their
        // macros and lists, so its "undefined macro" findings there are expected, not errors.
        const valid = falco.valid && (args.withLoadedRules || stat.valid !== false);
        const modelled = stat.modelledFalcoVersion === undefined ? `Falco ${stat.falcoVersion ?? '?'} not modelled` : `as Falco ${stat.modelledFalcoVersion}`;
        const staticWord = stat.available ? `${stat.valid === true ? 'ok' : 'rejected'}, ${modelled}` : 'not available';
        const lines = [
          `${candidate.label}: ${valid ? 'valid' : 'INVALID'} (falco -V in ${pod.name}: ${falco.valid ? 'ok' : 'rejected'}; ` +
            `static check of the candidate alone: ${staticWord})`,
          ...(falco.error === undefined ? [] : [`Falco stopped: ${falco.error}`]),
          ...falco.issues.map((i) => `falco: ${describeIssue(i)}`),
          ...stat.issues.map((i) => `static: ${describeIssue(i)}`),
        ];
        return okResult(lines.join('\n'), { valid, subject: candidate.label, static: stat, falco });
      }),
  );
  return { name, tool };
}
