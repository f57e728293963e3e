import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { describeError } from '../../core/errors.ts';
import type { PodLogs } from '../../kube/logs.ts';
import { VERIFY_CONTAINER } from '../builders/verification-job.ts';
import type { FileVerdict, RulesEngine } from './rules-engine.ts';
import { parseErrorLine, parseFalcoVersion } from './rules-engine.ts';

export type JobState = 'Running' | 'Succeeded' | 'Failed';

/** What a finished verification Job said. */
export interface JobOutcome {
  state: JobState;
  files?: FileVerdict[];
  falcoVersion?: string;
  /** A one-line summary for conditions and events. */
  message: string;
  /** Falco's own reason (its error line), when its log gave one. */
  detail?: string;
  finishedAt?: string;
}

const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const MAX_LOG_BYTES = 1_048_576;

export function jobState(job: V1Job): JobState {
  const conditions = job.status?.conditions ?? [];
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return 'Succeeded';
  if (conditions.some((c) => c.type === 'Failed' && c.status === 'True')) return 'Failed';
  return 'Running';
}

/**
 * Reads the outcome of a finished Job from its pod's `verify` log, once per Job: outcomes are
 * memoised by Job uid because the log does not change and several rule sets ask.
 */
export class OutcomeReader {
  readonly #memo = new Map<string, JobOutcome>();
  readonly #logs: PodLogs;
  readonly #engine: RulesEngine;

  constructor(logs: PodLogs, engine: RulesEngine) {
    this.#logs = logs;
    this.#engine = engine;
  }

  async read(job: V1Job, pods: readonly V1Pod[]): Promise<JobOutcome> {
    const state = jobState(job);
    if (state === 'Running') return { state, message: 'The verification Job is running.' };
    const uid = job.metadata?.uid ?? '';
    const known = this.#memo.get(uid);
    if (known !== undefined) return known;
    const outcome = await this.#readFinished(job, state, pods);
    if (this.#memo.size > 512) this.#memo.delete(this.#memo.keys().next().value ?? '');
    this.#memo.set(uid, outcome);
    return outcome;
  }

  async #readFinished(job: V1Job, state: JobState, pods: readonly V1Pod[]): Promise<JobOutcome> {
    const name = job.metadata?.name ?? '';
    const namespace = job.metadata?.namespace ?? '';
    const pod = pods.find((p) => p.metadata?.labels?.[JOB_NAME_LABEL] === name);
    const condition = job.status?.conditions?.find((c) => c.type === (state === 'Succeeded' ? 'Complete' : 'Failed'));
    const finishedAt = condition?.lastTransitionTime !== undefined ? new Date(condition.lastTransitionTime).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
    const base = { state, ...(finishedAt !== undefined ? { finishedAt } : {}) };
    if (pod?.metadata?.name === undefined) {
      return { ...base, message: jobMessage(state, condition?.message ?? 'its pod is gone') };
    }
    let log: string;
    try {
      log = await this.#logs({ namespace, pod: pod.metadata.name, container: VERIFY_CONTAINER, limitBytes: MAX_LOG_BYTES, timeoutMs: 15_000 });
    } catch (err) {
      return { ...base, message: jobMessage(state, `its log could not be read (${describeError(err)})`) };
    }
    const files = this.#engine.parseValidation(log);
    const falcoVersion = parseFalcoVersion(log);
    const detail = parseErrorLine(log) ?? condition?.message ?? (files === undefined ? 'it printed no result' : undefined);
    return {
      ...base,
      ...(files !== undefined ? { files } : {}),
      ...(falcoVersion !== undefined ? { falcoVersion } : {}),
      ...(detail !== undefined ? { detail } : {}),
      message: jobMessage(state, detail),
    };
  }
}

function jobMessage(state: JobState, detail: string | undefined): string {
  const head = state === 'Succeeded' ? 'Falco accepted the rules' : 'Falco rejected the rules or did not finish';
  return detail === undefined ? `${head}.` : `${head}: ${detail.replace(/\.$/, '')}.`;
}
