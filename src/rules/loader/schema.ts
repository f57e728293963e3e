import { isMap, isScalar, isSeq } from './yaml-view.ts';
import type { YamlView, YNode } from './yaml-view.ts';
import { compareNames } from '../../core/compare.ts';

/**
 * Falco 0.39+ validates each rules document against its JSON schema (rule_json_schema.h, as in
 * 0.42) with valijson in weak-types mode. Failures never change the verdict; they show up as
 * `schema_valid: false` and `schema_warnings`. This reproduces the checks and valijson's messages
 * for the schema's keywords (type, anyOf, enum, items, minProperties, properties, required).
 */
type Schema =
  | { readonly kind: 'string' | 'boolean' | 'integer' | 'any' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'itemValue' }
  | { readonly kind: 'array'; readonly items: Schema }
  | {
      readonly kind: 'object';
      readonly properties: Readonly<Record<string, Schema>>;
      readonly required?: readonly string[];
      readonly minProperties?: number;
    };

const str: Schema = { kind: 'string' };
const bool: Schema = { kind: 'boolean' };
const overridden: Schema = { kind: 'enum', values: ['append', 'replace'] };
const alternative: Schema = { kind: 'object', properties: { name: str, version: str }, required: ['name', 'version'] };

/** Properties sorted by name: valijson walks them in its std::map order. */
const FALCO_RULE: Schema = {
  kind: 'object',
  properties: {
    append: bool,
    capture: bool,
    capture_duration: { kind: 'integer' },
    condition: str,
    desc: str,
    enabled: bool,
    exceptions: {
      kind: 'array',
      items: {
        kind: 'object',
        properties: { comps: { kind: 'any' }, fields: { kind: 'any' }, name: str, values: { kind: 'any' } },
        required: ['name'],
      },
    },
    items: { kind: 'array', items: { kind: 'itemValue' } },
    list: str,
    macro: str,
    output: str,
    override: {
      kind: 'object',
      properties: {
        condition: overridden, desc: overridden, enabled: overridden, exceptions: overridden,
        items: overridden, output: overridden, priority: overridden,
      },
      minProperties: 1,
    },
    priority: {
      kind: 'enum',
      values: ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'INFORMATIONAL', 'DEBUG'],
    },
    required_engine_version: str,
    required_plugin_versions: {
      kind: 'array',
      items: {
        kind: 'object',
        properties: { alternatives: { kind: 'array', items: alternative }, name: str, version: str },
        required: ['name', 'version'],
      },
    },
    rule: str,
    source: str,
    tags: { kind: 'array', items: str },
  },
};

const sortedProperties = (props: Record<string, Schema>): Record<string, Schema> =>
  Object.fromEntries(Object.entries(props).sort(([a], [b]) => compareNames(a, b)));

/**
 * Falco 0.44's schema: rules may carry `skip-if-unknown-filter` and `warn_evttypes`, and
 * `override` may also name capture, capture_duration, skip-if-unknown-filter, tags, warn_evttypes.
 */
const FALCO_RULE_044: Schema = (() => {
  if (FALCO_RULE.kind !== 'object') throw new Error('rule schema is an object');
  const override = FALCO_RULE.properties['override'];
  if (override === undefined || override.kind !== 'object') throw new Error('override schema is an object');
  const wideOverride = {
    ...override,
    properties: sortedProperties({
      ...override.properties,
      capture: overridden, capture_duration: overridden, 'skip-if-unknown-filter': overridden, tags: overridden,
      warn_evttypes: overridden,
    }),
  };
  return {
    ...FALCO_RULE,
    properties: sortedProperties({
      ...FALCO_RULE.properties, override: wideOverride, 'skip-if-unknown-filter': bool, warn_evttypes: bool,
    }),
  };
})();

const TYPE_ERROR = "Value type not permitted by 'type' constraint.";

export class SchemaDepthError extends Error {}

class Validator {
  readonly errors: string[] = [];
  private readonly view: YamlView;
  private readonly maxDepth: number;

  constructor(view: YamlView, maxDepth: number) {
    this.view = view;
    this.maxDepth = maxDepth;
  }

  private push(path: string, message: string): void {
    this.errors.push(`failed for ${path}: ${message}`);
  }

  private scalar(node: YNode | null): string | undefined {
    return this.view.scalar(node);
  }

  private typeOk(kind: string, node: YNode | null): boolean {
    const s = this.scalar(node);
    switch (kind) {
      case 'string': return s !== undefined;
      case 'boolean': return s === 'true' || s === 'false';
      case 'integer': return s !== undefined && /^[ \t\n\r\f\v]*[+-]?[0-9]+$/.test(s) && Number.isSafeInteger(Number(s));
      case 'array': return node !== null && isSeq(node);
      case 'object': return node !== null && isMap(node);
      default: return true;
    }
  }

