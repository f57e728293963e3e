import type { Logger } from '../log/logger.ts';
import { DEFAULT_LIMITS } from './deps.ts';
import type { McpDeps } from './deps.ts';
import { staticRulesEngine } from './rules-engine.ts';

export interface McpDepsOptions {
  namespace?: string;
  monitor?: string;
  readOnly: boolean;
  execTimeoutSeconds: number;
}

/**
 * The dependencies that need no cluster (limits, the static rules engine, the logger, the version
 * reported to clients). Apart from the cluster side so that `falconer mcp` can start on them
 * without loading the Kubernetes client.
 */
export function localDeps(opts: McpDepsOptions, logger: Logger): Omit<McpDeps, 'fleet' | 'objects' | 'defaults'> {
  return {
    rulesEngine: staticRulesEngine(),
    readOnly: opts.readOnly,
    limits: { ...DEFAULT_LIMITS, execTimeoutMs: opts.execTimeoutSeconds * 1000 },
    logger,
    version: process.env['npm_package_version'] ?? '0.1.0',
  };
}
