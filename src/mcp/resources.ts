import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult, Resource } from '@modelcontextprotocol/sdk/types.js';
import { MONITOR_PLURAL, RULESET_PLURAL } from '../api/names.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { FalconerObject, McpDeps } from './deps.ts';
import { namespaceField, objectNameField } from './target.ts';

type Plural = typeof MONITOR_PLURAL | typeof RULESET_PLURAL;

export function resourceUri(plural: Plural, namespace: string, name: string): string {
  return `falconer://${plural}/${namespace}/${name}`;
}

/** What a reader needs: apiVersion, kind, name, labels, spec and status; no managedFields noise. */
function view(obj: FalconerObject): Record<string, unknown> {
  const meta = obj.metadata as Record<string, unknown> | undefined;
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: { name: meta?.['name'], namespace: meta?.['namespace'], generation: meta?.['generation'], labels: meta?.['labels'] },
    spec: obj.spec,
    status: obj.status,
  };
}

function one(value: string | string[] | undefined, field: string): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) throw new InvalidInputError(`The resource URI has no ${field}.`, { field });
  return v;
}

function register(server: McpServer, deps: McpDeps, plural: Plural, kind: string): void {
  const list = plural === MONITOR_PLURAL ? deps.objects.listMonitors : deps.objects.listRuleSets;
  const get = plural === MONITOR_PLURAL ? deps.objects.getMonitor : deps.objects.getRuleSet;
  const template = new ResourceTemplate(`falconer://${plural}/{namespace}/{name}`, {
    list: async () => {
      const ns = deps.defaults.namespace;
      const items = await list.call(deps.objects, ns);
      const resources: Resource[] = items.map((o) => ({
        uri: resourceUri(plural, ns, o.metadata?.name ?? ''),
        name: `${kind} ${ns}/${o.metadata?.name ?? ''}`,
        mimeType: 'application/json',
      }));
      return { resources };
    },
  });
  server.registerResource(
    plural,
    template,
    { title: `${kind}s`, description: `${kind} objects (spec and status) in the server's namespace; any namespace by URI.`, mimeType: 'application/json' },
    async (uri, variables): Promise<ReadResourceResult> => {
      const ns = namespaceField.parse(one(variables['namespace'], 'namespace'));
      const name = objectNameField.parse(one(variables['name'], 'name'));
      const obj = await get.call(deps.objects, ns, name);
      if (obj === undefined) throw new InvalidInputError(`${kind} ${ns}/${name} was not found.`);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(view(obj), null, 2) }] };
    },
  );
}

/** FalcoMonitors and FalcoRuleSets as read-only MCP resources (list + read). */
export function registerResources(server: McpServer, deps: McpDeps): void {
  register(server, deps, MONITOR_PLURAL, 'FalcoMonitor');
  register(server, deps, RULESET_PLURAL, 'FalcoRuleSet');
}
