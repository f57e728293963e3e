import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { setStackSafeDepth } from './condition/parser.ts';
import type { LargeStackRequest } from './large-stack.ts';
import { validateRuleFilesInline } from './validate.ts';

/** The thread side of validateOnLargeStack: no stack-safe bound here, the stack is large. */
const { port, request } = workerData as { port: MessagePort; request: LargeStackRequest };
setStackSafeDepth(Number.POSITIVE_INFINITY);
try {
  port.postMessage({ result: validateRuleFilesInline(request.files, request.options) });
} catch (error) {
  port.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
Atomics.store(request.signal, 0, 1);
Atomics.notify(request.signal, 0);
