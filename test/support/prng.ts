/** A seeded pseudo-random source for tests whose inputs must reproduce from a seed. */
export type Rand = () => number;

/** mulberry32: small, fast and good enough to spread generated cases. */
export function prng(seed: number): Rand {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
