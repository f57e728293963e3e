/**
 * `falconer validate` and `falconer mcp` started through the launcher, and what each process ran:
 * main.js, or node from a startup snapshot. The launcher execs node (same pid), so which of the
 * two runs is read from /proc/<pid>/cmdline while the process waits on input: a FIFO for
 * validate, stdin for mcp.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cmdlineOf(pid: number | undefined): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/** What a process ran (its command line once node runs) and what came of it. */
export interface Launched {
  cmdline: string[];
  result: Run;
}

let fifos = 0;

/**
 * The command line of `falconer validate <fifo>` while it waits for the FIFO (made in `folder`),
 * then its result once `rules` was written to it. The FIFO's path reads `<rules>` in the output.
 */
export async function validateCmdline(launcher: string, env: NodeJS.ProcessEnv, folder: string, rules: string): Promise<Launched> {
  const fifo = join(folder, `rules-${process.pid}-${(fifos += 1)}.fifo`);
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const child = spawn(launcher, ['validate', fifo], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  // Its command line settles once node runs.
  let cmdline: string[] = [];
  for (let i = 0; i < 200 && !cmdline.some((a) => a.endsWith('node')); i += 1) {
    await sleep(25);
    cmdline = cmdlineOf(child.pid);
  }
  writeFileSync(fifo, rules);
  const status = await closed;
  return { cmdline, result: { status, stdout: stdout.replaceAll(fifo, '<rules>'), stderr } };
}

/**
 * `falconer mcp <args…>` over stdio: initialize, then tools/list; its command line once it
 * answered, the names of the tools it listed, and its exit code at the end of stdin.
 */
export async function mcpToolsList(launcher: string, env: NodeJS.ProcessEnv, args: readonly string[]): Promise<{ cmdline: string[]; tools: string[]; code: number | null; stderr: string }> {
  const child = spawn(launcher, ['mcp', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const answers: Array<{ id?: number; result?: { tools?: Array<{ name: string }> } }> = [];
  const listed = new Promise<void>((resolve) =>
    createInterface({ input: child.stdout }).on('line', (line) => {
      answers.push(JSON.parse(line) as { id?: number });
      if (answers.some((a) => a.id === 2)) resolve();
    }),
  );
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } })}\n`);
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
  await listed;
  const cmdline = cmdlineOf(child.pid);
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const tools = answers.find((a) => a.id === 2)?.result?.tools?.map((t) => t.name) ?? [];
  return { cmdline, tools, code, stderr };
}

/** A kubeconfig (written to `file`) that points nowhere: enough for `falconer mcp` to start. */
export function unreachableKubeconfig(file: string): string {
  writeFileSync(file, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: ns}}]\ncurrent-context: x\n');
  return file;
}

/** The blob a node command line starts from (`--snapshot-blob <blob>`), or undefined. */
export function snapshotOf(cmdline: readonly string[]): string | undefined {
  const at = cmdline.indexOf('--snapshot-blob');
  return at < 0 ? undefined : cmdline[at + 1];
}
