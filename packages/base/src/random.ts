/**
 * mulberry32: a small seeded 32-bit generator. Not for secrets: for test data, fuzzing and
 * benchmarks, where one seed must reproduce the same values (a failure names its seed).
 *
 * @example
 * const next = mulberry32(7);
 * next(); // a float in [0, 1), the same for seed 7 on every run
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
