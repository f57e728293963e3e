import * as z from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InvalidInputError } from '../../core/errors.ts';
import { assertRulesPath, dryRunArgv, validateArgv } from '../../falco/argv.ts';
import { falcoError, loadedPlugins, loadedRulesFiles, loggedFalcoVersion } from '../../falco/stderr.ts';
import type { McpDeps } from '../deps.ts';
import { okResult, runTool, READ_ONLY_TOOL } from '../results.ts';
import { candidateShape, loadCandidate } from '../rule-source.ts';
import { execOnOnePod, podRef, podRefSchema, resolveMonitor, targetShape } from '../target.ts';
import { candidateVerdict, issueSchema } from '../rule-issues.ts';
import { toolInput } from '../tool-input.ts';
import type { NamedTool } from '../tool-list.ts';

export const dryRunInput = { ...targetShape, ...candidateShape };

export const dryRunOutput = z.object({
  pod: podRefSchema,
  starts: z.boolean().describe('True when Falco loaded its configuration, plugins and rules (and the candidate, if any).'),
  falcoVersion: z.string().optional(),
  plugins: z.array(z.object({ name: z.string(), version: z.string() })),
  rulesFiles: z.array(z.object({ path: z.string(), schemaValidation: z.string().optional() })),
  error: z.string().optional(),
  candidate: z
    .object({ subject: z.string(), valid: z.boolean(), issues: z.array(issueSchema), error: z.string().optional() })
    .optional(),
  note: z.string().optional(),
});

type Output = z.infer<typeof dryRunOutput>;

/**
 * The files the candidate is validated after: those the dry run loaded, except empty ones
 * (Falco logs "schema validation: none" for them, as for the stock, empty
 * falco_rules.local.yaml) which add nothing. Paths outside the allow-listed rules folders
 * (/etc/falco, Falconer's bundle mount) are never put on argv.
 */
export function baseFiles(files: Output['rulesFiles']): string[] {
  return files
    .filter((f) => f.schemaValidation !== 'none')
    .map((f) => f.path)
    .filter((p) => {
      try {
        assertRulesPath(p);
        return true;
      } catch (err) {
        if (err instanceof InvalidInputError) return false;
        throw err;
      }
    });
}

export function registerDryRun(server: McpServer, deps: McpDeps): NamedTool {
  const name = 'falco_dry_run';
  const tool = server.registerTool(
    name,
    {
      title: 'Dry-run Falco in a monitor pod',
      description:
        'Runs `falco --dry-run` in a Falco pod of a FalcoMonitor: loads the mounted configuration, plugins and rules ' +
        'without processing events, and reports whether this Falco would start, which rules files and plugins it ' +
        'loaded, and the error if not. With candidate rules (YAML or a FalcoRuleSet) it also validates them with ' +
        '`falco -V` after the rules that pod loads. Nothing is changed.',
      inputSchema: toolInput(dryRunInput),
      outputSchema: dryRunOutput,
      annotations: READ_ONLY_TOOL,
    },
    async (args, extra) =>
      runTool('falco_dry_run', deps.logger, async () => {
        const ref = await resolveMonitor(deps, args);
        const withCandidate = args.rules !== undefined || args.ruleSet !== undefined;
        const candidate = withCandidate ? await loadCandidate(deps, args, ref.namespace) : undefined;
        const target = { ...args, ...ref };
        const { pod, result } = await execOnOnePod(deps, target, dryRunArgv(), extra);
        const error = result.exitCode === 0 ? undefined : (falcoError(result.stderr) ?? `exit status ${result.exitCode}`);
        const falcoVersion = loggedFalcoVersion(result.stderr);
        const out: Output = {
          pod: podRef(pod),
          starts: result.exitCode === 0,
          ...(falcoVersion === undefined ? {} : { falcoVersion }),
          plugins: loadedPlugins(result.stderr),
          rulesFiles: loadedRulesFiles(result.stderr),
          ...(error === undefined ? {} : { error }),
        };
        if (candidate !== undefined && out.starts) {
          // `-r` keeps only *.yaml paths since Falco 0.41, so /dev/stdin cannot join a dry run;
          // `-V` after the loaded files checks the same load order with the candidate last.
          const bases = baseFiles(out.rulesFiles);
          const run = await execOnOnePod(deps, { ...target, node: pod.node }, validateArgv(bases), extra, candidate.content);
          const v = candidateVerdict(run.result.stdout, run.result.stderr, run.result.exitCode);
          out.candidate = { subject: candidate.label, valid: v.valid, issues: v.issues, ...(v.error === undefined ? {} : { error: v.error }) };
          out.starts = v.valid;
          out.note = `Candidate validated with falco -V after: ${bases.join(', ') || 'no base files'}.`;
        }
        const lines = [
          `Falco in ${pod.name} ${out.starts ? 'starts' : 'would NOT start'}${candidate === undefined ? '' : ` with ${candidate.label}`}.`,
          `Rules files: ${out.rulesFiles.map((f) => f.path).join(', ') || 'none logged'}; ` +
            `plugins: ${out.plugins.map((p) => `${p.name}@${p.version}`).join(', ') || 'none'}.`,
          ...(error === undefined ? [] : [`Error: ${error}`]),
          ...(out.candidate?.issues ?? []).map((i) => `${i.code} at line ${i.line ?? '?'}: ${i.message}`),
        ];
        return okResult(lines.join('\n'), out);
      }),
  );
  return { name, tool };
}
