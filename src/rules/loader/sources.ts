import { sourceFields } from '../fields/catalog.ts';
import type { SourceFields } from '../fields/catalog.ts';

/**
 * The event sources a load knows about. A source without catalog fields (a plugin the catalog
 * does not describe) is known but unchecked: conditions are parsed, fields are not verified.
 */
export interface KnownSource {
  readonly name: string;
  readonly fields: SourceFields | undefined;
}

export class SourceRegistry {
  private readonly known = new Map<string, KnownSource>();

  constructor(names: Iterable<string>) {
    for (const name of names) this.known.set(name, { name, fields: sourceFields(name) });
  }

  get(name: string): KnownSource | undefined {
    return this.known.get(name);
  }
}
