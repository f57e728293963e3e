import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCrds } from '../../api/install.ts';
import { cacheRoot } from '../../controlplane/versions.ts';
import { applyExamples, devExamples, ensureNamespace } from '../../dev/examples.ts';
import { chooseCluster } from '../../dev/choose-cluster.ts';
import { waitForMonitorReady } from '../../dev/watch-ready.ts';
import { onRealNodeMonitor, planRealNode } from '../../dev/real-node.ts';
import { loadImageArchive } from '../../node/images.ts';
import { createLogger } from '../../log/logger.ts';
import { serveHttp } from '../../mcp/http.ts';
import { allowedHostsFor } from '../../mcp/http-guard.ts';
import { createMcpServer } from '../../mcp/server.ts';
import { startOperator } from '../../operator/start-operator.ts';
import { progressPrinter } from '../progress.ts';
import { buildMcpDeps } from './mcp-deps.ts';
import type { DevFlags } from './dev.ts';

const EXAMPLE_MONITOR = 'falco';

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/** `falconer dev`'s action: the whole product on one machine, torn down by Ctrl-C. */
export async function runDev(flags: DevFlags): Promise<void> {
  const progress = progressPrinter();
  const logger = createLogger({ level: process.env['FALCONER_LOG_LEVEL'] ?? 'warn' });
  const stack: Array<() => Promise<void>> = [];
  const teardown = async (): Promise<void> => {
    for (const undo of stack.reverse()) await undo().catch((err: unknown) => logger.error('Teardown step failed', { error: String(err) }));
  };
  try {
    // The real node needs Linux, root, BTF and a Falco image; without them everything stays simulated.
    const plan = planRealNode({ wanted: flags.realNode, ...(flags.falcoImageArchive !== undefined ? { archive: flags.falcoImageArchive } : {}) });
    const cluster = await chooseCluster({
      realNode: plan.use,
      forceLocal: flags.local,
      clusterName: flags.clusterName,
      ...(flags.kubeconfig !== undefined ? { kubeconfigPath: flags.kubeconfig } : {}),
      nodes: flags.nodes,
      execPath: flags.falcoPath !== undefined ? [flags.falcoPath] : [],
      progress,
    });
    if (cluster.local !== undefined) stack.push(() => cluster.local?.stop() ?? Promise.resolve());
    progress.step(`Using ${cluster.description}`);
    let falcoImage: string | undefined;
    if (cluster.local !== undefined && !plan.use) progress.step(`No real node: ${plan.reason}`);
    if (cluster.local?.realNode !== undefined && plan.use) {
      progress.step(`Importing ${plan.archive} into the real node`);
      falcoImage = (await loadImageArchive(cluster.local.realNode, plan.archive))[0];
      if (falcoImage === undefined) throw new Error(`The archive ${plan.archive} held no named image`);
    }
    const kc = cluster.kubeConfig;

    progress.step('Installing the FalcoRuleSet and FalcoMonitor CRDs');
    await installCrds(kc, { timeoutMs: 60_000 });

    progress.step('Starting the operator');
    // Simulated nodes cannot run Falco, so no verification Job could ever finish there: on the
    // embedded control plane without its real node the operator relies on the static check and
    // says so in status. With the real node, the Job runs the real `falco -V` there.
    const verification = cluster.local !== undefined && falcoImage === undefined ? 'static' : 'job';
    if (verification === 'static') progress.step('Simulated nodes cannot run Falco: rule sets are checked statically only (Verified=Unknown, reason VerificationSkipped)');
    // Scoped to the demo namespace: on a shared cluster, dev must not reconcile anyone else's CRs.
    // Nor can they answer on Falco's /metrics: the per-node report is left out there.
    const falcoMetrics = verification === 'static' || !flags.falcoMetrics ? false : undefined;
    const operator = await startOperator({ kubeConfig: kc, logger, namespace: flags.namespace, leaderElection: false, healthPort: 0, metricsPort: 0, bindAddress: '127.0.0.1', settings: { verification }, ...(falcoMetrics === false ? { falcoMetrics } : {}) });
    stack.push(() => operator.stop());

    progress.step('Starting the MCP server (Streamable HTTP on loopback)');
    const token = randomBytes(24).toString('hex');
    const tokenDir = join(cacheRoot(), 'dev');
    mkdirSync(tokenDir, { recursive: true });
    const tokenFile = join(tokenDir, 'mcp-token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const deps = buildMcpDeps(kc, { namespace: flags.namespace, monitor: EXAMPLE_MONITOR, readOnly: false, execTimeoutSeconds: 30 }, logger);
    const mcp = await serveHttp({ host: '127.0.0.1', port: flags.mcpPort, token, allowedHosts: allowedHostsFor('127.0.0.1', []), newServer: () => createMcpServer(deps), logger });
    stack.push(() => mcp.close());

    if (flags.examples) {
      progress.step(`Applying the examples to namespace ${flags.namespace}`);
      await ensureNamespace(kc, flags.namespace);
      const examples = falcoImage !== undefined ? onRealNodeMonitor(devExamples(), falcoImage) : devExamples();
      if (falcoImage !== undefined) progress.step(`The example monitor runs ${falcoImage} on the real node`);
      await applyExamples(kc, flags.namespace, examples);
      await waitForMonitorReady(kc, flags.namespace, EXAMPLE_MONITOR, { timeoutMs: flags.timeout * 1000, onChange: progress.step });
    }
    progress.done('Falconer is running');
    const kubectl = cluster.local !== undefined ? join(cluster.local.binDir, 'kubectl') : 'kubectl';
    process.stdout.write(
      [
        `  kubeconfig:  export KUBECONFIG=${cluster.kubeconfigPath ?? '(in-cluster)'}`,
        `  look:        ${kubectl} get falconer -n ${flags.namespace}`,
        `  MCP:         ${mcp.url}  (Authorization: Bearer ${token}; also in ${tokenFile})`,
        `  operator:    http://127.0.0.1:${operator.healthPort ?? '?'}/readyz, http://127.0.0.1:${operator.metricsPort ?? '?'}/metrics`,
        cluster.local !== undefined && falcoImage === undefined ? '  note:        nodes and kubelets are simulated by kwok; Falco itself does not run on them' : '',
        falcoImage !== undefined ? `  real node:   ${cluster.local?.realNode?.name ?? '?'} runs ${falcoImage} (kwok's nodes stay simulated)` : '',
        flags.exitWhenReady ? '' : 'Press Ctrl-C to stop everything this command started.',
        '',
      ]
        .filter((l) => l !== '')
        .join('\n') + '\n',
    );
    if (!flags.exitWhenReady) await waitForSignal();
    progress.step('Stopping');
  } finally {
    await teardown();
  }
  progress.done('Stopped everything falconer dev started');
}
