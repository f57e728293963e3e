import { FALCONER_VERSION } from '../core/version.ts';
import type { Logger } from '../log/logger.ts';
import { DEFAULT_LIMITS } from './deps.ts';
import type { McpDeps } from './deps.ts';

export interface McpDepsOptions {
  namespace?: string;
  monitor?: string;
  readOnly: boolean;
  execTimeoutSeconds: number;
}

/**
 * The light dependencies (limits, the logger, the version reported to clients): what `falconer
 * mcp` starts on before it loads the Kubernetes client and the rules engine (lazy-deps.ts).
 */
export function localDeps(opts: McpDepsOptions, logger: Logger): Omit<McpDeps, 'fleet' | 'objects' | 'defaults' | 'rulesEngine'> {
  return {
    readOnly: opts.readOnly,
    limits: { ...DEFAULT_LIMITS, execTimeoutMs: opts.execTimeoutSeconds * 1000 },
    logger,
    version: FALCONER_VERSION,
  };
}
