import type { YMap } from './yaml-nodes.ts';
import { childContext } from './context.ts';
import type { Context } from './context.ts';
import { RuleLoadError } from './result.ts';
import { isScalar, isSeq } from './yaml-view.ts';
import type { YamlView, YNode } from './yaml-view.ts';

/**
 * Scalar decoding with Falco's checks and messages (rule_loader_reader.cpp decode_val_generic):
 * missing key, null value, non-scalar, empty string, failed conversion.
 */
export function invalid(message: string, ctx: Context): RuleLoadError {
  return new RuleLoadError('LOAD_ERR_YAML_VALIDATE', message, ctx);
}

export interface DecodeOptions {
  readonly optional?: boolean;
  readonly canBeEmpty?: boolean;
}

/** yaml-cpp's convert<bool>: y/yes/true/on and n/no/false/off, all-lower, all-upper or Capitalised. */
export function yamlCppBool(s: string): boolean | undefined {
  const flexible = s === s.toLowerCase() || s === s.toUpperCase() || s === s[0]?.toUpperCase() + s.slice(1).toLowerCase();
  if (!flexible) return undefined;
  const lower = s.toLowerCase();
  if (['y', 'yes', 'true', 'on'].includes(lower)) return true;
  if (['n', 'no', 'false', 'off'].includes(lower)) return false;
  return undefined;
}

/** yaml-cpp's unsigned conversion: stream extraction with base detection, no leading blanks or '-'. */
export function yamlCppUnsigned(s: string, max: bigint): number | undefined {
  const m = /^\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[ \t\n\r\f\v]*$/.exec(s);
  if (!m) return undefined;
  const digits = m[1] ?? '';
  const value = /^0[xX]/.test(digits)
    ? BigInt(digits)
    : digits.length > 1 && digits.startsWith('0')
      ? BigInt(`0o${digits.slice(1)}`)
      : BigInt(digits);
  return value <= max ? Number(value) : undefined;
}

export const UINT32_MAX = 0xffffffffn;

export class Decoder {
  readonly view: YamlView;

  constructor(view: YamlView) {
    this.view = view;
  }

  /** The raw string under `key`; undefined when optional and absent (or null/empty when allowed). */
  string(item: YMap, key: string, ctx: Context, opts: DecodeOptions = {}): string | undefined {
    const val = this.view.get(item, key);
    if (val === undefined && opts.optional === true) return undefined;
    if (val === undefined) throw invalid(`Item has no mapping for key '${key}'`, ctx);
    if (this.view.isNull(val) && opts.canBeEmpty === true) return undefined;
    if (val === null || this.view.isNull(val)) throw invalid(`Mapping for key '${key}' is empty`, ctx);
    const valCtx = childContext(ctx, this.view.mark(val), 'value for', key);
    if (!isScalar(val)) throw invalid('Value is not a scalar value', valCtx);
    const s = String(val.value);
    if (s === '' && opts.canBeEmpty === true) return undefined;
    if (s === '') throw invalid('Value must be non-empty', valCtx);
    return s;
  }

  required(item: YMap, key: string, ctx: Context): string {
    return this.string(item, key, ctx) ?? '';
  }

  bool(item: YMap, key: string, ctx: Context, optional = true): boolean | undefined {
    return this.convert(item, key, ctx, optional, yamlCppBool);
  }

  unsigned(item: YMap, key: string, ctx: Context, optional = true): number | undefined {
    return this.convert(item, key, ctx, optional, (s) => yamlCppUnsigned(s, UINT32_MAX));
  }

  private convert<T>(
    item: YMap,
    key: string,
    ctx: Context,
    optional: boolean,
    conv: (s: string) => T | undefined,
  ): T | undefined {
    const s = this.string(item, key, ctx, { optional });
    if (s === undefined) return undefined;
    const value = conv(s);
    if (value === undefined) {
      const valCtx = childContext(ctx, this.view.mark(this.view.get(item, key)), 'value for', key);
      throw invalid("Can't decode YAML scalar value", valCtx);
    }
    return value;
  }

  /** A sequence of scalars (`items`, `tags`), with its own errors per element. */
  sequence(item: YMap, key: string, ctx: Context, optional: boolean): string[] | undefined {
    const val = this.view.get(item, key);
    if (val === undefined && optional) return undefined;
    if (val === undefined) throw invalid(`Item has no mapping for key '${key}'`, ctx);
    const valCtx = childContext(ctx, this.view.mark(val), 'value for', key);
    if (val === null || !isSeq(val)) throw invalid('Value is not a sequence', valCtx);
    const out: string[] = [];
    for (const v of this.view.items(val)) {
      const itemCtx = childContext(valCtx, this.view.mark(v), 'list item');
      if (v === null || !isScalar(v) || this.view.isNull(v)) {
        throw invalid('sequence value is not scalar', itemCtx);
      }
      out.push(String(v.value));
    }
    return out;
  }

  node(item: YMap, key: string): YNode | null | undefined {
    return this.view.get(item, key);
  }
}
