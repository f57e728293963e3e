import { isFalconerError } from '../core/errors.ts';
import { mapStack } from './source-maps.ts';

/**
 * Writes an error that ended a command to stderr, once: a Falconer error as its message and its
 * causes, anything else (a bug) with its stack mapped back to the TypeScript sources (the one
 * place the CLI prints a stack; src/cli/source-maps.ts says why). `bundleUrl` is the URL of a
 * file in the bundle's folder.
 */
export function reportError(err: unknown, bundleUrl: string): void {
  if (!isFalconerError(err)) {
    const text = err instanceof Error ? mapStack(err.stack ?? err.message, bundleUrl) : String(err);
    process.stderr.write(`falconer: unexpected error: ${text}\n`);
    return;
  }
  let line = `falconer: ${err.message}`;
  for (let cause: unknown = err.cause; cause instanceof Error; cause = cause.cause) line += `\n  caused by: ${cause.message}`;
  process.stderr.write(`${line}\n`);
}
