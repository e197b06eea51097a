// A plan from the server (GET /api/plan, planned in its worker thread on the cluster it holds), or the
// one a frozen plan keeps. The live view's plan comes as its delta against the live topology the page
// holds (only what the plan changes, where the whole planned cluster of 5,000 nodes was 14 MB); a frozen plan, or a
// live one whose topology the page no longer has, comes whole in the compact form, checked like a topology.
import { applyPlanDelta, DeltaSequenceError, type PlanReply, type Topology } from "@eni-view/model";
import type { QueryClient } from "@tanstack/react-query";
import { readTopology } from "./checkTopology.ts";
import { ApiError, badAnswer, getJson } from "./http.ts";
import { watchLiveTopologies } from "./liveTopologies.ts";

export interface Plan {
  reply: PlanReply;
  /** The planned cluster, drawn in the same boxes as the live one. */
  planned: Topology;
}

/** A reply checked for what the page draws from, but its planned cluster. */
function checkReply(body: unknown, where: string): PlanReply {
  const r = body as Partial<PlanReply> | null;
  if (typeof r !== "object" || r === null || !Array.isArray(r.nodes) || !Array.isArray(r.changes))
    throw badAnswer(`${where} is not a plan`, ["nodes", "changes"]);
  if (!Array.isArray(r.subnets) || !Array.isArray(r.pending) || typeof r.ec2 !== "object" || !r.ec2)
    throw badAnswer(`${where} lacks its subnets, Pending pods or EC2 calls`, ["subnets", "pending", "ec2"]);
  return r as PlanReply;
}

/** A reply with the planned cluster whole, checked, its planned cluster decoded. */
export function readPlan(body: unknown, where: string): Plan {
  const reply = checkReply(body, where);
  return { reply, planned: readTopology(reply.report, `${where}'s planned cluster`) };
}

/** How long a plan's delta waits for the stream to bring the topology it was planned on. */
const BASE_WAIT_MS = 5000;

/** The plan of `query` on the live view: as a delta against the stream's topology of its seq, else whole. */
async function livePlan(client: QueryClient, query: string, signal: AbortSignal): Promise<Plan> {
  const live = watchLiveTopologies(client);
  try {
    const body = await getJson<unknown>(`/api/plan?${query}&report=delta`, signal);
    const reply = checkReply(body, "the plan");
    if (reply.delta !== undefined && typeof reply.basedOn?.seq === "number") {
      const base = await live.at(reply.basedOn.seq, BASE_WAIT_MS, signal);
      if (base !== null) {
        try {
          return { reply, planned: applyPlanDelta(base, { ...reply, delta: reply.delta }) };
        } catch (e) {
          if (!(e instanceof DeltaSequenceError)) throw e;
        }
      }
    }
  } finally {
    live.stop();
  }
  // The stream moved past the plan's topology (it reconnected, or the page draws no live topology): the
  // server plans again and sends the planned cluster whole.
  return readPlan(await getJson<unknown>(`/api/plan?${query}&report=whole`, signal), "the plan");
}

export function planQuery(query: string, client: QueryClient) {
  return {
    queryKey: ["plan", query] as const,
    queryFn: ({ signal }: { signal: AbortSignal }): Promise<Plan> => livePlan(client, query, signal),
    // A plan is of the moment it was made: it is made again when asked ("Plan again"), not on focus.
    staleTime: Number.POSITIVE_INFINITY,
    // A refused plan (400) stays refused; a busy planner (429) or a server still reading the cluster (503)
    // is asked again a little later.
    retry: (count: number, error: Error) =>
      error instanceof ApiError && (error.status === 429 || error.status === 503) && count < 5,
    retryDelay: 2000,
    structuralSharing: false,
  };
}
