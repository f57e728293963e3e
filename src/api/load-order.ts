/**
 * The order in which a monitor loads its rule sets, in one place: Falco's default rules (when
 * included) first, then rule sets by ascending spec.loadOrder, ties broken by metadata.name in
 * byte order (names are unique within the namespace, so the order is total and stable).
 * Order matters in Falco: a later file can append to or override what an earlier one defines.
 */
export interface Orderable {
  metadata: { name: string };
  spec: { loadOrder: number };
}

export function compareLoadOrder(a: Orderable, b: Orderable): number {
  if (a.spec.loadOrder !== b.spec.loadOrder) return a.spec.loadOrder - b.spec.loadOrder;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** A sorted copy; the input is not modified. */
export function sortByLoadOrder<T extends Orderable>(ruleSets: readonly T[]): T[] {
  return [...ruleSets].sort(compareLoadOrder);
}
