/**
 * The official Python MCP SDK as a third-party client for tests: a virtual environment under
 * the machine's cache with a pinned `mcp` from PyPI, made on first use (needs python3 with venv,
 * which this kind of machine has, and PyPI). Test support only.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../src/controlplane/versions.ts';
import { runCommand } from '../../src/controlplane/run-command.ts';

export const PYTHON_MCP_VERSION = '1.30.0';

let ready: Promise<string> | undefined;

/** The venv's python, with `mcp==PYTHON_MCP_VERSION` installed. */
export function pythonWithMcp(): Promise<string> {
  ready ??= (async () => {
    const dir = join(cacheRoot(), `python-mcp-${PYTHON_MCP_VERSION}`);
    const python = join(dir, 'bin', 'python');
    if (existsSync(join(dir, '.complete'))) return python;
    rmSync(dir, { recursive: true, force: true });
    await runCommand('python3', ['-m', 'venv', dir]);
    await runCommand(join(dir, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `mcp==${PYTHON_MCP_VERSION}`]);
    await runCommand('touch', [join(dir, '.complete')]);
    return python;
  })();
  return ready;
}

export interface PythonMcpRun {
  server: string;
  prompts: string[];
  results: Array<{ isError: boolean; structuredContent: Record<string, unknown> | null; text: string[] }>;
}

/** Runs test/mcp/python/client.py against a stdio server command. */
export async function runPythonClient(config: {
  command: string;
  args: string[];
  env: Record<string, string>;
  elicit: 'accept' | 'decline';
  calls: Array<{ name: string; arguments: Record<string, unknown> }>;
}): Promise<PythonMcpRun> {
  const python = await pythonWithMcp();
  const script = new URL('../mcp/python/client.py', import.meta.url).pathname;
  const out = await runCommand(python, [script, JSON.stringify(config)]);
  return JSON.parse(out.stdout) as PythonMcpRun;
}
