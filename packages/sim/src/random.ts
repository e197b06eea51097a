// Seeded randomness for the simulator: mulberry32, small and fast, so the same seed replays the same
// cluster (resource ids, pod names, scheduler tie-breaks, IPAMD's random ENI choice).
import { seeded, shuffled as shuffledBy } from "@eni-view/model";
import type { SimRandom } from "./contracts.ts";

export function createRandom(seed: number): SimRandom {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const next = seeded(seed);
  const int = (minInclusive: number, maxExclusive: number): number => {
    if (!(maxExclusive > minInclusive)) {
      throw new RangeError(`empty range [${minInclusive}, ${maxExclusive})`);
    }
    return minInclusive + Math.floor(next() * (maxExclusive - minInclusive));
  };
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError("cannot pick from an empty list");
      return items[int(0, items.length)] as T;
    },
    hex(length: number): string {
      let out = "";
      while (out.length < length) out += int(0, 16).toString(16);
      return out;
    },
  };
}

// Kubernetes' rand.String alphabet: no vowels or look-alike characters, so generated names never spell words.
const nameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

/** A suffix like the ones ReplicaSets and DaemonSets give their pods ("nginx-deployment-7c79c4bf97-x2k9p"). */
export function nameSuffix(random: SimRandom, length = 5): string {
  let out = "";
  for (let i = 0; i < length; i++) out += nameAlphabet[random.int(0, nameAlphabet.length)];
  return out;
}

/** A v4-shaped UUID drawn from the seeded generator (Kubernetes uids, request ids). */
export function uuid(random: SimRandom): string {
  const h = random.hex(32);
  const variant = ((Number.parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A seeded Fisher-Yates shuffle: where upstream walks a Go map (random order), the simulator does too. */
export function shuffled<T>(random: SimRandom, items: readonly T[]): T[] {
  return shuffledBy(() => random.next(), items);
}
