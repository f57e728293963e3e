/**
 * `falco --list[=<source>]` has no JSON mode (json_output is ignored), so this parses the text:
 * blocks separated by a dashed line, each with "Field Class:", optional "Description:" and
 * "Event Sources:" headers, then one field per entry. Names sit in a 30-column gutter (a longer
 * name takes one space, or its own line); continuation lines are indented by that gutter. Flags such as
 * (ARG_REQUIRED,EPF_NO_RHS) open the description.
 */
export interface FalcoField {
  name: string;
  description: string;
  flags: string[];
}

export interface FalcoFieldClass {
  name: string;
  /** The parenthesised note after the class name, e.g. "All event types" or "plugin". */
  qualifier?: string;
  description: string;
  sources: string[];
  fields: FalcoField[];
}

const SEPARATOR = /^-{10,}\s*$/;
const HEADER = /^(Field Class|Description|Event Sources):\s+(.*?)\s*$/;
const FIELD = /^(\S+)(?:\s+(.*?))?\s*$/;
const CONTINUATION = /^\s{10,}(\S.*?)\s*$/;
const FLAGS = /^\(([A-Z_]+(?:,[A-Z_]+)*)\)\s*/;

function splitClassName(value: string): { name: string; qualifier?: string } {
  const m = /^(\S+)\s+\((.+)\)$/.exec(value);
  return m?.[1] !== undefined && m[2] !== undefined ? { name: m[1], qualifier: m[2] } : { name: value };
}

function withFlags(name: string, text: string): FalcoField {
  const m = FLAGS.exec(text);
  if (m?.[1] === undefined) return { name, description: text, flags: [] };
  return { name, description: text.slice(m[0].length), flags: m[1].split(',') };
}

function parseBlock(lines: string[]): FalcoFieldClass | undefined {
  const cls: FalcoFieldClass = { name: '', description: '', sources: [], fields: [] };
  let lastHeader: string | undefined;
  let current: { name: string; text: string } | undefined;
  const flush = (): void => {
    if (current !== undefined) cls.fields.push(withFlags(current.name, current.text));
    current = undefined;
  };
  for (const line of lines) {
    if (line.trim() === '') {
      lastHeader = undefined;
      continue;
    }
    const header = current === undefined ? HEADER.exec(line) : null;
    const cont = CONTINUATION.exec(line);
    if (header?.[1] !== undefined && header[2] !== undefined) {
      lastHeader = header[1];
      if (header[1] === 'Field Class') Object.assign(cls, splitClassName(header[2]));
      else if (header[1] === 'Description') cls.description = header[2];
      else cls.sources = header[2].split(/[\s,]+/).filter((s) => s !== '');
    } else if (cont?.[1] !== undefined) {
      if (current !== undefined) current.text = current.text === '' ? cont[1] : `${current.text} ${cont[1]}`;
      else if (lastHeader === 'Description') cls.description += ` ${cont[1]}`;
    } else {
      const field = FIELD.exec(line);
      flush();
      if (field?.[1] !== undefined) current = { name: field[1], text: field[2] ?? '' };
    }
  }
  flush();
  return cls.name === '' ? undefined : cls;
}

export function parseFieldList(stdout: string): FalcoFieldClass[] {
  const blocks: string[][] = [[]];
  for (const line of stdout.split('\n')) {
    if (SEPARATOR.test(line)) blocks.push([]);
    else blocks[blocks.length - 1]?.push(line);
  }
  return blocks.map(parseBlock).filter((c): c is FalcoFieldClass => c !== undefined);
}
