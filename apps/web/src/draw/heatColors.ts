// Heat-map colours: a sequential ramp that stays ordered for colour-blind eyes and in greyscale (light to
// dark), in HEAT_STEPS steps so the legend can show every one and the overview caches a handful of colours.
import type { NodeReport } from "@eni-view/model";
import { interpolateYlOrRd } from "d3-scale-chromatic";
import { HEAT_STEPS, type HeatMode, heatStep, heatValue } from "../layout/heat.ts";

function toHex(css: string): string {
  const m = /^rgb\((\d+), ?(\d+), ?(\d+)\)$/.exec(css);
  if (!m) return css;
  return `#${[m[1], m[2], m[3]].map((v) => Number(v).toString(16).padStart(2, "0")).join("")}`;
}

/** The ramp's colours, calm to hot; the calm end starts off white so a cold box still differs from paper. */
export const heatRamp: readonly string[] = Array.from({ length: HEAT_STEPS }, (_, i) =>
  toHex(interpolateYlOrRd(0.12 + (0.88 * i) / (HEAT_STEPS - 1))),
);

/** A node's heat colour, or `unknown` when its value cannot be told. */
export function heatColorFn(mode: HeatMode, unknown: string): ((n: NodeReport) => string) | null {
  if (mode === "off") return null;
  return (n) => {
    const v = heatValue(n, mode);
    return v === null ? unknown : heatRamp[heatStep(v)]!;
  };
}
