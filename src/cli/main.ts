#!/usr/bin/env node
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { cacheRoot } from '../controlplane/versions.ts';
import { isFalconerError } from '../core/errors.ts';
import { mapStack } from './source-maps.ts';
import { tuneV8For } from './v8-tuning.ts';

/** Errors reach the user once, as text with their causes; a stack only for real bugs. */
function report(err: unknown): void {
  if (!isFalconerError(err)) {
    // The bundle's positions are mapped back to the TypeScript sources here, the one place the
    // CLI prints a stack (src/cli/source-maps.ts says why not everywhere).
    const text = err instanceof Error ? mapStack(err.stack ?? err.message, import.meta.url) : String(err);
    process.stderr.write(`falconer: unexpected error: ${text}\n`);
    return;
  }
  let line = `falconer: ${err.message}`;
  for (let cause: unknown = err.cause; cause instanceof Error; cause = cause.cause) line += `\n  caused by: ${cause.message}`;
  process.stderr.write(`${line}\n`);
}

// V8's compiled code, kept on disk between runs in the user's cache folder (FALCONER_CACHE_DIR
// or XDG_CACHE_HOME move it; NODE_DISABLE_COMPILE_CACHE=1 turns it off). A no-op when the folder
// cannot be written. Enabled before the command line is loaded, so that everything after this
// line is cached.
enableCompileCache(join(cacheRoot(), 'node-compile-cache'));
// Before the command's own code is compiled (src/cli/v8-tuning.ts says which flags and why).
tuneV8For(process.argv);

try {
  const { buildProgram } = await import('./program.ts');
  await (await buildProgram(process.argv)).parseAsync(process.argv);
} catch (err) {
  report(err);
  process.exitCode = 1;
}
