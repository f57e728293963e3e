import { Command } from 'commander';
import { FALCONER_VERSION } from '../core/version.ts';
import { subcommandOf } from './v8-tuning.ts';

type Register = (program: Command) => void;

/**
 * Subcommands, each loaded only when it runs: the operator and MCP server pull in client-node and
 * the MCP SDK, which would triple the start-up time of `falconer validate`.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  validate: async () => (await import('./commands/validate.ts')).registerValidateCommand,
  cluster: async () => (await import('./commands/cluster.ts')).registerClusterCommand,
  operator: async () => (await import('./commands/operator.ts')).registerOperatorCommand,
  mcp: async () => (await import('./commands/mcp.ts')).registerMcpCommand,
  dev: async () => (await import('./commands/dev.ts')).registerDevCommand,
  snapshots: async () => (await import('./commands/snapshots.ts')).registerSnapshotsCommand,
};

/** The `falconer` command line without its subcommands. */
export function bareProgram(): Command {
  return new Command('falconer')
    .description('Kubernetes operator and MCP server for Falco')
    .version(FALCONER_VERSION)
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
}

/** The `falconer` command line; with `argv`, only the subcommand it names is loaded. */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = bareProgram();
  const wanted = argv === undefined ? undefined : subcommandOf(argv);
  const names = wanted !== undefined && wanted in COMMANDS ? [wanted] : Object.keys(COMMANDS);
  for (const name of names) {
    const load = COMMANDS[name];
    if (load !== undefined) (await load())(program);
  }
  return program;
}
