import type { V1ConfigMap } from '@kubernetes/client-node';
import { RuleSetReason } from '../../api/conditions-ruleset.ts';
import type { FalcoRuleSet } from '../../api/ruleset.ts';
import { isStatus, kubeError } from '../../kube/api-errors.ts';
import { objectPath } from '../../kube/rest.ts';
import type { KubeRest } from '../../kube/rest.ts';
import { contentHash } from '../builders/hash.ts';

export type ResolvedContent =
  | { ok: true; content: string; contentHash: string }
  | { ok: false; reason: string; message: string };

/**
 * The rules text of a rule set: spec.rules, or the key of the user's ConfigMap. A missing
 * ConfigMap or key is the user's to fix (a condition), not an error to retry.
 */
export async function resolveContent(rest: KubeRest, ruleSet: FalcoRuleSet): Promise<ResolvedContent> {
  const { rules, configMapRef } = ruleSet.spec;
  if (rules !== undefined) return { ok: true, content: rules, contentHash: contentHash(rules) };
  if (configMapRef === undefined) {
    return { ok: false, reason: RuleSetReason.StaticCheckFailed, message: 'The rule set sets neither spec.rules nor spec.configMapRef.' };
  }
  const namespace = ruleSet.metadata.namespace ?? '';
  try {
    const cm = await rest.get<V1ConfigMap>(objectPath('v1', 'configmaps', namespace, configMapRef.name));
    const text = cm.data?.[configMapRef.key];
    if (text === undefined) {
      return {
        ok: false,
        reason: RuleSetReason.ConfigMapKeyNotFound,
        message: `ConfigMap ${namespace}/${configMapRef.name} has no key ${configMapRef.key}.`,
      };
    }
    return { ok: true, content: text, contentHash: contentHash(text) };
  } catch (err) {
    if (isStatus(err, 404)) {
      return { ok: false, reason: RuleSetReason.ConfigMapNotFound, message: `ConfigMap ${namespace}/${configMapRef.name} does not exist.` };
    }
    throw kubeError(`Could not read ConfigMap ${namespace}/${configMapRef.name} of FalcoRuleSet ${namespace}/${ruleSet.metadata.name}`, err);
  }
}
