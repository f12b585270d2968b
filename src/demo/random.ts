// Seeded pseudo-random numbers for the demo's synthetic ledgers: mulberry32 (a tiny, well-known
// 32-bit generator, ample for made-up data; no dependency) and a string hash that derives one
// independent stream per purpose — (seed, ledger, month, what for) — so a month's file never
// depends on which other months were generated with it, or on how many lines they were given.

export type Random = () => number;

/** mulberry32: uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts' text: a 32-bit seed for one purpose. */
export function streamSeed(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  const text = parts.join('\u0000');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A generator of its own for (seed, ledger, month, purpose, …). */
export function randomFor(...parts: readonly (string | number)[]): Random {
  return mulberry32(streamSeed(...parts));
}

/** Uniform in [lo, hi). */
export function between(random: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * random();
}

/** Whole pence in [lo, hi], a multiple of `step` (e.g. 1000 for round tens of pounds). */
export function penceBetween(random: Random, lo: number, hi: number, step = 1): number {
  const steps = Math.floor((hi - lo) / step);
  return lo + step * Math.floor(random() * (steps + 1));
}

export function pick<T>(random: Random, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}
