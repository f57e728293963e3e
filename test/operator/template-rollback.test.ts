import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { monitorSpecSchema } from '../../src/api/monitor.ts';
import { desiredDaemonSet, templateHash, withTemplate } from '../../src/operator/builders/daemonset.ts';
import { contentHash } from '../../src/operator/builders/hash.ts';
import { crashingPods } from '../../src/operator/policy/rollout.ts';
import { CRASHES_BEFORE_ROLLBACK, TEMPLATE_HASH_ANNOTATION, decideTemplate } from '../../src/operator/policy/template.ts';
import type { GoodTemplate, TemplateObservation } from '../../src/operator/policy/template.ts';

const h = (s: string): string => contentHash(s);
const GOOD: GoodTemplate = { hash: h('good'), bundleHash: h('b1'), configHash: h('c1') };
const NEW: GoodTemplate = { hash: h('new'), bundleHash: h('b1'), configHash: h('c1') };

function pod(name: string, template: string, restarts: number, crashing: boolean, message?: string): V1Pod {
  return {
    metadata: { name, annotations: { [TEMPLATE_HASH_ANNOTATION]: template } },
    status: {
      containerStatuses: [
        {
          name: 'falco',
          image: '',
          imageID: '',
          ready: !crashing,
          restartCount: restarts,
          state: crashing ? { waiting: { reason: 'CrashLoopBackOff' } } : { running: {} },
          ...(message === undefined ? {} : { lastState: { terminated: { exitCode: 1, reason: 'Error', message } } }),
        },
      ],
    },
  };
}

const observe = (o: Partial<TemplateObservation>): TemplateObservation => ({
  desiredHash: NEW.hash,
  live: NEW,
  liveComplete: false,
  pods: [],
  lastGood: GOOD,
  failed: undefined,
  generation: 7,
  ...o,
});

test('the rendered DaemonSet names its template by a hash of the template itself, which a user annotation cannot set', () => {
  const input = (podAnnotations: Record<string, string>) => ({
    monitor: 'm',
    namespace: 'ns',
    spec: monitorSpecSchema.parse({ podAnnotations }),
    bundleHash: h('b'),
    bundleConfigMap: 'm-rules-b',
    configConfigMap: 'm-config-c',
    configHash: h('c'),
    serviceAccount: 'm-falco',
  });
  const plain = desiredDaemonSet(input({}));
  const spoofed = desiredDaemonSet(input({ [TEMPLATE_HASH_ANNOTATION]: h('forged') }));
  assert.match(templateHash(plain) ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.notEqual(templateHash(spoofed), h('forged'), 'the operator stamps the hash over any user value');
  assert.equal(templateHash(desiredDaemonSet(input({}))), templateHash(plain), 'deterministic');
  assert.notEqual(templateHash(desiredDaemonSet(input({ team: 'a' }))), templateHash(plain), 'any template change changes it');
  const back = withTemplate(plain, { metadata: { annotations: { [TEMPLATE_HASH_ANNOTATION]: GOOD.hash } } });
  assert.equal(templateHash(back), GOOD.hash, 'a template read back from history keeps its own hash');
  assert.deepEqual(back.spec?.selector, plain.spec?.selector);
});

test('a template whose pods crash-loop is rolled back to the last good one, with the pod and its last error', () => {
  const crash = pod('m-falco-x', NEW.hash, CRASHES_BEFORE_ROLLBACK, true, "Error: The 'buf_size_preset' value must be between '1' and '10'\n");
  const d = decideTemplate(observe({ pods: [crash] }));
  assert.equal(d.use, 'lastGood');
  assert.deepEqual(d.lastGood, GOOD);
  assert.deepEqual(d.failed, { hash: NEW.hash, generation: 7, pod: 'm-falco-x', message: "Error: The 'buf_size_preset' value must be between '1' and '10'" });
});

test('one failed start is not yet a crash loop, and pods crashing on another template condemn nothing', () => {
  assert.equal(decideTemplate(observe({ pods: [pod('p', NEW.hash, CRASHES_BEFORE_ROLLBACK - 1, true)] })).use, 'desired');
  assert.equal(decideTemplate(observe({ pods: [pod('p', h('other'), 5, true)] })).failed, undefined);
});

test('without a last good template there is nothing to return to: the crash is reported, the template stays', () => {
  const d = decideTemplate(observe({ lastGood: undefined, pods: [pod('p', NEW.hash, 4, true)] }));
  assert.equal(d.use, 'desired');
  assert.equal(d.failed, undefined);
});

test('the last good template itself is never condemned (a node problem is reported, not undone)', () => {
  const d = decideTemplate(observe({ desiredHash: GOOD.hash, live: GOOD, pods: [pod('p', GOOD.hash, 9, true)] }));
  assert.equal(d.use, 'desired');
  assert.equal(d.failed, undefined);
  assert.deepEqual(d.lastGood, GOOD, 'a crashing live template does not become the last good one');
});

test('a failed template stays rolled back while the spec renders it, and is tried again once it changes', () => {
  const failed = { hash: NEW.hash, generation: 7, pod: 'p', message: 'boom' };
  // Back on the good template: its pods run, the failed ones are gone.
  const held = decideTemplate(observe({ live: GOOD, liveComplete: true, pods: [pod('q', GOOD.hash, 0, false)], failed }));
  assert.equal(held.use, 'lastGood');
  assert.deepEqual(held.failed, failed);
  const fixed = decideTemplate(observe({ desiredHash: h('fixed'), live: GOOD, liveComplete: true, failed }));
  assert.equal(fixed.use, 'desired');
  assert.equal(fixed.failed, undefined);
});

test('a template becomes the last good one once its rollout completed with no pod crashing', () => {
  assert.deepEqual(decideTemplate(observe({ liveComplete: true, pods: [pod('p', NEW.hash, 0, false)] })).lastGood, NEW);
  assert.deepEqual(decideTemplate(observe({ liveComplete: false })).lastGood, GOOD, 'not before its rollout completed');
  assert.deepEqual(decideTemplate(observe({ lastGood: undefined, live: undefined })).lastGood, undefined);
});

test('a container killed from outside says so, next to the last line Falco printed', () => {
  const killed: V1Pod = {
    metadata: { name: 'p' },
    status: {
      containerStatuses: [
        {
          name: 'falco',
          image: '',
          imageID: '',
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', message: 'Loading rules from:\n   /etc/falco/falco_rules.yaml | schema validation: ok\n' } },
        },
      ],
    },
  };
  assert.deepEqual(crashingPods([killed]), [{ name: 'p', lastError: 'OOMKilled (exit code 137); last line: /etc/falco/falco_rules.yaml | schema validation: ok' }]);
});
