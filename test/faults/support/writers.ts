/**
 * Several clients editing the same objects at once, the way Kubernetes expects: read, change,
 * write back with the resourceVersion read (optimistic concurrency); a 409 Conflict means
 * someone else won, so read again and redo the change. Each writer appends its own token to a
 * rule set's list, so a lost update shows as a missing token.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, RULESET_PLURAL } from '../../../src/api/names.ts';
import { isStatus } from '../../../src/kube/api-errors.ts';

/** A rules file whose list holds the tokens written so far (and a rule, so it is loadable). */
export function tokenRules(name: string, tokens: readonly string[]): string {
  const items = tokens.length === 0 ? '[]' : `[${tokens.join(', ')}]`;
  return `- list: ${name.replaceAll('-', '_')}_edits\n  items: ${items}\n- rule: ${name} shared\n  desc: edited by many writers\n  condition: evt.type = execve and proc.name = bash\n  output: "shared (user=%user.name)"\n  priority: WARNING\n`;
}

export function tokensOf(rules: string): string[] {
  const m = /items: \[([^\]]*)\]/.exec(rules);
  return (m?.[1] ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
}

interface RuleSetObject {
  metadata: { resourceVersion?: string };
  spec: { rules?: string };
}

export interface WriterStats {
  acknowledged: string[];
  conflicts: number;
}

/** One writer: `edits` appends of its tokens to random rule sets, each retried on conflict. */
export async function runWriter(kc: KubeConfig, namespace: string, names: readonly string[], writer: number, edits: number, deadline: number): Promise<WriterStats> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const stats: WriterStats = { acknowledged: [], conflicts: 0 };
  const key = { group: API_GROUP, version: API_VERSION, namespace, plural: RULESET_PLURAL };
  for (let e = 0; e < edits && Date.now() < deadline; e++) {
    const name = names[(writer * 7 + e * 3) % names.length] ?? '';
    const token = `w${writer}e${e}`;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const live = (await api.getNamespacedCustomObject({ ...key, name })) as RuleSetObject;
      const body = { ...live, spec: { ...live.spec, rules: tokenRules(name, [...tokensOf(live.spec.rules ?? ''), token]) } };
      try {
        await api.replaceNamespacedCustomObject({ ...key, name, body });
        stats.acknowledged.push(`${name}:${token}`);
        break;
      } catch (err) {
        if (!isStatus(err, 409)) throw err;
        stats.conflicts += 1;
        await sleep(5 + Math.random() * 20);
      }
    }
  }
  return stats;
}
