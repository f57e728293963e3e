/**
 * The small error hierarchy of Falconer. Every error names the object and the action it was
 * attempting; the original error travels in `cause`. Errors are returned or thrown, never
 * logged and rethrown: the outermost loop (work queue, CLI, MCP handler) logs once.
 */
export class FalconerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
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
