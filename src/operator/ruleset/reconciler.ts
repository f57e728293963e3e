import { RuleSetConditionType } from '../../api/conditions-ruleset.ts';
import { findCondition } from '../../api/conditions.ts';
import type { Condition } from '../../api/conditions.ts';
import { RULESET_KIND, RULESET_PLURAL, API_GROUP_VERSION } from '../../api/names.ts';
import type { FalcoRuleSet, RuleSetStatus } from '../../api/ruleset.ts';
import { writeStatusIfChanged } from '../../kube/status.ts';
import type { ReconcilerDeps } from '../deps.ts';
import { liveNodes } from '../loaded/live-nodes.ts';
import { parseAll, parseMonitor, parseRuleSet, splitKey } from '../parse.ts';
import { selects } from '../policy/selection.ts';
import type { ReconcileContext, ReconcileResult, Reconciler } from '../runtime/controller.ts';
import type { OutcomeReader } from '../verification/outcome.ts';
import { resolveContent } from './content.ts';
import { computeRuleSetStatus } from './status.ts';
import { gatherVerifications } from './verifications.ts';

export const RULESET_CONTROLLER = 'falcoruleset';

/**
 * FalcoRuleSet: read the rules → static check → collect Falco's verdicts (the monitors run the
 * verification Jobs) → write status once. Static results are memoised (deps.staticChecks), so
 * a periodic resync of an unchanged rule set costs no parsing.
 */
export function createRuleSetReconciler(deps: ReconcilerDeps, outcomes: OutcomeReader): Reconciler {
  return {
    name: RULESET_CONTROLLER,
    async reconcile(ctx: ReconcileContext, key: string): Promise<ReconcileResult> {
      const { namespace, name } = splitKey(key);
      const raw = deps.cache.ruleSets.get(name, namespace);
      if (raw === undefined) return {};
      const ruleSet = parseRuleSet(raw);
      const resolved = await resolveContent(deps.clients.rest, ruleSet);
      const staticResult = resolved.ok ? deps.staticChecks.check(name, resolved.content, resolved.contentHash) : undefined;
      const monitors = parseAll(deps.cache.monitors.list(namespace), parseMonitor).filter((m) => selects(m, ruleSet));
      const now = deps.clock();
      const hash = resolved.ok && staticResult?.ok === true && ruleSet.spec.enabled ? resolved.contentHash : undefined;
      const gathered = await gatherVerifications(ruleSet, hash, monitors, deps.cache, outcomes, now);
      const status = computeRuleSetStatus({ ruleSet, resolved, staticResult, ...gathered, staticOnly: deps.settings.verification === 'static', now });
      if (deps.nodeReports !== undefined && resolved.ok) {
        status.liveNodes = liveNodes(deps.nodeReports, namespace, monitors.map((m) => m.metadata.name), name, resolved.contentHash);
      }
      const written = await writeStatusIfChanged(deps.clients.rest, { kind: RULESET_KIND, plural: RULESET_PLURAL, live: raw }, status);
      if (written) await recordTransitions(deps, ruleSet, status, ctx);
      return ruleSet.spec.configMapRef !== undefined ? { requeueAfterMs: deps.settings.configMapPollMs } : {};
    },
  };
}

/** Events for the transitions a user wants to see in `kubectl describe`. */
async function recordTransitions(deps: ReconcilerDeps, ruleSet: FalcoRuleSet, status: RuleSetStatus, ctx: ReconcileContext): Promise<void> {
  const before = ruleSet.status?.conditions;
  const owner = {
    apiVersion: API_GROUP_VERSION,
    kind: RULESET_KIND,
    metadata: { name: ruleSet.metadata.name, uid: ruleSet.metadata.uid ?? '', namespace: ruleSet.metadata.namespace ?? '' },
  };
  for (const type of [RuleSetConditionType.Valid, RuleSetConditionType.Verified]) {
    const next = findCondition(status.conditions, type);
    if (next === undefined || next.status === 'Unknown' || !changedFrom(findCondition(before, type), next)) continue;
    ctx.logger.info('Changed FalcoRuleSet condition', { condition: type, status: next.status, reason: next.reason });
    await deps.clients.events.record(owner, {
      type: next.status === 'True' ? 'Normal' : 'Warning',
      reason: next.reason,
      action: type === RuleSetConditionType.Valid ? 'StaticCheck' : 'Verify',
      note: next.message,
    });
  }
}

function changedFrom(previous: Condition | undefined, next: Condition): boolean {
  return previous?.status !== next.status || previous.reason !== next.reason;
}