  /**
   * Whether the node passes with no message at all; false whenever `validate` might report
   * something, including depth. Most documents pass, and this walk builds no paths or messages;
   * on false, `validate` walks again and says what failed (in valijson's order).
   */
  passes(node: YNode | null, schema: Schema, depth: number): boolean {
    if (depth > this.maxDepth) return false;
    switch (schema.kind) {
      case 'any': return true;
      case 'string': case 'boolean': case 'integer': case 'itemValue':
        return this.typeOk(schema.kind === 'itemValue' ? 'string' : schema.kind, node);
      case 'enum': {
        const s = this.scalar(node);
        return s !== undefined && schema.values.includes(s);
      }
      case 'array':
        return node !== null && isSeq(node) && this.view.items(node).every((item) => this.passes(item, schema.items, depth + 1));
      case 'object': {
        if (node === null || !isMap(node)) return false;
        const pairs = this.view.pairs(node);
        if (schema.minProperties !== undefined && pairs.length < schema.minProperties) return false;
        // Every value is checked, also a repeated key's (validate checks the first): stricter is safe.
        const keys: string[] = [];
        for (const [k, v] of pairs) {
          const key = this.scalar(k) ?? '';
          const sub = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
          if (sub === undefined || !this.passes(v, sub, depth + 1)) return false;
          keys.push(key);
        }
        return (schema.required ?? []).every((name) => keys.includes(name));
      }
    }
  }

  validate(node: YNode | null, schema: Schema, path: string, depth: number): boolean {
    if (depth > this.maxDepth) throw new SchemaDepthError(`rules content nests deeper than ${this.maxDepth} levels`);
    switch (schema.kind) {
      case 'any': return true;
      case 'string': case 'boolean': case 'integer':
        return this.typeOk(schema.kind, node) || (this.push(path, TYPE_ERROR), false);
      case 'enum': {
        const typeOk = this.typeOk('string', node) || (this.push(path, TYPE_ERROR), false);
        const s = this.scalar(node);
        const enumOk = (s !== undefined && schema.values.includes(s)) || (this.push(path, 'Failed to match against any enum values.'), false);
        return typeOk && enumOk;
      }
      case 'itemValue': {
        if (this.typeOk('string', node)) return true;
        this.push(path, TYPE_ERROR);
        this.push(path, TYPE_ERROR);
        this.push(path, 'Failed to validate against any schemas allowed by anyOf constraint.');
        return false;
      }
      case 'array': return this.array(node, schema.items, path, depth);
      case 'object': return this.object(node, schema, path, depth);
    }
  }

  private array(node: YNode | null, items: Schema, path: string, depth: number): boolean {
    if (node === null || !isSeq(node)) return (this.push(path, TYPE_ERROR), false);
    let ok = true;
    this.view.items(node).forEach((item, i) => {
      if (!this.validate(item, items, `${path}[${i}]`, depth + 1)) {
        this.push(path, `Failed to validate item #${i} in array.`);
        ok = false;
      }
    });
    return ok;
  }

  private object(node: YNode | null, schema: Extract<Schema, { kind: 'object' }>, path: string, depth: number): boolean {
    if (node === null || !isMap(node)) return (this.push(path, TYPE_ERROR), false);
    let ok = true;
    const pairs = this.view.pairs(node);
    const keys = pairs.map(([k]) => this.scalar(k) ?? '');
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
      this.push(path, `Object should have no fewer than ${schema.minProperties} properties.`);
      ok = false;
    }
    for (const [name, sub] of Object.entries(schema.properties)) {
      const index = keys.indexOf(name);
      if (index < 0) continue;
      if (!this.validate(pairs[index]?.[1] ?? null, sub, `${path}[${name}]`, depth + 1)) {
        this.push(path, `Failed to validate against schema associated with property name '${name}'.`);
        ok = false;
      }
    }
    const unknown = keys.find((k) => !(k in schema.properties));
    if (unknown !== undefined) {
      this.push(path, `Object contains a property that could not be validated using 'properties' or 'additionalProperties' constraints: '${unknown}'.`);
      ok = false;
    }
    for (const name of schema.required ?? []) {
      if (!keys.includes(name)) {
        this.push(path, `Missing required property '${name}'.`);
        ok = false;
      }
    }
    return ok;
  }
}

const documentSchema = (wide: boolean): Schema => ({ kind: 'array', items: wide ? FALCO_RULE_044 : FALCO_RULE });

/**
 * "ok", or every failure message of the document (Falco keeps the status per document). Most
 * documents pass: they are walked once without building paths or messages, and only a document
 * that fails is walked again for its messages (`schemaMessages`).
 */
export function schemaStatus(view: YamlView, root: YNode | null, maxDepth: number, wide = false): string[] {
  if (new Validator(view, maxDepth).passes(root, documentSchema(wide), 0)) return ['ok'];
  return schemaMessages(view, root, maxDepth, wide);
}

/** `schemaStatus` by the walk that builds every message, also for a document that passes. */
export function schemaMessages(view: YamlView, root: YNode | null, maxDepth: number, wide = false): string[] {
  const validator = new Validator(view, maxDepth);
  return validator.validate(root, documentSchema(wide), '<root>', 0) ? ['ok'] : validator.errors;
}
