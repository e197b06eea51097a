// The colour of a pod cell under the chosen colouring. Namespaces and owners take a palette colour picked by
// a hash of their name, so a namespace has the same colour in every tab, on every machine, in every export
// and whatever order the pods arrive in; phases have fixed colours. Two values can share a colour (the
// palette is finite); the legend and the tooltip name them.

import type { MapPod } from "@eni-view/model";
import type { ColorMode } from "../layout/colorKey.ts";
import { colorValue, stableHash } from "../layout/colorKey.ts";
import { type PhaseName, podPalette, type Theme } from "./theme.ts";

export type PodColorFn = (podKey: string) => string;

// Hashing a value once per distinct value, not once per cell: 150,000 cells name a few hundred values.
const cache = new Map<string, string>();

export function valueColor(value: string): string {
  let c = cache.get(value);
  if (c === undefined) {
    c = podPalette[stableHash(value) % podPalette.length]!;
    // Bounded: owners come and go over a long session.
    if (cache.size > 50_000) cache.clear();
    cache.set(value, c);
  }
  return c;
}

/** Phases take the theme's phase colours (the colour-blind palette has its own); a phase the page does not know
 * is Unknown. */
/** `pods` is the page's pod index, or the pods a subnet's map came with (all a colour reads of a pod). */
export function podColorFn(
  mode: ColorMode,
  pods: { get(key: string): MapPod | undefined },
  theme: Pick<Theme, "phase">,
): PodColorFn {
  if (mode === "phase")
    return (key) => theme.phase[colorValue(key, pods.get(key), mode) as PhaseName] ?? theme.phase.Unknown;
  // Namespace colouring reads the key alone: no pod lookup, so no index is built for it.
  return mode === "namespace"
    ? (key) => valueColor(colorValue(key, undefined, mode))
    : (key) => valueColor(colorValue(key, pods.get(key), mode));
}
