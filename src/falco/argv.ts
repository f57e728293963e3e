import { InvalidInputError } from '../core/errors.ts';

/**
 * The only command lines Falconer runs inside Falco pods. Falco pods are privileged, so exec
 * into them is node-level power: argv is built here from fixed flags, never from a shell, and
 * every value that does come from a caller passes a guard first. The brand keeps a plain
 * string[] from reaching exec by accident.
 */
export type FalcoArgv = readonly string[] & { readonly __falcoArgv: true };

const FALCO = 'falco';
const JSON_OUTPUT = ['-o', 'json_output=true'] as const;
/** Where the official image (and the recordings) keep the stock rules. */
export const DEFAULT_RULES_FILE = '/etc/falco/falco_rules.yaml';
/** `-V /dev/stdin` reads the candidate streamed over exec stdin (shown by the recordings). */
export const STDIN_PATH = '/dev/stdin';

const MAX_VALUE_LENGTH = 256;
// Control characters end a line in Falco's own messages and in logs; shell metacharacters are
// harmless without a shell but never part of a real rule name, so their presence means misuse.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const SHELL_META = /[;`$|&<>\\]/;
export const SOURCE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
/**
 * Folders rules files may be named from: the image's own (/etc/falco) and where the operator
 * mounts a monitor's bundle (RULES_DIR in src/operator/builders/bundle.ts; a test checks they
 * agree).
 */
export const RULES_DIRS = ['/etc/falco/', '/etc/falconer/rules/'] as const;
const RULES_FILE_NAME = /^[A-Za-z0-9._\/-]+\.ya?ml$/;

function brand(argv: string[]): FalcoArgv {
  return Object.freeze(argv) as unknown as FalcoArgv;
}

/** Refuses a caller-supplied value that could act as a flag or break out of its argument. */
export function assertSafeValue(value: string, field: string): string {
  const problem =
    value.trim() === ''
      ? 'must not be empty'
      : value.length > MAX_VALUE_LENGTH
        ? `must be at most ${MAX_VALUE_LENGTH} characters`
        : value.startsWith('-')
          ? 'must not start with "-" (it would be read as a Falco option)'
          : CONTROL_CHARS.test(value)
            ? 'must not contain newlines, NUL or other control characters'
            : SHELL_META.test(value)
              ? 'must not contain shell metacharacters (; ` $ | & < > \\)'
              : value.includes('..')
                ? 'must not contain ".."'
                : undefined;
  if (problem !== undefined) throw new InvalidInputError(`The ${field} ${problem}.`, { field });
  return value;
}

/** Event sources are `syscall` or a plugin's source name: lower-case identifiers only. */
export function assertSource(source: string): string {
  if (!SOURCE_PATTERN.test(source)) {
    throw new InvalidInputError(
      `The source "${source.slice(0, 64)}" is not a valid Falco event source name (lower-case letters, digits, "_").`,
      { field: 'source' },
    );
  }
  return source;
}

/** Rules files named on the command line must be YAML files in an allow-listed folder, no traversal. */
export function assertRulesPath(path: string): string {
  const dir = RULES_DIRS.find((d) => path.startsWith(d));
  const rest = dir === undefined ? '' : path.slice(dir.length);
  if (!RULES_FILE_NAME.test(rest) || path.includes('..') || path.includes('//')) {
    throw new InvalidInputError(`The rules file "${path.slice(0, 128)}" must be a .yaml file under ${RULES_DIRS.join(' or ')}.`, {
      field: 'rulesFiles',
    });
  }
  return path;
}

export function versionArgv(): FalcoArgv {
  return brand([FALCO, '--version', ...JSON_OUTPUT]);
}

export function listRulesArgv(): FalcoArgv {
  return brand([FALCO, '-L', ...JSON_OUTPUT]);
}

export function describeRuleArgv(rule: string): FalcoArgv {
  return brand([FALCO, '-l', assertSafeValue(rule, 'rule name'), ...JSON_OUTPUT]);
}

/** `--list` takes an implicit value: the source must be attached with `=`, never a separate arg. */
export function listFieldsArgv(source?: string): FalcoArgv {
  return brand([FALCO, source === undefined ? '--list' : `--list=${assertSource(source)}`]);
}

/**
 * `-V` every base file, then the candidate from stdin: Falco loads them into one engine in
 * order, so the candidate may use the base files' macros and lists.
 */
export function validateArgv(baseRulesFiles: readonly string[] = [DEFAULT_RULES_FILE]): FalcoArgv {
  const bases = baseRulesFiles.flatMap((f) => ['-V', assertRulesPath(f)]);
  return brand([FALCO, ...bases, '-V', STDIN_PATH, ...JSON_OUTPUT]);
}

/** `--dry-run` with the pod's own configuration and rules: does this Falco start? */
export function dryRunArgv(): FalcoArgv {
  return brand([FALCO, '--dry-run']);
}

/**
 * How a Falco pod runs Falco, read from its live `falco` container: the binary and the options
 * that choose its configuration (`-c`, `-o`). Every exec into the pod runs the same binary with
 * the same options before the tool's own flags, so the tools ask the Falco the pod runs (its
 * plugins, its rules files), not the image's stock configuration.
 */
export interface FalcoInvocation {
  program: string;
  options: readonly string[];
  /** Why exec into this pod is refused (its container does not run a Falco binary). */
  refused?: string;
}

/** The image's own binary, when a container does not name one. */
export const DEFAULT_INVOCATION: FalcoInvocation = Object.freeze({ program: FALCO, options: Object.freeze([]) });

const FALCO_PROGRAM = /^(\/[A-Za-z0-9._-]+)*\/falco$/;
const CONFIG_PATH = /^\/[A-Za-z0-9._/-]+\.ya?ml$/;
const OPTION_VALUE = /^[A-Za-z0-9_.[\]-]+=[^\u0000-\u001f\u007f]*$/;

/**
 * Reads the invocation from a container's command and args. Only `-c <file>` and `-o <key=value>`
 * are carried over (output flags such as `-U` mean nothing to a one-shot command); a program that
 * is not a Falco binary, or a config path outside the allowed shape, is refused.
 */
export function invocationFromContainer(command: readonly string[] | undefined, args: readonly string[] | undefined): FalcoInvocation {
  const all = [...(command ?? []), ...(args ?? [])];
  const program = command !== undefined && command.length > 0 ? command[0] : FALCO;
  const rest = command !== undefined && command.length > 0 ? all.slice(1) : all;
  if (program === undefined || (program !== FALCO && !FALCO_PROGRAM.test(program))) {
    throw new InvalidInputError(`The pod's falco container runs "${String(program).slice(0, 128)}", which is not a Falco binary.`, {
      field: 'pod',
    });
  }
  const options: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (flag === '-c' && value !== undefined && CONFIG_PATH.test(value) && !value.includes('..')) {
      options.push(flag, value);
      i++;
    } else if (flag === '-o' && value !== undefined && OPTION_VALUE.test(value)) {
      options.push(flag, value);
      i++;
    }
  }
  return { program, options };
}

/** The tool's argv as the pod runs Falco: its binary, its configuration options, then the tool's flags. */
export function inPodArgv(invocation: FalcoInvocation, argv: FalcoArgv): FalcoArgv {
  if (argv[0] !== FALCO) throw new Error(`A Falco argv must start with "${FALCO}"`);
  if (invocation.refused !== undefined) throw new InvalidInputError(invocation.refused, { field: 'pod' });
  return brand([invocation.program, ...invocation.options, ...argv.slice(1)]);
}
