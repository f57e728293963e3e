import { receiveMessageOnPort, MessageChannel, Worker } from 'node:worker_threads';
import type { RuleFile, RulesValidation, ValidateOptions } from './validate.ts';

/** Enough for Falco's whole range (~8,170 nested parentheses at ~8 frames per level). */
const STACK_MB = 256;
const TIMEOUT_MS = 60_000;

export interface LargeStackRequest {
  readonly files: readonly RuleFile[];
  readonly options: ValidateOptions;
  readonly signal: Int32Array;
}

/**
 * Runs one validation on a worker thread with a large stack and waits for it synchronously (the
 * engine's API is synchronous). Only conditions nested deeper than this thread can follow come
 * here, so the cost of starting a thread (~0.1-0.3 s) is paid rarely.
 */
export function validateOnLargeStack(files: readonly RuleFile[], options: ValidateOptions): RulesValidation {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // Same extension as this module: .ts when run from source, .js once built.
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const worker = new Worker(new URL(`./large-stack-worker.${ext}`, import.meta.url), {
    workerData: { port: port2, request: { files, options, signal } },
    transferList: [port2],
    resourceLimits: { stackSizeMb: STACK_MB },
  });
  try {
    const waited = Atomics.wait(signal, 0, 0, TIMEOUT_MS);
    const message = receiveMessageOnPort(port1)?.message as { result?: RulesValidation; error?: string } | undefined;
    if (message?.result !== undefined) return message.result;
    throw new Error(`rules validation on a large stack failed: ${message?.error ?? (waited === 'timed-out' ? 'timed out' : 'no answer')}`);
  } finally {
    void worker.terminate();
    port1.close();
  }
}
