import { config } from 'zod';

/**
 * What a stdio server sets before mcp-run.ts loads (a start from the snapshot has that loaded, the
 * zod part set too). A module of its own, loaded only for stdio: `import('zod')` would keep every
 * export of zod, locales included (~430 KB more), where this keeps `config`.
 *
 * - console.log, info and debug write to stderr, as console.error does. stdout carries the MCP
 *   protocol, one JSON message a line, and a line some dependency prints with console.log would
 *   break the client's reading of it: winston's debug loggers print that way when DEBUG names
 *   them, the first ones as winston loads (its default logger).
 * - zod parses without compiling: it compiles a parser (`new Function`) for each object schema the
 *   first time it parses with it, and a stdio server, one per MCP session, parses a handful of
 *   messages, so compiling costs more than it saves (~7 ms before the first tools/list answer). It
 *   is read as schemas are built.
 */
export function prepareStdio(): void {
  // Methods, not a new Console: a start from the snapshot has no Console class to make one with.
  for (const method of ['log', 'info', 'debug'] as const) console[method] = console.error;
  config({ jitless: true });
}
