import * as z from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { FalconerError, InvalidInputError, describeError } from '../../core/errors.ts';
import { assertSource, listFieldsArgv } from '../../falco/argv.ts';
import { parseFieldList } from '../../falco/fields-text.ts';
import type { FalcoFieldClass } from '../../falco/fields-text.ts';
import { falcoError } from '../../falco/stderr.ts';
import type { McpDeps } from '../deps.ts';
import { decodeCursor, paginate } from '../pagination.ts';
import { okResult, runTool, READ_ONLY_TOOL } from '../results.ts';
import { execOnOnePod, podRef, podRefSchema, targetShape } from '../target.ts';
import type { Target, ToolExtra } from '../target.ts';
import { toolInput } from '../tool-input.ts';
import type { NamedTool } from '../tool-list.ts';

export const listFieldsInput = {
  ...targetShape,
  source: z.string().max(64).optional().describe('Event source, e.g. "syscall" or a plugin source; all if omitted.'),
  fieldClass: z.string().max(64).optional().describe('Only this field class, e.g. "process", "fd", "container".'),
  prefix: z.string().max(128).optional().describe('Only fields whose name starts with this, e.g. "proc.".'),
  limit: z.number().int().min(1).max(300).default(100).describe('Fields per page.'),
  cursor: z.string().max(500).optional(),
};

const fieldSchema = z.object({ name: z.string(), fieldClass: z.string(), description: z.string(), flags: z.array(z.string()) });

export const listFieldsOutput = z.object({
  origin: z.enum(['falco', 'catalog']).describe('"falco": from a live pod; "catalog": the built-in field catalog (no pod reachable).'),
  pod: podRefSchema.optional(),
  classes: z.array(
    z.object({
      name: z.string(),
      qualifier: z.string().optional(),
      description: z.string(),
      sources: z.array(z.string()),
      fields: z.number().int(),
    }),
  ),
  matched: z.number().int(),
  fields: z.array(fieldSchema),
  nextCursor: z.string().optional(),
  note: z.string().optional(),
});

type Field = z.infer<typeof fieldSchema>;
interface Listing { classes: FalcoFieldClass[]; pod?: z.infer<typeof podRefSchema>; origin: 'falco' | 'catalog'; note?: string }

function fromCatalog(deps: McpDeps, source: string | undefined, why: string): Listing {
  const catalog = deps.rulesEngine?.listFieldClasses;
  if (catalog === undefined) throw new FalconerError(`No Falco pod could list the fields (${why}) and no field catalog is available.`);
  const classes = catalog(source).map((c): FalcoFieldClass => ({
    name: c.name,
    ...(c.qualifier === undefined ? {} : { qualifier: c.qualifier }),
    description: c.description ?? '',
    sources: c.sources,
    fields: c.fields,
  }));
  return { classes, origin: 'catalog', note: `Built-in catalog used because no Falco pod answered: ${why}` };
}

async function listing(deps: McpDeps, args: Target & { source?: string | undefined }, extra: ToolExtra): Promise<Listing> {
  const argv = listFieldsArgv(args.source);
  let run;
  try {
    run = await execOnOnePod(deps, args, argv, extra);
  } catch (err) {
    if (err instanceof InvalidInputError || extra.signal.aborted) throw err;
    return fromCatalog(deps, args.source, describeError(err));
  }
  const { pod, result } = run;
  const error = falcoError(result.stderr);
  if (result.exitCode !== 0 && error?.includes('valid source') === true) {
    const message = `Falco in pod ${pod.name} has no event source "${args.source ?? ''}". Sources are syscall and those of loaded plugins.`;
    throw new InvalidInputError(message, { field: 'source' });
  }
  if (result.exitCode !== 0) throw new FalconerError(`falco --list failed in pod ${pod.name}: ${error ?? `exit status ${result.exitCode}`}`);
  return { classes: parseFieldList(result.stdout), pod: podRef(pod), origin: 'falco' };
}

export function registerListFields(server: McpServer, deps: McpDeps): NamedTool {
  const name = 'falco_list_fields';
  const tool = server.registerTool(
    name,
    {
      title: 'List the fields Falco conditions can use',
      description:
        'Runs `falco --list=<source>` in a Falco pod of a FalcoMonitor and returns the filter fields of the loaded ' +
        'sources and plugins (name, class, description, flags such as ARG_REQUIRED), filtered by class or name prefix ' +
        'and paginated. When no Falco pod is reachable it answers from the built-in field catalog and says so.',
      inputSchema: toolInput(listFieldsInput),
      outputSchema: listFieldsOutput,
      annotations: READ_ONLY_TOOL,
    },
    async (args, extra) =>
      runTool('falco_list_fields', deps.logger, async () => {
        if (args.source !== undefined) assertSource(args.source);
        const filters = { source: args.source, fieldClass: args.fieldClass, prefix: args.prefix };
        const offset = decodeCursor(args.cursor, filters);
        const found = await listing(deps, args, extra);
        const classes = found.classes.filter((c) => args.fieldClass === undefined || c.name === args.fieldClass);
        const fields: Field[] = classes.flatMap((c) =>
          c.fields
            .filter((f) => args.prefix === undefined || f.name.startsWith(args.prefix))
            .map((f) => ({ name: f.name, fieldClass: c.name, description: f.description, flags: f.flags })),
        );
        const page = paginate(fields, offset, args.limit, filters);
        const out = {
          origin: found.origin,
          ...(found.pod === undefined ? {} : { pod: found.pod }),
          classes: classes.map((c) => ({
            name: c.name,
            ...(c.qualifier === undefined ? {} : { qualifier: c.qualifier }),
            description: c.description,
            sources: c.sources,
            fields: c.fields.length,
          })),
          matched: fields.length,
          fields: page.items,
          ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
          ...(found.note === undefined ? {} : { note: found.note }),
        };
        const rows = page.items.map((f) => `${f.name}${f.flags.length > 0 ? ` (${f.flags.join(',')})` : ''}: ${f.description.slice(0, 120)}`);
        const from = found.origin === 'falco' ? `pod ${found.pod?.pod ?? ''}` : 'the built-in catalog';
        const head = `${fields.length} field(s) in ${classes.length} class(es) from ${from}.`;
        return okResult([head, ...rows, page.nextCursor === undefined ? '' : 'More fields: call again with nextCursor.'].join('\n'), out);
      }),
  );
  return { name, tool };
}
