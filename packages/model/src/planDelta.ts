// A plan's planned cluster sent as what it changes in the live topology it was planned on, rather than
// whole. The page already holds that topology (the stream's), and a plan touches few nodes: scaling one
// workload by 1,000 pods on 5,000 nodes changes well under a tenth of the cluster, and the whole planned
// cluster was 14 MB of JSON to encode, send and decode. The delta is the stream's own (delta.ts), made in
// the planner's thread from the report it planned on, and applied by the page to the topology of the
// plan's `basedOn.seq`: the same planned topology the whole form gives, object for object where nothing
// changed.
import type { Topology, TopologyDelta } from "./api.ts";
import { DeltaSequenceError, diffTopology, patchTopology } from "./delta.ts";
import type { Report } from "./types.ts";

/** What a plan changes in the report it was planned on; the stream's delta without its seq and time. */
export type PlanDelta = Omit<TopologyDelta, "seq" | "generatedAt" | "sources">;

const asTopology = (r: Report): Topology => ({ ...r, seq: 0, generatedAt: "", source: "", sources: {} });

/** The delta from `base` (the report of the cluster as the plan found it) to `planned`, which the planner
 * built with `base` as its previous report (so what the plan leaves alone is the same object in both).
 * Subnets go whole: the live topology's carry exhaustion forecasts (made from the subnets' history), which
 * a planned subnet has none of. */
export function planDelta(base: Report, planned: Report): PlanDelta {
  const {
    seq: _seq,
    generatedAt: _at,
    sources: _sources,
    ...delta
  } = diffTopology(asTopology(base), asTopology(planned), true) ??
  ({ seq: 0, generatedAt: "" } as TopologyDelta);
  const kept = new Set(planned.subnets.map((s) => s.id));
  delta.subnets = {
    upsert: planned.subnets,
    remove: base.subnets.filter((s) => !kept.has(s.id)).map((s) => s.id),
  };
  return delta;
}

/** The planned topology: `live` (the topology of seq `basedOn.seq`) with the plan's delta applied, marked
 * as a plan as the whole form is. Throws DeltaSequenceError when `live` is another seq's, or when the
 * delta names something `live` lacks. */
export function applyPlanDelta(
  live: Topology,
  reply: { delta: PlanDelta; basedOn: { seq: number }; plannedAt: string },
): Topology {
  if (live.seq !== reply.basedOn.seq)
    throw new DeltaSequenceError(live.seq, reply.basedOn.seq, "the plan was made on another topology");
  const planned = patchTopology(live, {
    ...reply.delta,
    seq: reply.basedOn.seq,
    generatedAt: reply.plannedAt,
  });
  return { ...planned, source: "plan", sources: {} };
}
