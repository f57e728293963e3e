/** Edit distance, for "did you mean" lists (rule names are short; O(n·m) is fine). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * Up to `max` candidates close to `wanted`: names containing it (or contained in it) first,
 * then by edit distance, ignoring case. Nothing far-fetched: distance must stay under a third
 * of the longer name.
 */
export function closeMatches(wanted: string, candidates: readonly string[], max = 5): string[] {
  const w = wanted.toLowerCase();
  const scored = candidates.map((name) => {
    const n = name.toLowerCase();
    const contains = n.includes(w) || w.includes(n);
    const words = w.split(/\s+/).filter((x) => x.length > 2);
    const shared = words.filter((x) => n.includes(x)).length;
    return { name, score: contains ? -1000 : distance(w, n) - shared * 3, limit: Math.max(w.length, n.length) / 3 };
  });
  return scored
    .filter((s) => s.score < s.limit)
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((s) => s.name);
}
