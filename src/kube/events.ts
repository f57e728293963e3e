import { randomBytes } from 'node:crypto';
import { V1MicroTime } from '@kubernetes/client-node';
import type { EventsV1Event } from '@kubernetes/client-node';
import type { Owner } from './apply.ts';
import type { Logger } from '../log/logger.ts';
import { describeError } from '../core/errors.ts';
import { objectPath } from './rest.ts';
import type { KubeRest } from './rest.ts';

export type EventType = 'Normal' | 'Warning';

export interface RecordedEvent {
  type: EventType;
  /** PascalCase, from the kind's reason catalogue. */
  reason: string;
  /** What the operator did or decided: Verify, Apply, Reject, Rollout, Suspend… */
  action: string;
  /** A full sentence for `kubectl describe`. */
  note: string;
}

export interface EventRecorder {
  record(regarding: Owner & { metadata: { namespace?: string } }, event: RecordedEvent): Promise<void>;
}

/**
 * Writes events.k8s.io/v1 Events about Falconer's objects. Reconcilers call it only for decisions
 * (a transition, a rejection, a rollout), never on every pass, so a settled operator is silent.
 * An Event that cannot be written is logged and dropped: it must never fail a reconcile.
 */
export function createEventRecorder(rest: KubeRest, instance: string, logger: Logger): EventRecorder {
  return {
    async record(regarding, event) {
      const namespace = regarding.metadata.namespace ?? 'default';
      const body: EventsV1Event = {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        // client-go's naming: <object>.<hex time>; a generateName ending in "." is invalid.
        metadata: { name: `${regarding.metadata.name}.${eventSuffix()}`, namespace },
        eventTime: new V1MicroTime(Date.now()),
        reportingController: 'falconer.dev/operator',
        reportingInstance: instance.slice(0, 128),
        action: event.action,
        reason: event.reason,
        note: event.note.slice(0, 1024),
        type: event.type,
        regarding: {
          apiVersion: regarding.apiVersion,
          kind: regarding.kind,
          name: regarding.metadata.name,
          namespace,
          uid: regarding.metadata.uid,
        },
      };
      try {
        // eventTime is a V1MicroTime: JSON.stringify writes it with microseconds, as the API wants.
        await rest.send('POST', objectPath('events.k8s.io/v1', 'events', namespace), body);
      } catch (err) {
        logger.info('Could not record Event', { reason: event.reason, error: describeError(err) });
      }
    },
  };
}

function eventSuffix(): string {
  return `${Date.now().toString(16)}${randomBytes(3).toString('hex')}`;
}
