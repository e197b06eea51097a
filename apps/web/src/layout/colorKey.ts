// Which property a pod cell is coloured by, and a stable colour index for it: the index is a hash of the
// value, so a namespace keeps its colour across updates, reloads and machines.
import type { PodReport } from "@eni-view/model";

export const colorModes = ["namespace", "phase", "owner"] as const;
export type ColorMode = (typeof colorModes)[number];

export function colorValue(
  podKey: string,
  pod: Pick<PodReport, "phase" | "owner"> | undefined,
  mode: ColorMode,
): string {
  switch (mode) {
    case "namespace": {
      // What splitPodKey(podKey).namespace gives, without its object and name string: this runs once per pod
      // cell when the overview of 150,000 pods is painted.
      const slash = podKey.indexOf("/");
      return slash < 0 ? "" : podKey.slice(0, slash);
    }
    case "phase":
      return pod?.phase ?? "Unknown";
    case "owner":
      return pod?.owner ?? "(none)";
  }
}

/** FNV-1a: tiny, fast and well spread over short strings. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
