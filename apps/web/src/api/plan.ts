// A plan from the server (GET /api/plan, planned in its worker thread on the cluster it holds), or the
// one a frozen plan keeps. The planned cluster comes in the compact form and is checked like a topology.
import type { PlanReply, Topology } from "@eni-view/model";
import { readTopology } from "./checkTopology.ts";
import { ApiError, getJson } from "./http.ts";

export interface Plan {
  reply: PlanReply;
  /** The planned cluster, drawn in the same boxes as the live one. */
  planned: Topology;
}

/** A reply checked for what the page draws from, its planned cluster decoded. */
export function readPlan(body: unknown, where: string): Plan {
  const r = body as Partial<PlanReply> | null;
  if (typeof r !== "object" || r === null || !Array.isArray(r.nodes) || !Array.isArray(r.changes))
    throw new ApiError(200, "bad-plan", `${where} is not a plan`);
  if (!Array.isArray(r.subnets) || !Array.isArray(r.pending) || typeof r.ec2 !== "object" || !r.ec2)
    throw new ApiError(200, "bad-plan", `${where} lacks its subnets, Pending pods or EC2 calls`);
  return { reply: r as PlanReply, planned: readTopology(r.report, `${where}'s planned cluster`) };
}

export function planQuery(query: string) {
  return {
    queryKey: ["plan", query] as const,
    queryFn: async ({ signal }: { signal: AbortSignal }): Promise<Plan> =>
      readPlan(await getJson<unknown>(`/api/plan?${query}`, signal), "the plan"),
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
