// The heat-map overview: one number per node, from 0 (calm) to 1 (trouble), so 5,000 boxes read as colour
// rather than as a texture of pod cells.
import type { NodeReport } from "@eni-view/model";

export const heatModes = ["off", "pods", "ips", "warm", "waiting"] as const;
export type HeatMode = (typeof heatModes)[number];

/**
 * The node's heat under a mode, in [0, 1]; null when it cannot be told (max pods unknown, no IPs assigned).
 * Waiting-for-IP counts have no natural maximum, so n / (n + 3) spreads the first few apart: one waiting
 * pod is already a quarter of the way, nine are three quarters.
 */
export function heatValue(n: NodeReport, mode: Exclude<HeatMode, "off">): number | null {
  switch (mode) {
    case "pods":
      return n.maxPods ? Math.min(1, n.pods / n.maxPods) : null;
    case "ips":
      return n.ipsAssigned > 0 ? n.ipsUsed / n.ipsAssigned : null;
    case "warm":
      return n.ipsAssigned > 0 ? n.ipsWarm / n.ipsAssigned : null;
    case "waiting":
      return n.podsWaitingForIp / (n.podsWaitingForIp + 3);
  }
}

/** Steps of the colour ramp: few enough that the overview's colour cache stays tiny, enough to read. */
export const HEAT_STEPS = 10;

export function heatStep(v: number): number {
  return Math.min(HEAT_STEPS - 1, Math.floor(v * HEAT_STEPS));
}
