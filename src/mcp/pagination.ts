import * as z from 'zod';
import { InvalidInputError } from '../core/errors.ts';

/**
 * Opaque cursors: base64url JSON with the offset and a fingerprint of the filters, so a cursor
 * from one query cannot silently page through another.
 */
const cursorSchema = z.object({ o: z.number().int().nonnegative(), f: z.string(), a: z.string().max(64).optional() });

export function fingerprint(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

/** `anchor` pins what page 1 saw (e.g. the end of a time window) so later pages do not shift. */
export function encodeCursor(offset: number, filters: unknown, anchor?: string): string {
  const payload = anchor === undefined ? { o: offset, f: fingerprint(filters) } : { o: offset, f: fingerprint(filters), a: anchor };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, filters: unknown): number {
  return decodeAnchoredCursor(cursor, filters).offset;
}

export function decodeAnchoredCursor(cursor: string | undefined, filters: unknown): { offset: number; anchor?: string } {
  if (cursor === undefined) return { offset: 0 };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidInputError('The cursor is not one this server issued.', { field: 'cursor' });
  }
  const parsed = cursorSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError('The cursor is not one this server issued.', { field: 'cursor' });
  if (parsed.data.f !== fingerprint(filters)) {
    throw new InvalidInputError('The cursor belongs to a query with other filters; repeat the query without it.', {
      field: 'cursor',
    });
  }
  return parsed.data.a === undefined ? { offset: parsed.data.o } : { offset: parsed.data.o, anchor: parsed.data.a };
}

export interface Page<T> {
  items: T[];
  total: number;
  nextCursor?: string;
}

export function paginate<T>(all: readonly T[], offset: number, limit: number, filters: unknown, anchor?: string): Page<T> {
  const items = all.slice(offset, offset + limit);
  const page: Page<T> = { items, total: all.length };
  if (offset + limit < all.length) page.nextCursor = encodeCursor(offset + limit, filters, anchor);
  return page;
}
