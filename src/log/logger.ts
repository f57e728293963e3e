import winston from 'winston';

/** The fixed metadata keys a log line may carry, in the Kubernetes controller style. */
export interface LogContext {
  controller?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  reconcileId?: string;
  component?: string;
}

export type LogFormat = 'json' | 'text';

export interface LoggerOptions {
  level?: string;
  format?: LogFormat;
  /**
   * Send every line to stderr. Required under MCP stdio, where stdout carries the protocol,
   * and the default everywhere else so that command output on stdout stays machine-readable.
   */
  stderr?: boolean;
}

/** JSON in a cluster (KUBERNETES_SERVICE_HOST is set there), readable text on a terminal. */
export function defaultLogFormat(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const explicit = env['FALCONER_LOG_FORMAT'];
  if (explicit === 'json' || explicit === 'text') return explicit;
  return env['KUBERNETES_SERVICE_HOST'] !== undefined ? 'json' : 'text';
}

export function createLogger(options: LoggerOptions = {}): winston.Logger {
  const format = options.format ?? defaultLogFormat();
  const level = options.level ?? process.env['FALCONER_LOG_LEVEL'] ?? 'info';
  const lineFormat =
    format === 'json'
      ? winston.format.combine(winston.format.timestamp(), winston.format.json())
      : winston.format.combine(
          winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
          winston.format.printf(({ timestamp, level: lvl, message, ...meta }) => {
            const extra = Object.keys(meta).length > 0 ? ` ${JSON.stringify(meta)}` : '';
            return `${String(timestamp)} ${lvl.toUpperCase().padEnd(5)} ${String(message)}${extra}`;
          }),
        );
  return winston.createLogger({
    level,
    format: lineFormat,
    transports: [
      new winston.transports.Console({
        stderrLevels: options.stderr === false ? [] : Object.keys(winston.config.npm.levels),
      }),
    ],
  });
}

export type Logger = winston.Logger;

/** A logger that drops everything: for unit tests and library callers that bring none. */
export function silentLogger(): winston.Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
