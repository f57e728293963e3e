/**
 * Entry of the startup snapshot of `falconer validate` (bundled to dist/cli/snapshot-validate.cjs).
 * Warmed up on rules files of its own (warm-up-rules.ts) in both output formats; the parsed YAML
 * they leave in the engine's cache is dropped before the snapshot is taken.
 */
import { forgetParsedYaml } from '../../rules/loader/yaml-view.ts';
import { falcoValidateCommand } from '../../rules/falco-command.ts';
import { registerValidateCommand } from '../commands/validate.ts';
import { snapshotEntry } from './entry.ts';
import { warmUpRuleFiles } from './warm-up-rules.ts';

snapshotEntry({
  register: registerValidateCommand,
  warmUp: async () => {
    const encoder = new TextEncoder();
    for (const files of warmUpRuleFiles()) {
      const bytes = files.map((f) => ({ name: f.name, bytes: encoder.encode(f.text) }));
      for (const json of [false, true]) falcoValidateCommand(bytes, { json, knownSources: ['syscall'] });
    }
    // The command's own module, loaded lazily by its action, is loaded here so that it is in the snapshot.
    await import('../commands/validate-run.ts');
    forgetParsedYaml();
  },
});
