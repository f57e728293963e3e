import type { Logger } from '../log/logger.ts';
import type { FalcoArgv } from '../falco/argv.ts';
import type { ExecResult } from '../kube/exec.ts';
import type { FalcoPod } from '../kube/pods.ts';
import type { Issue } from './rule-issues.ts';

/**
 * What the tools need from the cluster, as small interfaces: the real implementation talks to
 * the API server (kube-deps.ts); in-process tests pass plain objects.
 */
export interface FalcoFleet {
  /** Every pod of the monitor (Ready or not), found through the monitor's label selector. */
  listPods(namespace: string, monitor: string, signal: AbortSignal): Promise<FalcoPod[]>;
  exec(pod: FalcoPod, argv: FalcoArgv, options: FleetExecOptions): Promise<ExecResult>;
  readLog(pod: FalcoPod, options: FleetLogOptions): Promise<string>;
}

export interface FleetExecOptions {
  stdin?: string;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface FleetLogOptions {
  tailLines: number;
  sinceSeconds?: number;
  limitBytes: number;
  timeoutMs: number;
  signal: AbortSignal;
}

/** The parts of a Falconer custom resource the tools read; the full object stays opaque. */
export interface FalconerObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; generation?: number; creationTimestamp?: Date | string };
  spec?: unknown;
  status?: {
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string; observedGeneration?: number }>;
    [key: string]: unknown;
  };
}

export interface FalconerObjects {
  listMonitors(namespace: string): Promise<FalconerObject[]>;
  getMonitor(namespace: string, name: string): Promise<FalconerObject | undefined>;
  listRuleSets(namespace: string): Promise<FalconerObject[]>;
  getRuleSet(namespace: string, name: string): Promise<FalconerObject | undefined>;
  /**
   * Server-side apply with field manager `falconer`; returns the object as stored. `force`
   * takes over fields another manager owns (otherwise such a conflict is an error).
   */
  /** Server-side apply; with `dryRun` the API server validates and answers without storing. */
  applyMonitor(monitor: FalconerObject, force: boolean, dryRun?: boolean): Promise<FalconerObject>;
}


export interface FieldClassSummary {
  name: string;
  qualifier?: string;
  description?: string;
  sources: string[];
  fields: Array<{ name: string; description: string; flags: string[] }>;
}

/**
 * The static rules engine (src/rules), injected so tests can leave it out or stub it; a
 * missing member is reported as "not available" rather than failing the tool.
 */
export interface StaticRulesEngine {
  /** `falcoVersion`: the release to model (the monitor's image); absent models the default image's. */
  validate?(files: Array<{ name: string; content: string }>, falcoVersion?: string): { valid: boolean; issues: Issue[]; modelledFalcoVersion?: string | undefined };
  listFieldClasses?(source?: string): FieldClassSummary[];
}

export interface McpLimits {
  execTimeoutMs: number;
  /** Bytes kept from each of stdout and stderr of one exec. `-L` JSON is ~0.6 MB on stock rules. */
  maxExecOutputBytes: number;
  /** Pods exec'd or read at once when a tool spans the fleet. */
  fleetConcurrency: number;
  logLimitBytes: number;
}

export interface McpDeps {
  fleet: FalcoFleet;
  objects: FalconerObjects;
  rulesEngine?: StaticRulesEngine;
  defaults: { namespace: string; monitor?: string };
  readOnly: boolean;
  limits: McpLimits;
  logger: Logger;
  /** Reported to clients in serverInfo. */
  version: string;
  /** Clock for alert windows and waits; injected so tests can pin it. */
  now?: () => Date;
}

export const DEFAULT_LIMITS: McpLimits = {
  execTimeoutMs: 30_000,
  maxExecOutputBytes: 8 * 1024 * 1024,
  fleetConcurrency: 5,
  logLimitBytes: 2 * 1024 * 1024,
};
