import type { FalcoLoadMessage, FalcoLoadResult, FalcoLocation } from './falco-json.ts';

/**
 * Reads the text that `falco -V` prints without json_output back into load results: per file
 * `<name>: Ok`, `<name>: Ok, with warnings`, or `<name>: Invalid` followed by the verbose report
 * (schema warnings, `N Errors:`, `N Warnings:` with locations, snippet and code lines).
 */
const HEADER = /^(.*): (Ok|Ok, with warnings|Invalid)$/;
const LOCATION = /^(?:In |    )(.+?)(?: '(.*)')?: \((.*):(\d+):(\d+)\)$/;
const CODE_LINE = /^(LOAD_[A-Z_]+) \((.*?)\): ?(.*)$/;

interface Cursor {
  lines: string[];
  i: number;
}

export function parseFalcoText(stdout: string): FalcoLoadResult[] {
  const cursor: Cursor = { lines: stdout.split('\n'), i: 0 };
  const results: FalcoLoadResult[] = [];
  while (cursor.i < cursor.lines.length) {
    const header = HEADER.exec(cursor.lines[cursor.i] ?? '');
    cursor.i++;
    if (!header) continue;
    const result: FalcoLoadResult = {
      name: header[1] ?? '',
      successful: header[2] !== 'Invalid',
      errors: [],
      warnings: [],
    };
    readReport(cursor, result);
    results.push(result);
  }
  return results;
}

function readReport(c: Cursor, result: FalcoLoadResult): void {
  while (c.i < c.lines.length && !HEADER.test(c.lines[c.i] ?? '')) {
    const line = c.lines[c.i] ?? '';
    const section = /^(\d+) (Schema warnings|Errors|Warnings):$/.exec(line);
    c.i++;
    if (!section) continue;
    const count = Number(section[1]);
    if (section[2] === 'Schema warnings') {
      result.schema_valid = false;
      result.schema_warnings = readSchemaWarnings(c, count);
      continue;
    }
    const target = section[2] === 'Errors' ? result.errors : result.warnings;
    for (let n = 0; n < count && c.i < c.lines.length; n++) target.push(readMessage(c));
  }
}

function readSchemaWarnings(c: Cursor, count: number): string[] {
  const out: string[] = [];
  while (out.length < count && c.i < c.lines.length) {
    if (c.lines[c.i] === '------') {
      c.i++;
      const text = c.lines[c.i];
      if (text !== undefined && text !== '------' && text !== '') out.push(text);
      continue;
    }
    c.i++;
  }
  if (c.lines[c.i] === '------') c.i++;
  return out;
}

function readMessage(c: Cursor): FalcoLoadMessage {
  const locations: FalcoLocation[] = [];
  for (let m; c.i < c.lines.length && (m = LOCATION.exec(c.lines[c.i] ?? '')); c.i++) {
    locations.push({
      item_type: m[1] ?? '',
      item_name: m[2] ?? '',
      position: { name: m[3] ?? '', line: Number(m[4]), column: Number(m[5]), offset: 0 },
    });
  }
  let snippet = '';
  if (c.lines[c.i] === '------') {
    c.i++;
    while (c.i < c.lines.length && c.lines[c.i] !== '------') snippet += `${c.lines[c.i++]}\n`;
    c.i++;
  }
  const code = CODE_LINE.exec(c.lines[c.i] ?? '');
  c.i++;
  return {
    code: code?.[1] ?? 'LOAD_ERR_VALIDATE',
    codedesc: code?.[2] ?? '',
    context: { locations, snippet },
    message: code?.[3] ?? '',
  };
}
