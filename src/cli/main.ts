#!/usr/bin/env node
import { enableCompileCache } from 'node:module';
import { FalconerError } from '../core/errors.ts';
import { buildProgram } from './program.ts';

/** Errors reach the user once, as text with their causes; a stack only for real bugs. */
function report(err: unknown): void {
  if (!(err instanceof FalconerError)) {
    process.stderr.write(`falconer: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return;
  }
  let line = `falconer: ${err.message}`;
  for (let cause: unknown = err.cause; cause instanceof Error; cause = cause.cause) line += `\n  caused by: ${cause.message}`;
  process.stderr.write(`${line}\n`);
}

// Caches compiled code on disk between runs (a no-op when the cache folder is not writable).
enableCompileCache();

try {
  await (await buildProgram(process.argv)).parseAsync(process.argv);
} catch (err) {
  report(err);
  process.exitCode = 1;
}
