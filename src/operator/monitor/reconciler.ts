import type { V1DaemonSet, V1Job, V1Pod } from '@kubernetes/client-node';
import type { FalcoMonitor } from '../../api/monitor.ts';
import { DEFAULT_FALCO_TAG, imageReference } from '../../api/monitor-image.ts';
import { falcoProfile, falcoVersionOfImage } from '../../rules/falco-versions.ts';
import type { FalcoRuleSet } from '../../api/ruleset.ts';
import { API_GROUP_VERSION, LABEL_COMPONENT, LABEL_MONITOR, MONITOR_KIND, MONITOR_PLURAL } from '../../api/names.ts';
import { writeStatusIfChanged } from '../../kube/status.ts';
import type { Bundle } from '../builders/bundle.ts';
import { renderFalcoConfig } from '../builders/falco-config.ts';
import type { TemplateDecision } from '../policy/template.ts';
import { contentHash } from '../builders/hash.ts';
import type { ReconcilerDeps } from '../deps.ts';
import { parseAll, parseMonitor, parseRuleSet, splitKey } from '../parse.ts';
import { crashingPods, decideTarget, rolloutState } from '../policy/rollout.ts';
import type { TargetDecision } from '../policy/rollout.ts';
import { selectedRuleSets } from '../policy/selection.ts';
import type { ReconcileContext, ReconcileResult, Reconciler } from '../runtime/controller.ts';
import { resolveContent } from '../ruleset/content.ts';
import { validity } from '../ruleset/status.ts';
import { candidateMembers } from '../verification/candidate.ts';
import { jobState } from '../verification/outcome.ts';
import type { OutcomeReader } from '../verification/outcome.ts';
import { bundleOf, configText, deleteChild, ensureBundle, ensureConfig, ensureServiceAccount, ensureVerification, liveDaemonSet, renderDaemonSet, runningBundle, runningConfigHash, unusedBundles, unusedConfigs, verificationJob } from './children.ts';
import type { MonitorScope } from './children.ts';
import { recordMonitorDecisions } from './events.ts';
import { planBundle } from './plan.ts';
import { ensurePodMonitor, forgetPodMonitor } from './pod-monitor.ts';
import { splitVerification } from './split-verification.ts';
import { ensureTemplate } from './template.ts';
import type { BundlePlan, RuleSetReading } from './plan.ts';
import { forgetLoad, observeLoad, reportedVersion } from './load.ts';
import { computeMonitorStatus } from './status.ts';

export const MONITOR_CONTROLLER = 'falcomonitor';

/**
 * FalcoMonitor, as a table of contents: plan the candidate bundle from the selected rule sets →
 * decide the target (verified bundles only) → ensure the children → collect unused bundles →
 * compute and write status once → record the decisions as Events.
 */
