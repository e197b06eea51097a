// The page trusts the server's shapes only after a cheap check of what it draws from: a missing list
// becomes a message naming it, not a blank page. The page asks for the compact form of the topology
// (model wire.ts, a fraction of the bytes); a plain JSON topology is read as well.
import { COMPACT_FORMAT, decodeTopology, type Topology } from "@eni-view/model";
import { badAnswer } from "./http.ts";

/** The query the page adds to /api/topology and /api/stream to get the compact form. */
export const COMPACT_QUERY = "encoding=compact";

/** A topology from a parsed body in either form, checked. */
export function readTopology(body: unknown, where: string): Topology {
  if (typeof body === "object" && body !== null && (body as { format?: unknown }).format === COMPACT_FORMAT) {
    let decoded: Topology;
    try {
      decoded = decodeTopology(body);
    } catch (e) {
      throw badAnswer(`${where}: ${(e as Error).message}`, ["format"]);
    }
    return checkTopology(decoded, where);
  }
  return checkTopology(body, where);
}

const lists = ["nodes", "pods", "pending", "subnets", "zones"] as const;

export function checkTopology(body: unknown, where: string): Topology {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badAnswer(`${where} is not a topology object`, [...lists]);
  const t = body as Record<string, unknown>;
  for (const key of lists)
    if (!Array.isArray(t[key])) throw badAnswer(`${where} has no "${key}" list`, [key]);
  if (typeof t.summary !== "object" || t.summary === null)
    throw badAnswer(`${where} has no "summary"`, ["summary"]);
  if (typeof t.seq !== "number") throw badAnswer(`${where} has no "seq" number`, ["seq"]);
  for (const n of t.nodes as unknown[]) {
    const node = n as { name?: unknown; enis?: unknown; hostNetworkPods?: unknown; capacity?: unknown };
    if (
      typeof node?.name !== "string" ||
      !Array.isArray(node.enis) ||
      !Array.isArray(node.hostNetworkPods) ||
      !node.capacity
    )
      throw badAnswer(`${where}: a node lacks its name, enis, hostNetworkPods or capacity`, [
        "nodes[].name",
        "enis",
        "hostNetworkPods",
        "capacity",
      ]);
  }
  return body as Topology;
}
