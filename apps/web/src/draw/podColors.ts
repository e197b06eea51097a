// The colour of a pod cell under the chosen colouring, memoised per value (a hash per cell per frame adds up
// at 150,000 pods).
import type { PodReport } from "@eni-view/model";
import { type ColorMode, colorValue, stableHash } from "../layout/colorKey.ts";
import { phaseColors, podPalette } from "./theme.ts";

export type PodColorFn = (podKey: string) => string;

export function podColorFn(mode: ColorMode, pods: ReadonlyMap<string, PodReport>): PodColorFn {
  const memo = new Map<string, string>();
  return (key) => {
    const value = colorValue(key, pods.get(key), mode);
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
