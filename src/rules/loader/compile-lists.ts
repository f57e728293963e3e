import type { ListInfo } from './items.ts';

export interface CompiledList {
  readonly name: string;
  readonly items: readonly string[];
  used: boolean;
}

/**
 * Expands list items that name a list defined before (one level, as Falco's
 * compile_list_infos does) and marks those lists used.
 */
export function compileLists(infos: ReadonlyMap<string, ListInfo>): CompiledList[] {
  const out: CompiledList[] = [];
  const usedNames: string[] = [];
  for (const list of infos.values()) {
    const items: string[] = [];
    for (const item of list.items) {
      const ref = infos.get(item);
      if (ref !== undefined && ref.index < list.visibility) {
        usedNames.push(ref.name);
        items.push(...ref.items);
      } else {
        items.push(item);
      }
    }
    out.push({ name: list.name, items, used: false });
  }
  const byName = new Map(out.map((l) => [l.name, l]));
  for (const name of usedNames) {
    const list = byName.get(name);
    if (list) list.used = true;
  }
  return out;
}

/** Falco's quote_item: double-quotes an item holding a space unless it already starts with a quote. */
export function quoteItem(e: string): string {
  return e.includes(' ') && e[0] !== '"' && e[0] !== "'" ? `"${e}"` : e;
}

const BLANKS = ' \t\n\r';
const DELIMS = `${BLANKS}(),=`;

/**
 * Substitutes a list's name in a condition with its items, textually, as Falco's resolve_list
 * does before parsing: the name must be bounded by blanks, `(`, `)`, `,`, `=` or the string ends,
 * wherever it appears (even inside quotes). Returns the new condition, or undefined if unused.
 */
export function substituteList(cnd: string, list: CompiledList): string | undefined {
  let used = false;
  const name = list.name;
  let start = cnd.indexOf(name);
  while (start !== -1) {
    let end = start + name.length;
    const boundedLeft = start === 0 || DELIMS.includes(cnd[start - 1] ?? '');
    const boundedRight = end >= cnd.length || DELIMS.includes(cnd[end] ?? '');
    if (boundedLeft && boundedRight) {
      while (start > 0 && BLANKS.includes(cnd[start - 1] ?? '')) start--;
      while (end < cnd.length && BLANKS.includes(cnd[end] ?? '')) end++;
      const sub = list.items.map(quoteItem).join(', ');
      if (sub === '') {
        if (start > 0 && cnd[start - 1] === ',') start--;
        else if (end < cnd.length && cnd[end] === ',') end++;
      }
      cnd = `${start > 0 ? `${cnd.slice(0, start)} ` : ''}${sub} ${cnd.slice(end)}`;
      start += sub.length + 1;
      used = true;
    }
    start = cnd.indexOf(name, start + 1);
  }
  return used ? cnd : undefined;
}
