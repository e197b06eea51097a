// Heat-map colours: each theme's sequential ramp (theme.ts `heat`), in HEAT_STEPS steps so the legend can show
// every one and the overview caches a handful of colours.
import type { NodeReport } from "@eni-view/model";
import { type HeatMode, heatStep, heatValue } from "../layout/heat.ts";
import type { Theme } from "./theme.ts";

/** A node's heat colour in the theme's ramp, or the theme's "not attached" grey when its value cannot be told
 * (no step of the ramp is grey). */
export function heatColorFn(mode: HeatMode, theme: Theme): ((n: NodeReport) => string) | null {
  if (mode === "off") return null;
  return (n) => {
    const v = heatValue(n, mode);
    return v === null ? theme.placeholderCell : theme.heat[heatStep(v)]!;
  };
}
