import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { getTestCluster } from '../support/cluster.ts';
import { clusterDir } from '../../src/controlplane/state.ts';
import { recordedPodLog } from '../operator/support/harness.ts';
import { shippedCli } from '../support/shipped-cli.ts';

const main = shippedCli();

interface DevRun {
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  child: ReturnType<typeof spawn>;
}

function runDev(args: string[]): DevRun {
  const child = spawn(process.execPath, [main, 'dev', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FALCONER_LOG_LEVEL: 'error' } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { stdout: () => out, stderr: () => err, exited, child };
}

async function untilOutput(run: DevRun, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(run.stdout())) {
    if (Date.now() > deadline) throw new Error(`falconer dev printed no ${pattern} in time.\nstdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('falconer dev', () => {
  it('uses a reachable cluster from the kubeconfig and brings the example monitor to Ready', async () => {
    const cluster = await getTestCluster();
    const ns = `dev-${process.pid}`;
    // A real cluster runs verification Jobs; here the test plays Falco and accepts the rules,
    // printing what a real Falco 0.42.1 printed for a valid rules file.
    await cluster.kubectl(['create', 'namespace', ns]);
    await cluster.setVerificationOutcome(ns, { result: 'succeed', logFile: recordedPodLog('validate_loaded_json') });
    const run = runDev(['--kubeconfig', cluster.kubeconfigPath, '--namespace', ns, '--exit-when-ready', '--timeout', '240', '--no-falco-metrics']);
    const code = await run.exited;
    assert.equal(code, 0, `stdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`);
    assert.match(run.stderr(), /Using the configured cluster/);
    assert.match(run.stdout(), /MCP:\s+http:\/\/127\.0\.0\.1:\d+\/mcp/);
    const got = await cluster.kubectl(['get', 'fmon', 'falco', '-n', ns, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
    assert.equal(got.stdout, 'True');
  });

  it('boots the embedded control plane when asked, serves MCP, and Ctrl-C tears down what it started', async () => {
    const name = `dev-test-${process.pid}`;
    const run = runDev(['--local', '--cluster-name', name, '--nodes', '2', '--timeout', '240']);
    await untilOutput(run, /Press Ctrl-C/, 300_000);
    const url = /MCP:\s+(\S+)\s+\(Authorization: Bearer (\w+)/.exec(run.stdout());
    assert.ok(url?.[1] !== undefined && url[2] !== undefined, run.stdout());
    const unauthorised = await fetch(url[1], { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(unauthorised.status, 401);
    assert.ok(existsSync(clusterDir(name)), 'the local cluster is running');
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 0, run.stderr());
    assert.match(run.stderr(), /Stopped everything falconer dev started/);
    assert.equal(existsSync(clusterDir(name)), false, 'the local cluster was removed');
  });
});
