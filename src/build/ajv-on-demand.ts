/**
 * What the bundle gives the MCP SDK's modules for `../validation/ajv-provider.js` (src/build/
 * bundle.ts): the same class, with Ajv loaded on first use from its own file beside the bundle
 * (dist/cli/ajv-provider.cjs). The SDK's Server constructs one for every server and calls it only
 * to check what a client answers to an elicitation, which Falconer never asks for; at import it
 * evaluated Ajv and its formats (~190 KB of source) and built an Ajv instance before the first
 * `tools/list` of every `falconer mcp`. Only the bundle uses this module.
 */
import { createRequire } from 'node:module';
import type * as Provider from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

/** The file bundle.ts writes beside the bundle. */
export const AJV_PROVIDER_FILE = 'ajv-provider.cjs';

type Ajv = ConstructorParameters<typeof Provider.AjvJsonSchemaValidator>[0];

export class AjvJsonSchemaValidator implements jsonSchemaValidator {
  readonly #ajv: Ajv;
  #loaded: Provider.AjvJsonSchemaValidator | undefined;

  constructor(ajv?: Ajv) {
    this.#ajv = ajv;
  }

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    if (this.#loaded === undefined) {
      const provider = createRequire(import.meta.url)(`./${AJV_PROVIDER_FILE}`) as typeof Provider;
      this.#loaded = new provider.AjvJsonSchemaValidator(this.#ajv);
    }
    return this.#loaded.getValidator<T>(schema);
  }
}
