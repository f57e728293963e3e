import { spawn } from 'node:child_process';
import { ProcessError } from '../core/errors.ts';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, collecting its output; rejects on a non-zero exit unless allowed. */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string; allowFailure?: boolean } = {},
): Promise<CommandResult> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // A command that exits without reading its input closes the pipe first: that EPIPE is not an error.
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (err) => reject(new ProcessError(`Could not start ${command}: ${err.message}`, { cause: err })));
    child.on('close', resolve);
  });
  if (code !== 0 && options.allowFailure !== true) {
    throw new ProcessError(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim().slice(-2000)}`, {
      exitCode: code,
    });
  }
  return { code, stdout, stderr };
}
