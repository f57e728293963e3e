import { rmSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';

/*
 * Each action loads what it runs (the control plane's modules, the real node's) when it runs:
 * `falconer --help` and `falconer --version` register every command, and `dev` takes parseCount
 * from here.
 */

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 5000) throw new InvalidArgumentError('must be an integer between 0 and 5000');
  return n;
}

const DEFAULT_NAME = 'default';

export function registerClusterCommand(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('Run a local Kubernetes control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok nodes)');

  cluster
    .command('up')
    .description('Build (first time only) and start the local control plane; prints the kubeconfig to use')
    .option('--name <name>', 'cluster name', DEFAULT_NAME)
    .option('--nodes <n>', 'number of simulated nodes', parseCount, 3)
    .option('--exec-path <dirs>', 'folders searched first for commands exec\'d into simulated pods (colon-separated)')
    .option('--real-node', 'also start one real node (kubelet, containerd, runc, CNI) in its own network namespace; Linux and root only', false)
    .option('--foreground', 'stay attached and tear down on Ctrl-C instead of leaving the cluster running', false)
    .action(async (opts: { name: string; nodes: number; execPath?: string; realNode: boolean; foreground: boolean }) => {
      const { realNodeUnsupportedReason } = await import('../../node/capability.ts');
      const { startCluster } = await import('../../controlplane/cluster.ts');
      const { progressPrinter } = await import('../progress.ts');
      const unsupported = opts.realNode ? realNodeUnsupportedReason() : undefined;
      if (unsupported !== undefined) throw new InvalidArgumentError(`--real-node: ${unsupported}`);
      const progress = progressPrinter();
      const running = await startCluster({
        name: opts.name,
        nodes: opts.nodes,
        realNode: opts.realNode,
        detached: !opts.foreground,
        execPath: opts.execPath?.split(':').filter((d) => d !== '') ?? [],
        onStep: progress.step,
        onBuildProgress: progress.build,
      });
      const real = running.realNode !== undefined ? ` and the real node ${running.realNode.name}` : '';
      progress.done(`Local cluster "${running.name}" is ready in ${running.startupSeconds.toFixed(1)} s with ${running.nodeNames.length} simulated nodes${real}`);
      process.stdout.write(`export KUBECONFIG=${running.kubeconfigPath}\n`);
      if (!opts.foreground) return;
      process.stderr.write('Press Ctrl-C to stop it.\n');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await running.stop();
    });

  cluster
    .command('down')
    .description('Stop a local control plane started with `cluster up` and delete its data')
    .option('--name <name>', 'cluster name', DEFAULT_NAME)
    .action(async (opts: { name: string }) => {
      const { clusterDir, readState, stopFromState } = await import('../../controlplane/state.ts');
      const dir = clusterDir(opts.name);
      const state = readState(dir);
      if (state === undefined) {
        process.stderr.write(`No local cluster named "${opts.name}" (looked in ${dir})\n`);
        process.exitCode = 1;
        return;
      }
      const stopped = await stopFromState(state);
      rmSync(dir, { recursive: true, force: true });
      process.stdout.write(`Stopped local cluster "${opts.name}" (${stopped} processes)\n`);
    });

  cluster
    .command('status')
    .description('Show whether a local control plane is running and ready')
    .option('--name <name>', 'cluster name', DEFAULT_NAME)
    .action(async (opts: { name: string }) => {
      const { clusterDir, readState } = await import('../../controlplane/state.ts');
      const { isAlive } = await import('../../controlplane/processes.ts');
      const { probe } = await import('../../controlplane/probe.ts');
      const state = readState(clusterDir(opts.name));
      if (state === undefined) {
        process.stdout.write(`Local cluster "${opts.name}": not running\n`);
        process.exitCode = 1;
        return;
      }
      const all = [...state.components, ...(state.realNode?.components ?? [])];
      const alive = all.filter((c) => isAlive(c.pid)).map((c) => c.name);
      const ready = (await probe(`${state.server}/readyz`, { insecure: true }))?.status;
      process.stdout.write(
        [
          `Local cluster "${state.name}"`,
          `  server:     ${state.server} (readyz HTTP ${ready ?? 'no answer'})`,
          `  kubeconfig: ${state.kubeconfigPath}`,
          `  nodes:      ${state.nodes.length} simulated${state.realNode !== undefined ? `, real node ${state.realNode.name} (${state.realNode.nodeIp})` : ''}`,
          `  processes:  ${alive.length}/${all.length} running (${alive.join(', ')})`,
          '',
        ].join('\n'),
      );
      if (alive.length !== all.length) process.exitCode = 1;
    });

  cluster
    .command('load')
    .description('Import an image archive (docker save / OCI) into the real node, like `kind load image-archive`; nothing is ever pulled')
    .argument('<image-archive>', 'the archive file')
    .option('--name <name>', 'cluster name', DEFAULT_NAME)
    .action(async (archive: string, opts: { name: string }) => {
      const { clusterDir, readState } = await import('../../controlplane/state.ts');
      const { loadImageArchive } = await import('../../node/images.ts');
      const state = readState(clusterDir(opts.name));
      if (state?.realNode === undefined) {
        process.stderr.write(`Local cluster "${opts.name}" has no real node; start it with: falconer cluster up --name ${opts.name} --real-node\n`);
        process.exitCode = 1;
        return;
      }
      const images = await loadImageArchive(state.realNode, archive);
      process.stdout.write(`Loaded into ${state.realNode.name}: ${images.join(', ')}\n`);
    });
}
