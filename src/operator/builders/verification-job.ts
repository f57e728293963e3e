import type { V1ConfigMap, V1Job, V1PodSpec } from '@kubernetes/client-node';
import { LABEL_COMPONENT, labelsFor } from '../../api/names.ts';
import type { Bundle } from './bundle.ts';
import { BUNDLE_HASH_ANNOTATION, rulesFilePaths } from './bundle.ts';
import { childName, contentHash, shortHash } from './hash.ts';
import { CONFIG_HASH_ANNOTATION, FALCO_BINARY } from './falco-config.ts';
import { CANDIDATE_ANNOTATION, CONFIG_CHANGED_ANNOTATION, encodeMembers } from '../verification/candidate.ts';
import type { CandidateMember } from '../verification/candidate.ts';

/** Container name of verification pods (the test control plane keys its fake outcome on it). */
export const VERIFY_CONTAINER = 'verify';
export const VERIFICATION_COMPONENT = 'verification';
const VERIFY_DIR = '/etc/falconer/verify';
const CONFIG_KEY = 'falco.yaml';

export interface VerificationInput {
  monitor: string;
  namespace: string;
  /** The monitor's Falco image: verification must run the Falco that will load the rules. */
  image: string;
  imagePullPolicy: string;
  /** The candidate: the whole ordered bundle the monitor would run if it passes. */
  candidate: Bundle;
  /** Who is in the candidate and who is new in it (for attributing a failure later). */
  members: CandidateMember[];
  /** The monitor's generated falco.yaml, so the same plugins are loaded as on the nodes. */
  falcoConfig: string;
  /** falcoConfig is not the falco.yaml the nodes run (a failure then blames no rule set). */
  configChanged?: boolean;
  activeDeadlineSeconds: number;
  ttlSecondsAfterFinished: number;
  /** The monitor's node selector, affinity and tolerations: the Job runs where its Falco will. */
  placement?: Pick<V1PodSpec, 'nodeSelector' | 'affinity' | 'tolerations'>;
}

/**
 * Job (and ConfigMap) name from the candidate bundle's hash and a hash of the image and the
 * falco.yaml it runs with: the same question asked twice is the same Job, a recorded answer is
 * never asked again, and a configuration change is a new question (a plugin option Falco
 * refuses fails here, not on the nodes).
 */
export function verificationName(monitor: string, candidateHash: string, image: string, falcoConfig: string): string {
  return childName(monitor, `verify-${shortHash(candidateHash)}-${shortHash(contentHash(`${image}\n${falcoConfig}`), 6)}`);
}

/** `falco -c … -V <file>… -o json_output=true`: validate the files in load order, print JSON. */
export function verificationArgs(candidate: Bundle): string[] {
  const files = rulesFilePaths(candidate, VERIFY_DIR);
  return ['-c', `${VERIFY_DIR}/${CONFIG_KEY}`, ...files.flatMap((f) => ['-V', f]), '-o', 'json_output=true'];
}

/** The candidate bundle plus falco.yaml, mounted into the verification pod. */
export function desiredVerificationConfigMap(input: VerificationInput): V1ConfigMap {
  const name = verificationName(input.monitor, input.candidate.hash, input.image, input.falcoConfig);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: input.namespace,
      labels: labelsFor(input.monitor, VERIFICATION_COMPONENT),
      annotations: { [BUNDLE_HASH_ANNOTATION]: input.candidate.hash },
    },
    immutable: true,
    data: {
      [CONFIG_KEY]: input.falcoConfig,
      ...Object.fromEntries(input.candidate.files.map((f) => [f.key, f.content])),
    },
  };
}

/**
 * A one-shot Falco that validates the candidate and exits: no driver, no host access, no
 * privileges, no API token. Never retried (backoffLimit 0: a second run would say the same),
 * bounded in time (a hung Falco fails the Job) and cleaned up after a while (the verdict lives
 * in status, not in the Job).
 */
export function desiredVerificationJob(input: VerificationInput): V1Job {
  const name = verificationName(input.monitor, input.candidate.hash, input.image, input.falcoConfig);
  const labels = labelsFor(input.monitor, VERIFICATION_COMPONENT);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: input.namespace,
      labels,
      annotations: {
        [BUNDLE_HASH_ANNOTATION]: input.candidate.hash,
        [CONFIG_HASH_ANNOTATION]: contentHash(input.falcoConfig),
        [CANDIDATE_ANNOTATION]: encodeMembers(input.members),
        ...(input.configChanged === true ? { [CONFIG_CHANGED_ANNOTATION]: 'true' } : {}),
      },
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: input.activeDeadlineSeconds,
      ttlSecondsAfterFinished: input.ttlSecondsAfterFinished,
      template: {
        metadata: { labels: { ...labels, [LABEL_COMPONENT]: VERIFICATION_COMPONENT } },
        spec: {
          restartPolicy: 'Never',
          ...(input.placement ?? {}),
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          containers: [
            {
              name: VERIFY_CONTAINER,
              image: input.image,
              imagePullPolicy: input.imagePullPolicy,
              command: [FALCO_BINARY],
              args: verificationArgs(input.candidate),
              volumeMounts: [{ name: 'candidate', mountPath: VERIFY_DIR, readOnly: true }],
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
          volumes: [{ name: 'candidate', configMap: { name } }],
        },
      },
    },
  };
}
