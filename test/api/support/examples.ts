/** The objects in examples/, read as users would apply them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', '..', 'examples');

export interface Example {
  file: string;
  object: Record<string, unknown>;
}

export function exampleObjects(): Example[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(EXAMPLES_DIR, file), 'utf8')).map((doc) => ({ file, object: doc.toJS() as Record<string, unknown> })),
    );
}
