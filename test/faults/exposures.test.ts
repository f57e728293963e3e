/**
 * The exposure check must be able to fail: these feed it recorded histories in which a
 * DaemonSet names a bundle that was never verified, holds statically invalid rules, or was
 * verified only after the DaemonSet named it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBundle, desiredBundleConfigMap } from '../../src/operator/builders/bundle.ts';
import { desiredDaemonSet } from '../../src/operator/builders/daemonset.ts';
import { contentHash } from '../../src/operator/builders/hash.ts';
import { monitorSpecSchema } from '../../src/api/monitor.ts';
import { imageReference } from '../../src/api/monitor-image.ts';
import { desiredVerificationJob } from '../../src/operator/builders/verification-job.ts';
import { unverifiedExposures } from './support/exposures.ts';
import type { Recorded } from './support/recorder.ts';
import { badRules, goodRules } from './support/workload.ts';

const spec = monitorSpecSchema.parse({ image: { tag: '0.42.1' } });
const image = imageReference(spec.image);

function history(rules: string, jobRv: number | undefined, dsRv = 20): Recorded[] {
  const bundle = buildBundle([{ name: 'rs-0', content: rules, contentHash: contentHash(rules) }], true);
  const cm = desiredBundleConfigMap('m', 'ns', bundle);
  const ds = desiredDaemonSet({
    monitor: 'm',
    namespace: 'ns',
    spec,
    bundleHash: bundle.hash,
    bundleConfigMap: cm.metadata?.name ?? '',
    configConfigMap: 'm-config',
    configHash: 'x',
    serviceAccount: 'm-falco',
  });
  const events: Recorded[] = [
    { kind: 'ConfigMap', type: 'ADDED', rv: 5, obj: cm as Recorded['obj'] },
    { kind: 'DaemonSet', type: 'ADDED', rv: dsRv, obj: ds as Recorded['obj'] },
  ];
  if (jobRv !== undefined) {
    const job = desiredVerificationJob({
      monitor: 'm', namespace: 'ns', image, imagePullPolicy: 'IfNotPresent', candidate: bundle, members: [],
      falcoConfig: '', activeDeadlineSeconds: 60, ttlSecondsAfterFinished: 60,
    });
    job.status = { conditions: [{ type: 'Complete', status: 'True' }] };
    events.push({ kind: 'Job', type: 'MODIFIED', rv: jobRv, obj: job as Recorded['obj'] });
  }
  return events;
}

test('a DaemonSet naming a bundle whose verification Job completed before it is no exposure', () => {
  assert.deepEqual(unverifiedExposures(history(goodRules('rs-0', 1), 10)), []);
});

test('a bundle never verified, or verified only after the DaemonSet named it, is an exposure', () => {
  assert.match(unverifiedExposures(history(goodRules('rs-0', 1), undefined)).join(), /no verification Job/);
  assert.match(unverifiedExposures(history(goodRules('rs-0', 1), 30)).join(), /no verification Job/);
});

test('a bundle holding rules the static check rejects is an exposure even if "Falco" accepted it', () => {
  assert.match(unverifiedExposures(history(badRules(1), 10)).join(), /fails the static check/);
});

test('a bundle whose ConfigMap was not seen, or does not hash to the template\'s bundle, is an exposure', () => {
  const events = history(goodRules('rs-0', 1), 10);
  assert.match(unverifiedExposures(events.filter((e) => e.kind !== 'ConfigMap')).join(), /never seen/);
  const cm = events[0]?.obj as { data: Record<string, string> };
  cm.data = Object.fromEntries(Object.keys(cm.data).map((k) => [k, goodRules('rs-0', 2)]));
  assert.match(unverifiedExposures(events).join(), /does not rebuild/);
});
