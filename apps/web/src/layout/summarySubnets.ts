// Which subnets the summary bar draws: all of them when they fit a line or two; past that (a 100,000-node
// cluster uses dozens of /16s) those with the least room, in the report's order, and how many it leaves to
// the Subnets tab with the least room among them, so the bar never hides a subnet running out.
import type { SubnetReport } from "@eni-view/model";

/** Past this many subnets the bar draws only the `SHOWN` with the least room. */
export const SUMMARY_SUBNETS_MAX = 9;
const SHOWN = 6;

export interface SummarySubnets {
  shown: SubnetReport[];
  /** Subnets left out, and the smallest free share among them (0-1); null when none is. */
  more: { count: number; leastFree: number } | null;
}

export const freeShare = (s: SubnetReport) => (s.totalIps > 0 ? s.availableIps / s.totalIps : 0);

export function summarySubnets(subnets: readonly SubnetReport[]): SummarySubnets {
  if (subnets.length <= SUMMARY_SUBNETS_MAX) return { shown: [...subnets], more: null };
  const tightest = new Set(
    [...subnets.keys()]
      .sort((a, b) => freeShare(subnets[a]!) - freeShare(subnets[b]!) || a - b)
      .slice(0, SHOWN),
  );
  const shown = subnets.filter((_, i) => tightest.has(i));
  const rest = subnets.filter((_, i) => !tightest.has(i));
  return { shown, more: { count: rest.length, leastFree: Math.min(...rest.map(freeShare)) } };
}
