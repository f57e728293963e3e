/**
 * Entry of the startup snapshot of `falconer validate` (bundled to dist/cli/snapshot-validate.cjs).
 * Warmed up on rules files of its own (warm-up-rules.ts) in both output formats, without the
 * engine's cache of parsed YAML: the snapshot keeps the compiled code, no result.
 */
import { falcoValidateCommand } from '../../rules/falco-command.ts';
import { plainValidateArgs, registerValidateCommand, validateAction } from '../commands/validate.ts';
import { snapshotEntry } from './entry.ts';
import { warmUpRuleFiles } from './warm-up-rules.ts';

snapshotEntry({
  register: registerValidateCommand,
  direct: (words) => {
    const plain = words[0] === 'validate' ? plainValidateArgs(words.slice(1)) : undefined;
    return plain === undefined ? undefined : () => validateAction(plain.files, plain.flags);
  },
  warmUp: async () => {
    const encoder = new TextEncoder();
    for (const files of warmUpRuleFiles()) {
      const bytes = files.map((f) => ({ name: f.name, bytes: encoder.encode(f.text) }));
      // Not kept in the engine's cache of parsed YAML: the snapshot holds no result of the warm-up.
      for (const json of [false, true]) falcoValidateCommand(bytes, { json, knownSources: ['syscall'], parseCache: false });
    }
    // The command's own module, loaded lazily by its action, is loaded here so that it is in the snapshot.
    await import('../commands/validate-run.ts');
  },
});