export function createMonitorReconciler(deps: ReconcilerDeps, outcomes: OutcomeReader): Reconciler {
  return {
    name: MONITOR_CONTROLLER,
    async reconcile(ctx: ReconcileContext, key: string): Promise<ReconcileResult> {
      const { namespace, name } = splitKey(key);
      const raw = deps.cache.monitors.get(name, namespace);
      if (raw === undefined) {
        forgetLoad(deps, namespace, name);
        forgetPodMonitor(deps.podMonitors, namespace, name);
        return {};
      }
      const monitor = parseMonitor(raw);
      const owner = { apiVersion: API_GROUP_VERSION, kind: MONITOR_KIND, metadata: { name, uid: monitor.metadata.uid ?? '' } };
      const scope: MonitorScope = { deps, monitor, owner, namespace, name };
      const image = imageReference(monitor.spec.image);
      const running = runningBundle(scope);
      const staticCheckVersion = modelledVersion(monitor);
      const ruleSets = selectedRuleSets(monitor, parseAll(deps.cache.ruleSets.list(namespace), parseRuleSet));
      const plan = planBundle({
        ruleSets,
        readings: await readRuleSets(deps, ruleSets, staticCheckVersion),
        image,
        includeDefaultRules: monitor.spec.includeDefaultRules,
        running,
      });
      const falcoYaml = renderFalcoConfig(monitor.spec);
      const candidate = { bundle: plan.candidate, configHash: contentHash(falcoYaml) };
      const runningConfig = runningConfigHash(scope);
      const runningPair = running !== undefined && runningConfig !== undefined ? { bundle: running, configHash: runningConfig } : undefined;
      const job = verificationJob(scope, plan.candidate, falcoYaml);
      const asked = decideTarget(candidate, runningPair, job === undefined ? undefined : jobState(job), deps.settings.verification === 'static');
      const split = splitVerification(scope, plan, running, runningPair, asked, job);
      const decision = split?.decision ?? asked;
      // The falco.yaml the Job to ensure checks: the spec's, or the running one while a failure of both together is split.
      const verify = { falcoYaml: split?.falcoYaml ?? falcoYaml, configChanged: runningPair !== undefined && split === undefined && candidate.configHash !== runningPair.configHash };
      const pods = deps.cache.pods.list(namespace).filter((p) => p.metadata?.labels?.[LABEL_MONITOR] === name && p.metadata.labels[LABEL_COMPONENT] === 'falco');
      const { ds, template } = await converge(scope, plan, decision, running, falcoYaml, verify, pods, ctx);
      // Rolled back, the nodes run the last good template's bundle and falco.yaml, whatever the target.
      const back = template?.use === 'lastGood' ? template.lastGood : undefined;
      const deployed = monitor.spec.suspend ? running : back !== undefined ? (bundleOf(scope, back.bundleHash) ?? decision.target) : decision.target;
      // What the nodes should report: the falco.yaml the pods mount, which is the last good one
      // while a new one waits for (or failed) verification.
      const load = observeLoad(scope, deployed, configText(scope, back?.configHash ?? decision.targetConfig) ?? falcoYaml);
      const status = computeMonitorStatus({
        monitor,
        image,
        plan,
        decision,
        deployed,
        rollout: rolloutState(ds),
        configRejected: await configRejection(deps, outcomes, decision, plan, running, job),
        crashing: crashingPods(pods),
        template: template ?? { lastGood: monitor.status?.lastGoodTemplate, failed: monitor.status?.failedTemplate },
        falcoVersion: reportedVersion(load) ?? falcoVersionOf(ruleSets, image) ?? monitor.status?.falcoVersion,
        modelledFalcoVersion: falcoProfile(staticCheckVersion).modelled ?? 'none',
        load,
        now: deps.clock(),
      });
      if (await writeStatusIfChanged(deps.clients.rest, { kind: MONITOR_KIND, plural: MONITOR_PLURAL, live: raw }, status)) {
        await recordMonitorDecisions(deps, monitor, status, ctx);
      }
      return {};
    },
  };
}

interface Converged {
  /** The DaemonSet as it now stands (undefined when there is none). */
  ds: V1DaemonSet | undefined;
  /** Which pod template it carries, when this reconcile decided it. */
  template?: TemplateDecision;
}

