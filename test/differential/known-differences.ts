import type { Aspect } from './compare.ts';

/**
 * Recorded cases Falconer still does not match, by `<version>/<case>`, with the aspects that
 * differ and why. The regression test fails when one of these starts to agree (remove it then).
 */
export const KNOWN_DIFFERENCES: Readonly<Record<string, { readonly aspects: readonly Aspect[]; readonly reason: string }>> = {};
