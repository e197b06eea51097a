// The page trusts the server's shapes only after a cheap check of what it draws from: a missing list
// becomes a message naming it, not a blank page.
import type { Topology } from "@eni-view/model";
import { ApiError } from "./http.ts";

const lists = ["nodes", "pods", "pending", "subnets", "zones"] as const;

export function checkTopology(body: unknown, where: string): Topology {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new ApiError(200, "bad-topology", `${where} is not a topology object`);
  const t = body as Record<string, unknown>;
  for (const key of lists)
    if (!Array.isArray(t[key])) throw new ApiError(200, "bad-topology", `${where} has no "${key}" list`);
  if (typeof t.summary !== "object" || t.summary === null)
    throw new ApiError(200, "bad-topology", `${where} has no "summary"`);
  if (typeof t.seq !== "number") throw new ApiError(200, "bad-topology", `${where} has no "seq" number`);
  for (const n of t.nodes as unknown[]) {
    const node = n as { name?: unknown; enis?: unknown; hostNetworkPods?: unknown; capacity?: unknown };
    if (
      typeof node?.name !== "string" ||
      !Array.isArray(node.enis) ||
      !Array.isArray(node.hostNetworkPods) ||
      !node.capacity
    )
      throw new ApiError(
        200,
        "bad-topology",
        `${where}: a node lacks its name, enis, hostNetworkPods or capacity`,
      );
  }
  return body as Topology;
}
