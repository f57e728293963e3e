import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCommand } from '../../src/controlplane/run-command.ts';
import { cacheRoot } from '../../src/controlplane/versions.ts';

/**
 * The MCP Inspector, a real MCP client, installed on first use into the per-machine cache rather
 * than as a dev dependency: its dependency tree has a Windows-only optional package the registry
 * here does not serve, which makes the project's lock file fail `npm ci` on a clean clone. A plain
 * install without a lock file skips the optional package.
 */
export const INSPECTOR_VERSION = '2.12.0';

export async function ensureInspector(): Promise<string> {
  const dir = join(cacheRoot(), 'tools', `inspector-${INSPECTOR_VERSION}`);
  const bin = join(dir, 'node_modules', '.bin', 'mcp-inspector');
  if (existsSync(bin)) return bin;
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  // npm runs install scripts with the `node` first on PATH: make that the Node 24 running us.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` };
  await runCommand('npm', ['install', '--prefix', staging, '--no-audit', '--no-fund', '--no-save', `@modelcontextprotocol/inspector@${INSPECTOR_VERSION}`], { env });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return bin;
}
