import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { FalconerError } from '../core/errors.ts';
import { isAlive } from '../controlplane/processes.ts';
import { readState } from '../controlplane/state.ts';
import type { ClusterState } from '../controlplane/state.ts';
import { LOCK_DIR, LOCK_FILE } from './paths.ts';
import { teardownRealNode } from './teardown.ts';

/**
 * One real node per machine (containerd's socket sits at the standard path): a lock file names
 * the cluster folder that owns it. A lock whose cluster is gone is stale.
 */
function lockOwner(): { dir: string; state: ClusterState | undefined } | undefined {
  if (!existsSync(LOCK_FILE)) return undefined;
  try {
    const dir = (JSON.parse(readFileSync(LOCK_FILE, 'utf8')) as { dir?: string }).dir ?? '';
    return { dir, state: dir !== '' ? readState(dir) : undefined };
  } catch {
    return undefined;
  }
}

function isLive(state: ClusterState | undefined): boolean {
  return state !== undefined && (state.detached || isAlive(state.ownerPid)) && state.components.some((c) => isAlive(c.pid));
}

/** The folder of the running cluster that has the real node, if any. */
export function liveRealNodeOwner(): string | undefined {
  const owner = lockOwner();
  return owner !== undefined && isLive(owner.state) ? owner.dir : undefined;
}

/** Takes the lock for `clusterDir`, first tearing down a node whose owner died without doing so. */
export async function takeRealNodeLock(clusterDir: string): Promise<void> {
  const owner = lockOwner();
  if (owner !== undefined && owner.dir !== clusterDir) {
    if (isLive(owner.state)) {
      throw new FalconerError(`Another local cluster (${owner.dir}) runs the real node on this machine; only one can (containerd uses /run/containerd). Stop it first.`);
    }
    if (owner.state?.realNode !== undefined) await teardownRealNode(owner.state.realNode);
  }
  mkdirSync(LOCK_DIR, { recursive: true });
  writeFileSync(LOCK_FILE, `${JSON.stringify({ dir: clusterDir, pid: process.pid })}\n`);
}

/** Why a new cluster cannot have the real node right now (machine unsupported, or already taken). */
export function realNodeUnavailableReason(): string | undefined {
  const owner = liveRealNodeOwner();
  return owner !== undefined ? `another local cluster (${owner}) already runs this machine's real node` : undefined;
}
