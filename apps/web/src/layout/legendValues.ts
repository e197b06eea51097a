// The values pod cells are coloured by and how many pods each has, for the legend.
import type { PodReport } from "@eni-view/model";
import type { ColorMode } from "./colorKey.ts";

function legendValueOf(p: PodReport, mode: ColorMode): string {
  return mode === "namespace" ? p.namespace : mode === "phase" ? p.phase : (p.owner ?? "(none)");
}

/** The values cells are coloured by, biggest first, each with one pod key to colour its swatch by. */
export function topValues(pods: readonly PodReport[], mode: ColorMode): [string, string, number][] {
  const counts = new Map<string, [string, number]>();
  for (const p of pods) {
    const v = legendValueOf(p, mode);
    const c = counts.get(v);
    if (c) c[1]++;
    else counts.set(v, [`${p.namespace}/${p.name}`, 1]);
  }
  return [...counts]
    .map(([v, [key, n]]) => [v, key, n] as [string, string, number])
    .sort((a, b) => b[2] - a[2] || a[0].localeCompare(b[0]));
}
