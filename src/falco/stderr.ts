/**
 * Falco's stderr: timestamped log lines ("Sat Nov 28 09:03:19 2026: Loading rules from:") and,
 * on failure, one `Error: …` block or a `Runtime error: … Exiting.` line. These helpers pull
 * out the parts a caller can act on.
 */

// Falco's default log timestamp (ctime style) or the ISO 8601 one when time_format_iso_8601 is set.
const TIMESTAMP = /^(?:[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}|\d{4}-\d\d-\d\dT[\d:.]+[+-]\d{4}): /;

/** Log lines without their timestamp prefix; lines that carry none are kept as they are. */
export function logMessages(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.replace(TIMESTAMP, ''));
}

/**
 * The error Falco reported, if any. `Error:` starts a block that runs to the end of stderr
 * (the -V text report is several lines); `Runtime error:` is one line ending in "Exiting.".
 */
export function falcoError(stderr: string): string | undefined {
  const lines = logMessages(stderr);
  const start = lines.findIndex((l) => l.startsWith('Error: ') || l.startsWith('Runtime error: '));
  if (start < 0) return undefined;
  const first = lines[start] ?? '';
  if (first.startsWith('Runtime error: ')) {
    return first.slice('Runtime error: '.length).replace(/\s*Exiting\.$/, '');
  }
  return [first.slice('Error: '.length), ...lines.slice(start + 1)].join('\n').trim();
}

/** Files listed under "Loading rules from:" (with their schema-validation note). */
export function loadedRulesFiles(stderr: string): Array<{ path: string; schemaValidation?: string }> {
  const lines = logMessages(stderr);
  const start = lines.findIndex((l) => l.startsWith('Loading rules from:'));
  if (start < 0) return [];
  const files: Array<{ path: string; schemaValidation?: string }> = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^\s{2,}(\S.*?)(?:\s*\|\s*schema validation:\s*(\S+))?\s*$/.exec(line);
    if (m === null || m[1] === undefined) break;
    files.push(m[2] === undefined ? { path: m[1] } : { path: m[1], schemaValidation: m[2] });
  }
  return files;
}

/** Plugins named in "Loaded plugin 'container@0.4.1' from file …" lines. */
export function loadedPlugins(stderr: string): Array<{ name: string; version: string }> {
  return logMessages(stderr).flatMap((l) => {
    const m = /^Loaded plugin '([^'@]+)@([^']+)'/.exec(l);
    return m?.[1] !== undefined && m[2] !== undefined ? [{ name: m[1], version: m[2] }] : [];
  });
}

/** The Falco version from the first log line ("Falco version: 0.42.1 (x86_64)"). */
export function loggedFalcoVersion(stderr: string): string | undefined {
  for (const l of logMessages(stderr)) {
    const m = /^Falco version: (\S+)/.exec(l);
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}
