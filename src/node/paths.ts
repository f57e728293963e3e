/**
 * Machine-wide paths of the real node. containerd keeps its socket and state at the standard
 * place so that a Falco pod's hostPath /run/containerd finds it; that also makes the real node
 * one per machine, which the lock file enforces.
 */
export const CONTAINERD_RUN_DIR = '/run/containerd';
export const LOCK_DIR = '/run/falconer';
export const LOCK_FILE = `${LOCK_DIR}/real-node.json`;
export const REAL_NODE_NAME = 'falconer-real-node';
