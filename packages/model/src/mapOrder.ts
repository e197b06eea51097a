// Go map order, seeded: where upstream walks a map (IPAMD's ENIs and CIDRs, the scheduler's tie-break among
// equally good nodes), the simulator and the planner draw the order from the same seeded generator.
import type { Random } from "./seeded.ts";

/** An index in [0, length), one draw. */
export function randomIndex(next: Random, length: number): number {
  return Math.floor(next() * length);
}

/** A seeded Fisher-Yates shuffle of a copy. */
export function shuffled<T>(next: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(next, i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
