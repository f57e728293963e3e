import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { cacheRoot } from './versions.ts';
import { commandLine, isAlive, stopProcess } from './processes.ts';
import { RealNodeRecordSchema } from '../node/record.ts';
import { teardownRealNode } from '../node/teardown.ts';

/** What a running local cluster leaves on disk, so `status`, `down` and the reaper can find it. */
export const ClusterStateSchema = z.object({
  name: z.string(),
  dir: z.string(),
  ownerPid: z.number().int(),
  detached: z.boolean(),
  binDir: z.string(),
  kubeconfigPath: z.string(),
  server: z.string(),
  nodes: z.array(z.string()),
  startedAt: z.string(),
  components: z.array(z.object({ name: z.string(), pid: z.number().int(), logFile: z.string() })),
  /** The real node beside kwok's (src/node), when the cluster was started with one. */
  realNode: RealNodeRecordSchema.optional(),
});
export type ClusterState = z.infer<typeof ClusterStateSchema>;

export function clustersRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'clusters');
}

export function clusterDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(clustersRoot(env), name);
}

export function writeState(state: ClusterState): void {
  mkdirSync(state.dir, { recursive: true });
  writeFileSync(join(state.dir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
}

export function readState(dir: string): ClusterState | undefined {
  const file = join(dir, 'state.json');
  if (!existsSync(file)) return undefined;
  const parsed = ClusterStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/** A pid is still one of ours only if it runs a binary from the cluster's binary folder. */
function ownsPid(state: ClusterState, pid: number): boolean {
  const cmd = commandLine(pid);
  return cmd !== undefined && cmd.includes(state.binDir);
}

export async function stopFromState(state: ClusterState): Promise<number> {
  let stopped = 0;
  // The real node first: it leans on the API server (through the relay), not the other way round.
  if (state.realNode !== undefined) {
    stopped += state.realNode.components.filter((c) => isAlive(c.pid)).length;
    await teardownRealNode(state.realNode);
  }
  // Reverse start order: kwok and controllers first, etcd last, so nothing logs storage errors.
  for (const c of [...state.components].reverse()) {
    if (isAlive(c.pid) && ownsPid(state, c.pid)) {
      await stopProcess(c.pid);
      stopped += 1;
    }
  }
  return stopped;
}

/**
 * Stops clusters whose owner died without tearing them down (a test run killed with SIGKILL, a
 * crashed `falconer dev`). Detached clusters from `falconer cluster up` are left alone.
 */
export async function reapOrphans(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const root = clustersRoot(env);
  if (!existsSync(root)) return [];
  const reaped: string[] = [];
  for (const name of readdirSync(root)) {
    const state = readState(join(root, name));
    if (state === undefined || state.detached || isAlive(state.ownerPid)) continue;
    await stopFromState(state);
    rmSync(state.dir, { recursive: true, force: true });
    reaped.push(name);
  }
  return reaped;
}
