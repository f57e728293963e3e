#!/usr/bin/env node
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { cacheRoot } from '../controlplane/versions.ts';
import { reportError } from './report-error.ts';
import { tuneV8For } from './v8-tuning.ts';

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
  reportError(err, import.meta.url);
  process.exitCode = 1;
}
