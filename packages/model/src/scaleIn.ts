// Which nodes a node group's Auto Scaling group terminates when it scales in, by the default termination
// policy (Amazon EC2 Auto Scaling user guide, "Configure termination policies"): first the Availability
// Zone with the most of the group's instances, so its zones stay balanced; within that zone the instances
// with the oldest launch template, then the one closest to the next billing hour. A node shows neither,
// so the newest node of the zone stands in for them. Zones tied on count: the one whose newest node is
// newest (AWS picks at random among them). The simulator's node groups and the planner both use it.

export interface ScaleInCandidate {
  name: string;
  zone: string | null;
  /** RFC 3339 creation time; null sorts as oldest. */
  createdAt: string | null;
}

function newestFirst(a: ScaleInCandidate, b: ScaleInCandidate): number {
  return (b.createdAt ?? "").localeCompare(a.createdAt ?? "") || b.name.localeCompare(a.name);
}

/** The `count` nodes terminated, in the order they go. */
export function scaleInVictims<T extends ScaleInCandidate>(nodes: readonly T[], count: number): T[] {
  const left = [...nodes].sort(newestFirst);
  const out: T[] = [];
  while (out.length < count && left.length > 0) {
    const perZone = new Map<string, number>();
    for (const n of left) perZone.set(n.zone ?? "", (perZone.get(n.zone ?? "") ?? 0) + 1);
    const most = Math.max(...perZone.values());
    // `left` is newest first: the first node in a zone with the most nodes is the newest of those zones'.
    const i = left.findIndex((n) => perZone.get(n.zone ?? "") === most);
    out.push(...left.splice(i, 1));
  }
  return out;
}
