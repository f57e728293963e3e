import { createHash } from 'node:crypto';

/** `sha256:<hex>` of a text: the form FalcoRuleSet.status.contentHash and bundles use. */
export function contentHash(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** The first `length` hex digits of a `sha256:<hex>` hash (or of a bare hex hash), for names. */
export function shortHash(hash: string, length = 10): string {
  return hash.replace(/^sha256:/, '').slice(0, length);
}

/**
 * A child name `<base>-<suffix>` that fits `max` characters: a long base is cut and tagged with
 * a hash of itself, so two long monitor names never share a child name.
 */
export function childName(base: string, suffix: string, max = 63): string {
  const room = max - suffix.length - 1;
  if (base.length <= room) return `${base}-${suffix}`;
  const tag = shortHash(contentHash(base), 6);
  return `${base.slice(0, room - tag.length - 1).replace(/-+$/, '')}-${tag}-${suffix}`;
}
