import { readFileSync } from 'node:fs';
import { falcoValidateCommand } from '../../rules/falco-command.ts';
import { DEFAULT_FALCO_VERSION, MODELLED_FALCO_VERSIONS, falcoProfile } from '../../rules/falco-versions.ts';
import { tuneV8ForInput } from '../v8-tuning.ts';
import { writeOut } from '../write-out.ts';

export interface ValidateFlags {
  json: boolean;
  source: string[];
  falcoVersion?: string;
}

/**
 * The body of `falconer validate`, in its own module so that the command line loads it (and the
 * rules engine) only when the command runs. It imports the engine's modules rather than its
 * index: the bundler splits code by the files an entry's imports reach, and the index also
 * reaches the reader of real Falco's output, which pulls zod (0.75 MB) into the chunk.
 */
export async function runValidate(paths: readonly string[], flags: ValidateFlags): Promise<number> {
  const files = [];
  for (const name of paths) {
    try {
      // Bytes, not text: Falco reads byte-order marks and invalid UTF-8 its own way (encoding.ts).
      files.push({ name, bytes: readFileSync(name) });
    } catch {
      // Falco's wording for an unreadable -V file; nothing goes to stdout in that case
      writeOut(2, `Error: Could not open file ${name} for reading\n`);
      return 1;
    }
  }
  tuneV8ForInput(files.reduce((n, f) => n + f.bytes.length, 0));
  const out = falcoValidateCommand(files, {
    json: flags.json,
    knownSources: ['syscall', ...flags.source],
    ...(flags.falcoVersion !== undefined ? { falcoVersion: flags.falcoVersion } : {}),
  });
  const profile = falcoProfile(flags.falcoVersion);
  const modelled = profile.modelled === undefined
    ? `Falco ${profile.falcoVersion} is not modelled (known: ${MODELLED_FALCO_VERSIONS.join(', ')}); ` +
      `checked as ${DEFAULT_FALCO_VERSION}, version-dependent refusals are reported as warnings`
    : `Checked as Falco ${profile.modelled} loads rules (modelled release)`;
  // stdout stays what `falco -V` prints; which release was modelled is said beside it
  // Written at once, not through process.stdout and stderr (write-out.ts)
  writeOut(1, flags.json ? withModelledVersion(out.stdout, profile.falcoVersion, profile.modelled) : out.stdout);
  writeOut(2, `${profile.modelled === undefined ? 'Warning' : 'Info'}: ${modelled}\n${out.stderr}`);
  return out.exitCode;
}

/**
 * The JSON report with a `falconer` member naming the Falco release asked for and the one
 * modelled (null: none). Falco's own `falco_load_results` is left as it is.
 */
function withModelledVersion(stdout: string, falcoVersion: string, modelled: string | undefined): string {
  if (stdout === '') return stdout;
  const doc = JSON.parse(stdout) as Record<string, unknown>;
  return `${JSON.stringify({ ...doc, falconer: { falco_version: falcoVersion, modelled_falco_version: modelled ?? null } })}\n`;
}
