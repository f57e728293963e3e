import { EVENT_CODE_NAMES, SYSCALL_NAMES } from '../fields/events.generated.ts';
import type { Expr, ListExpr, Operand, ValueExpr } from './ast.ts';

/**
 * The event codes a condition can match, computed like libsinsp's ppm_event_codes
 * (filter/ppm_codes.cpp): `and` intersects, `or` unites, negations are pushed to the leaves, and
 * only evt.type/syscall.type comparisons narrow the set. Falco warns (LOAD_NO_EVTTYPE) when the
 * result is empty or larger than 100 codes.
 */
const CODE_COUNT = EVENT_CODE_NAMES.length;
/**
 * A set of event codes, one bit per code in 32-bit words: each `and`/`or` of a rule's expanded
 * condition combines two sets, and a first (cold) `falconer validate` runs those loops before any
 * compiler has optimised them; 14 words a step instead of 430 bytes. Sets are never changed once
 * made, except the one a conjunction or disjunction builds.
 */
type CodeSet = Uint32Array;
const WORDS = Math.ceil(CODE_COUNT / 32);
/** The bits of the last word that stand for codes. */
const LAST_WORD = CODE_COUNT % 32 === 0 ? 0xffffffff : (2 ** (CODE_COUNT % 32) - 1);

const all = (): CodeSet => {
  const set = new Uint32Array(WORDS).fill(0xffffffff);
  set[WORDS - 1] = LAST_WORD;
  return set;
};
const none = (): CodeSet => new Uint32Array(WORDS);
const SYSCALLS = new Set(SYSCALL_NAMES);
const namesCache = new Map<string, CodeSet>();

function namesToCodes(names: readonly string[]): CodeSet {
  const key = names.join('\0');
  const cached = namesCache.get(key);
  if (cached !== undefined) return cached;
  const set = none();
  const remaining = new Set(names);
  const wanted = new Set(names);
  for (let code = 2; code < CODE_COUNT; code++) {
    const name = EVENT_CODE_NAMES[code] ?? '';
    if (wanted.has(name)) {
      set[code >>> 5] = ((set[code >>> 5] ?? 0) | (1 << (code & 31))) >>> 0;
      remaining.delete(name);
    }
  }
  // the generic syscall events (codes 0 and 1) stand for syscalls with no event of their own
  if ([...remaining].some((n) => SYSCALLS.has(n))) set[0] = ((set[0] ?? 0) | 3) >>> 0;
  namesCache.set(key, set);
  return set;
}

export function countCodes(set: CodeSet): number {
  let n = 0;
  for (let word of set) {
    for (; word !== 0; n++) word &= word - 1;
  }
  return n;
}

class CodeVisitor {
  lastIsEvttypeField = false;
  lastIsFieldOrTransformer = true;
  insideNegation = false;
  lastHasCodes = false;
  codes: CodeSet = none();

  private invert(set: CodeSet): CodeSet {
    if (!this.lastHasCodes) return set;
    const out = set.map((word) => ~word >>> 0);
    out[WORDS - 1] = (out[WORDS - 1] ?? 0) & LAST_WORD;
    return out;
  }

  private tryInvert(set: CodeSet): CodeSet {
    return this.insideNegation ? this.invert(set) : set;
  }

  private conjunction(children: readonly Expr[]): void {
    const types = all();
    for (const child of children) {
      this.expr(child);
      for (let i = 0; i < WORDS; i++) types[i] = (types[i] ?? 0) & (this.codes[i] ?? 0);
    }
    this.codes = types;
    this.lastIsEvttypeField = false;
  }

  private disjunction(children: readonly Expr[]): void {
    const types = none();
    for (const child of children) {
      this.expr(child);
      for (let i = 0; i < WORDS; i++) types[i] = (types[i] ?? 0) | (this.codes[i] ?? 0);
    }
    this.codes = types;
    this.lastIsEvttypeField = false;
  }

  expr(e: Expr): void {
    switch (e.kind) {
      case 'and': return this.insideNegation ? this.disjunction(e.children) : this.conjunction(e.children);
      case 'or': return this.insideNegation ? this.conjunction(e.children) : this.disjunction(e.children);
      case 'not': {
        this.codes = none();
        const saved = this.insideNegation;
        this.insideNegation = !saved;
        this.expr(e.child);
        this.insideNegation = saved;
        this.lastIsEvttypeField = false;
        return;
      }
      case 'identifier':
        this.lastHasCodes = false;
        this.codes = this.tryInvert(all());
        this.lastIsEvttypeField = false;
        return;
      case 'unary':
        this.operand(e.left);
        this.lastHasCodes = this.lastIsEvttypeField && e.op === 'exists';
        this.codes = this.tryInvert(all());
        this.lastIsEvttypeField = false;
        return;
      case 'binary':
        return this.binary(e.op, e.left, e.right);
    }
  }

  private binary(op: string, left: Operand, right: Operand | ValueExpr | ListExpr): void {
    this.lastHasCodes = false;
    if (['==', '=', '!=', 'in'].includes(op)) {
      this.operand(left);
      if (this.lastIsEvttypeField) {
        this.lastIsFieldOrTransformer = false;
        this.right(right);
        if (op === '!=') this.codes = this.invert(this.codes);
        this.lastIsEvttypeField = false;
        return;
      }
    }
    this.codes = this.tryInvert(all());
    this.lastIsEvttypeField = false;
  }

  private right(r: Operand | ValueExpr | ListExpr): void {
    if (r.kind === 'value' || r.kind === 'list') {
      this.lastHasCodes = true;
      this.codes = this.tryInvert(namesToCodes(r.kind === 'value' ? [r.value] : r.values));
      this.lastIsEvttypeField = false;
      return;
    }
    // libs throws here ("right-hand field comparisons on evt.type are not supported"); Falco's
    // compile has already accepted the rule, so treat it as a neutral check.
    this.operand(r);
  }

  private operand(o: Operand): void {
    if (o.kind === 'field') {
      this.lastHasCodes = false;
      this.lastIsFieldOrTransformer = true;
      this.lastIsEvttypeField = (o.name === 'evt.type' || o.name === 'syscall.type') && o.arg === '';
      this.codes = this.tryInvert(all());
      return;
    }
    this.operand(o.child);
    this.lastIsEvttypeField = false;
    this.lastIsFieldOrTransformer = true;
  }
}

/** Number of event codes the condition can match (0 … 430). */
export function eventCodeCount(expr: Expr): number {
  const visitor = new CodeVisitor();
  visitor.expr(expr);
  return countCodes(visitor.codes);
}
