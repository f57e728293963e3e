import type { FieldClassData, FieldData } from './types.ts';

/**
 * Parses the text that `falco --list` prints (Falco 0.38–0.43 have no JSON form) into field
 * classes. With the `--list --markdown` text beside it, field types are filled in too; without
 * it they are left as ''.
 */
export function parseFieldListing(text: string, markdown?: string): FieldClassData[] {
  const types = markdown === undefined ? [] : markdownTypes(markdown);
  const blocks = text.split(/^-{20,}\s*$/m).filter((b) => /Field Class:/.test(b));
  return blocks.map((block, index) => parseBlock(block, types[index] ?? new Map()));
}

const COLUMN = 30;

function parseBlock(block: string, types: ReadonlyMap<string, string>): FieldClassData {
  const lines = block.split('\n');
  const header = new Map<string, string>();
  let key = '';
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = /^(Field Class|Description|Event Sources):\s*(.*)$/.exec(line);
    if (m) {
      key = m[1] ?? '';
      header.set(key, (m[2] ?? '').trim());
    } else if (line.startsWith(' '.repeat(COLUMN)) && key !== '') {
      header.set(key, `${header.get(key) ?? ''} ${line.trim()}`);
    } else if (line.trim() === '' && header.has('Event Sources')) {
      break;
    }
  }
  const title = /^(\S+)(?: \((.*)\))?$/.exec(header.get('Field Class') ?? '') ?? [];
  const shortDesc = title[2];
  const desc = header.get('Description');
  return {
    name: title[1] ?? '',
    ...(shortDesc !== undefined && shortDesc !== 'plugin' ? { shortDesc } : {}),
    ...(desc !== undefined ? { desc } : {}),
    eventSources: (header.get('Event Sources') ?? '').split(/\s+/).filter(Boolean),
    ...(shortDesc === 'plugin' ? { plugin: true } : {}),
    fields: parseFields(lines.slice(i + 1), types),
  };
}

function parseFields(lines: readonly string[], types: ReadonlyMap<string, string>): FieldData[] {
  const raw: Array<{ name: string; text: string }> = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const last = raw[raw.length - 1];
    if (line.startsWith(' ') && last !== undefined) {
      last.text = `${last.text} ${line.trim()}`.trim();
    } else {
      const name = line.split(/\s/, 1)[0] ?? '';
      raw.push({ name, text: line.slice(name.length).trim() });
    }
  }
  return raw.map(({ name, text }) => {
    const flagged = /^\(([A-Z_,]+)\)\s*(.*)$/.exec(text);
    const flags = flagged ? (flagged[1] ?? '').split(',') : [];
    const listType = /^LIST\((.*)\)$/.exec(types.get(name) ?? '');
    return {
      name,
      type: listType ? (listType[1] ?? '') : (types.get(name) ?? ''),
      ...(listType ? { isList: true } : {}),
      desc: (flagged ? (flagged[2] ?? '') : text).trim(),
      ...(flags.length > 0 ? { flags } : {}),
    };
  });
}

function markdownTypes(markdown: string): Array<Map<string, string>> {
  const classes: Array<Map<string, string>> = [];
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## Field Class:')) classes.push(new Map());
    const row = /^`([^`]+)` \| ([A-Z0-9_()]+) \|/.exec(line);
    const current = classes[classes.length - 1];
    if (row && current) current.set(row[1] ?? '', row[2] ?? '');
  }
  return classes;
}
