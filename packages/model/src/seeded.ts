// One seeded generator (mulberry32) for everything that must replay the same way on every machine: the
// simulator's clusters, the web app's synthetic clusters and the model's randomised tests.

/** A function returning numbers in [0, 1), the same sequence for the same seed. */
export type Random = () => number;

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
