import { config } from 'zod';

/**
 * zod compiles a parser (`new Function`) for each object schema the first time it parses with it;
 * a stdio server, one per MCP session, parses a handful of messages, so compiling costs more than
 * it saves (~7 ms before the first tools/list answer). Read as schemas are built: called before
 * the SDK's and the tools' schemas load. A module of its own so that the bundle imports only
 * `config` here; `import('zod')` would keep every export of zod, locales included (~430 KB more).
 */
export function parseWithoutCompiling(): void {
  config({ jitless: true });
}
