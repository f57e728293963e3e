/**
 * The small error hierarchy of Falconer. Every error names the object and the action it was
 * attempting; the original error travels in `cause`. Errors are returned or thrown, never
 * logged and rethrown: the outermost loop (work queue, CLI, MCP handler) logs once.
 *
 * FALCONER_ERROR marks Falconer's errors across copies of this module: the shipped operator is a bundle of its
 * own (src/build/bundle.ts), with its own FalconerError class, and the CLI's top level must
 * still tell its errors (a message for the user) from bugs (a stack).
 */
const FALCONER_ERROR = Symbol.for('falconer.dev/error');

export class FalconerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    Object.defineProperty(this, FALCONER_ERROR, { value: true });
  }
}

export function isFalconerError(err: unknown): err is FalconerError {
  return err instanceof FalconerError || (err instanceof Error && (err as unknown as Record<symbol, unknown>)[FALCONER_ERROR] === true);
}

/** Input a user can fix: a CR field, a rules file line, an MCP argument. Not retried. */
export class InvalidInputError extends FalconerError {
  readonly field: string | undefined;
  constructor(message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options);
    this.field = options?.field;
  }
}

/** A call to the Kubernetes API (or exec through it) failed. Usually worth a retry. */
export class KubeApiError extends FalconerError {
  readonly status: number | undefined;
  constructor(message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options);
    this.status = options?.status;
  }
}

/** An operation ran out of time or was cancelled by its caller. */
export class TimeoutError extends FalconerError {}

/** A local process (control-plane component, build step) failed. */
export class ProcessError extends FalconerError {
  readonly exitCode: number | null;
  constructor(message: string, options?: { exitCode?: number | null; cause?: unknown }) {
    super(message, options);
    this.exitCode = options?.exitCode ?? null;
  }
}

/** Text of an unknown thrown value, for messages that wrap it. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Exec found no Falco because the pod's node is simulated (kwok): its containers run nowhere. */
export class SimulatedNodeError extends FalconerError {}