/** Ensures the children. */
async function converge(
  s: MonitorScope,
  plan: BundlePlan,
  decision: TargetDecision,
  running: Bundle | undefined,
  falcoYaml: string,
  verify: { falcoYaml: string; configChanged: boolean },
  pods: readonly V1Pod[],
  ctx: ReconcileContext,
): Promise<Converged> {
  await ensurePodMonitor(s, ctx);
  if (s.monitor.spec.suspend) {
    const live = liveDaemonSet(s);
    if (live !== undefined && (await deleteChild(s, live, 'apps/v1', 'DaemonSet'))) ctx.logger.info('Deleted DaemonSet of suspended FalcoMonitor');
    return { ds: undefined };
  }
  await ensureServiceAccount(s);
  // Written with the candidate, like its bundle: no pod mounts it until Falco accepted it.
  await ensureConfig(s, falcoYaml);
  if (decision.verify) {
    // The candidate's bundle ConfigMap is written right after its Job (no pod mounts it until
    // the Job passes): once Falco accepts it, rolling it out is a single DaemonSet write.
    const job = await ensureVerification(s, plan.candidate, candidateMembers(plan.candidate, running), verify, () => ensureBundle(s, plan.candidate));
    ctx.logger.debug('Ensured verification Job', { job });
  }
  const { target, targetConfig } = decision;
  if (target === undefined || targetConfig === undefined) return { ds: liveDaemonSet(s) };
  await ensureBundle(s, target);
  const { ds, template } = await ensureTemplate(s, renderDaemonSet(s, target, targetConfig), pods, ctx);
  // The last good template's bundle and falco.yaml stay while it is the fallback.
  const keep = new Set([target.hash, plan.candidate.hash, template.lastGood?.bundleHash ?? '']);
  for (const cm of unusedBundles(s, keep)) {
    if (await deleteChild(s, cm, 'v1', 'ConfigMap')) ctx.logger.info('Deleted unused bundle ConfigMap', { configMap: cm.metadata?.name });
  }
  for (const cm of unusedConfigs(s, new Set([targetConfig, contentHash(falcoYaml), template.lastGood?.configHash ?? '']))) {
    if (await deleteChild(s, cm, 'v1', 'ConfigMap')) ctx.logger.info('Deleted unused config ConfigMap', { configMap: cm.metadata?.name });
  }
  return { ds, template };
}



/**
 * The monitor reads and statically checks the rules itself: the bundle holds exactly the bytes
 * it hashed and checked, whatever the rule set's status says at this moment.
 */
async function readRuleSets(deps: ReconcilerDeps, ruleSets: readonly FalcoRuleSet[], falcoVersion: string): Promise<Map<string, RuleSetReading>> {
  const readings = new Map<string, RuleSetReading>();
  for (const ruleSet of ruleSets) {
    if (!ruleSet.spec.enabled) continue;
    const name = ruleSet.metadata.name;
    const resolved = await resolveContent(deps.clients.rest, ruleSet);
    const checked = resolved.ok ? deps.staticChecks.check(name, resolved.content, resolved.contentHash, falcoVersion) : undefined;
    const valid = validity(resolved, checked);
    readings.set(name, {
      content: resolved.ok ? { name, content: resolved.content, contentHash: resolved.contentHash } : undefined,
      valid: valid.status === 'True' ? { ok: true } : { ok: false, message: valid.message },
    });
  }
  return readings;
}

/**
 * The Falco release the static check models for this monitor: the one its image tag names. A
 * digest (or a tag naming no release) models none, so version-dependent findings stay warnings
 * and the verification Job of the real image decides.
 */
function modelledVersion(monitor: FalcoMonitor): string {
  return falcoVersionOfImage(monitor.spec.image, DEFAULT_FALCO_TAG);
}


/**
 * Falco refused a candidate in which no rule set changed: the fault is the monitor's own
 * configuration (falco.yaml from its spec). Says why, in Falco's words from the Job's log.
 */
async function configRejection(
  deps: ReconcilerDeps,
  outcomes: OutcomeReader,
  decision: TargetDecision,
  plan: BundlePlan,
  running: Bundle | undefined,
  job: V1Job | undefined,
): Promise<string | undefined> {
  if (decision.waiting !== 'Attribution' || job === undefined) return undefined;
  if (candidateMembers(plan.candidate, running).some((m) => m.changed)) return undefined;
  const outcome = await outcomes.read(job, deps.cache.pods.list(job.metadata?.namespace));
  return `Falco refused the configuration rendered from this monitor's spec in verification Job ${job.metadata?.name ?? ''}: ${outcome.detail ?? outcome.message}`;
}

/** The Falco version a verification pod of this image reported (Falco logs it at start-up). */
function falcoVersionOf(ruleSets: readonly FalcoRuleSet[], image: string): string | undefined {
  for (const r of ruleSets) {
    const v = r.status?.verifications?.find((x) => x.image === image && x.falcoVersion !== undefined);
    if (v?.falcoVersion !== undefined) return v.falcoVersion;
  }
  return undefined;
}

export type { FalcoMonitor };
