// The colour of a pod cell under the chosen colouring, memoised per value (a hash per cell per frame adds up
// at 150,000 pods).

import { type ColorMode, colorValue, stableHash } from "../layout/colorKey.ts";
import type { PodIndex } from "../layout/podIndex.ts";
import { phaseColors, podPalette } from "./theme.ts";

export type PodColorFn = (podKey: string) => string;

export function podColorFn(mode: ColorMode, pods: PodIndex): PodColorFn {
  const memo = new Map<string, string>();
  return (key) => {
    // Namespace colouring reads the key alone: no pod lookup, so no index is built for it.
    const value = colorValue(key, mode === "namespace" ? undefined : pods.get(key), mode);
    let c = memo.get(value);
    if (!c) {
      c =
        mode === "phase"
          ? (phaseColors[value] ?? podPalette[0]!)
          : podPalette[stableHash(value) % podPalette.length]!;
      memo.set(value, c);
    }
    return c;
  };
}
