/**
 * The subset of the CustomResourceDefinition OpenAPI v3 schema (JSONSchemaProps) that Falconer
 * emits. Written as plain JSON types rather than client-node's classes so generated manifests
 * are ordinary data that can be compared, serialised and validated in-process.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One `x-kubernetes-validations` entry: a CEL rule evaluated by the API server. */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  /** Relative JSON path of the field the error is reported on, e.g. `.tag`. */
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
}

export interface OpenApiSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  format?: string;
  default?: JsonValue;
  enum?: JsonValue[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  required?: string[];
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema;
  items?: OpenApiSchema;
  /** Only the int-or-string form `[{type: integer}, {type: string}]` is emitted. */
  anyOf?: OpenApiSchema[];
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: CelRule[];
}
