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

/**
 * Lists by name, for `substituteLists`: a name that is one word (no blank or delimiter, see
 * `substituteList`) can only be substituted where the condition holds that very word.
 */
export interface ListIndex {
  /** Position in load order of each list whose name is one word. */
  readonly byWord: ReadonlyMap<string, number>;
  /** Positions, ascending, of the other lists (empty names, names with blanks or delimiters). */
  readonly other: readonly number[];
  /** Per list position: the positions of the lists its items name as words, once computed. */
  readonly itemRefs: Map<number, readonly number[]>;
}

const NOT_A_WORD = /^$|[ \t\n\r(),=]/;
const WORD_BREAKS = /[ \t\n\r(),=]+/;

export function indexLists(lists: readonly CompiledList[]): ListIndex {
  const byWord = new Map<string, number>();
  const other: number[] = [];
  lists.forEach((list, i) => {
    if (NOT_A_WORD.test(list.name) || byWord.has(list.name)) other.push(i);
    else byWord.set(list.name, i);
  });
  return { byWord, other, itemRefs: new Map() };
}

/**
 * Substitutes the lists into a condition one after another, in load order, as Falco's
 * resolve_list calls do, and marks the lists it substitutes used: the same text as
 * `substituteList` with each list in turn. Trying every list on every condition (49 × 112 in
 * falco_rules.yaml) was the largest part of a compile, so only candidates are tried: the
 * lists the condition names as words, those that substituted items name (a list's items may name
 * a later list, substituted in turn), and every list whose name is not one word.
 */
export function substituteLists(cnd: string, lists: readonly CompiledList[], index: ListIndex): string {
  const queue = [...index.other];
  enqueue(queue, wordRefs(cnd, index), -1);
  let text = cnd;
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const list = lists[next];
    if (list === undefined) continue;
    const substituted = substituteList(text, list);
    if (substituted === undefined) continue;
    text = substituted;
    list.used = true;
    // The text around each substitution keeps its words; the items bring new ones.
    let refs = index.itemRefs.get(next);
    if (refs === undefined) {
      refs = list.items.flatMap((item) => wordRefs(quoteItem(item), index));
      index.itemRefs.set(next, refs);
    }
    enqueue(queue, refs, next);
  }
  return text;
}

/** Positions of the one-word lists that the text names. */
function wordRefs(text: string, index: ListIndex): number[] {
  const refs: number[] = [];
  for (const word of text.split(WORD_BREAKS)) {
    const at = index.byWord.get(word);
    if (at !== undefined) refs.push(at);
  }
  return refs;
}

/** Adds positions after `after` to the ascending queue, once each. */
function enqueue(queue: number[], refs: readonly number[], after: number): void {
  for (const at of refs) {
    if (at <= after || queue.includes(at)) continue;
    let i = queue.length;
    while (i > 0 && (queue[i - 1] ?? 0) > at) i--;
    queue.splice(i, 0, at);
  }
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
