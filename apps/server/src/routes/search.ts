// GET /api/search?q=: the search box's query run over the whole cluster, for a page that holds only the
// overview (no pods but the nodes' in view): how many match and on which nodes, never the pods
// themselves, so the answer is bounded by the node count whatever the pods. The page lights the cells
// of the nodes it has in detail itself, with the same search (model search.ts).
import { type SearchAnswer, SearchQueryError, search, searchCounts } from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import type { TopologyFeed } from "../topologyFeed.ts";
import { replyNotReadYet } from "./notReadYet.ts";

/** Most node names one answer lists (every node of EKS's largest clusters); `limit` asks for fewer. */
export const SEARCH_MAX_NODES = 100_000;

const searchQuery = {
  type: "object",
  required: ["q"],
  properties: {
    q: { type: "string", minLength: 1, maxLength: 1000 },
    limit: { type: "integer", minimum: 1, maximum: SEARCH_MAX_NODES },
  },
  additionalProperties: false,
} as const;

export function searchRoutes(app: FastifyInstance, feed: TopologyFeed): void {
  // A query typed again (another tab, a reconnect) at the same moment is not searched twice.
  let last: { seq: number; q: string; answer: SearchAnswer & { all: string[] } } | null = null;
  app.get<{ Querystring: { q: string; limit?: number } }>(
    "/api/search",
    { schema: { querystring: searchQuery } },
    (request, reply) => {
      const loading = feed.loading();
      if (loading) return replyNotReadYet(reply, loading);
      const topology = feed.topology();
      const { q } = request.query;
      if (last?.seq !== topology.seq || last.q !== q) {
        let r: ReturnType<typeof search>;
        try {
          r = search(topology, q);
        } catch (e) {
          if (!(e instanceof SearchQueryError)) throw e;
          return reply
            .code(400)
            .send({ error: "bad-query", key: e.key, values: e.values, message: e.message });
        }
        const all = topology.nodes.filter((n) => r.touched.has(n.name)).map((n) => n.name);
        last = {
          seq: topology.seq,
          q,
          answer: {
            seq: topology.seq,
            query: q,
            count: r.count,
            counts: searchCounts(r),
            nodes: all,
            nodesTotal: all.length,
            all,
          },
        };
      }
      const { all, ...answer } = last.answer;
      reply.header("cache-control", "no-store");
      return { ...answer, nodes: all.slice(0, request.query.limit ?? SEARCH_MAX_NODES) };
    },
  );
}
