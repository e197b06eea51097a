// The overview stream (GET /api/stream?view=overview) for a cluster too big to send whole: an `overview`
// event (the thin topology of model overview.ts: every node's numbers, no ENIs, slots or pods; the
// totals per zone and node group) with the stream's id, `ready`, then the thin deltas as the cluster
// changes, and `detail` events (model NodeDetail: the nodes whole, with their pods) for the nodes the
// page has in view, which it sets with POST /api/stream/:id/nodes as it pans and zooms: their detail
// comes at once, and again whenever a change touches one of them. Nothing is kept per viewer but the set
// of names; a reconnecting page gets a fresh overview and sets its nodes again.
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { OverviewFeed } from "../overviewFeed.ts";
import { sseFrame } from "../topologyFeed.ts";

/** A page's stream: who opened it, and how to change the nodes it has in view. */
export interface OverviewStream {
  address: string;
  setNodes(names: readonly string[]): void;
}

/** Where `view=auto` (what the dashboard asks for) switches from the whole snapshot to the overview: below
 * it the whole snapshot draws sooner and holds every pod for search; above it the overview does (measured
 * in bench/PERFORMANCE.md, "The page on the overview stream"). */
export const OVERVIEW_FROM_NODES = 10_000;

/** Most nodes a page may have in view at once: a 4K screen of the smallest boxes that still show slots. */
export const MAX_NODES_IN_VIEW = 2_000;

/** Writes the overview and `ready`, then keeps the stream current; returns the function that ends it. */
export function beginOverview(
  overview: OverviewFeed,
  streams: Map<string, OverviewStream>,
  address: string,
  compact: boolean,
  writeFirst: (frame: string) => void,
  write: (frame: string) => void,
): () => void {
  const id = randomUUID();
  let inView = new Set<string>();
  const seq = overview.seq();
  writeFirst(
    `id: ${seq}\nevent: overview\ndata: {"stream":${JSON.stringify(id)},"topology":${overview.overviewJson(compact)}}\n\n`,
  );
  write(sseFrame("ready", JSON.stringify({ seq })));
  // A page that opens the overview zooms in next: its first node's detail should not wait for the index.
  overview.prepareDetail();
  const stop = overview.subscribe((change) => {
    write(change.frame);
    const names = [...inView].filter((n) => change.touched.has(n));
    if (names.length > 0) write(sseFrame("detail", overview.detailJson(names)));
  });
  streams.set(id, {
    address,
    setNodes(names) {
      const added = names.filter((n) => !inView.has(n));
      inView = new Set(names);
      if (added.length > 0) write(sseFrame("detail", overview.detailJson(added)));
    },
  });
  return () => {
    stop();
    streams.delete(id);
  };
}

const nodesBody = {
  type: "object",
  required: ["nodes"],
  properties: {
    nodes: {
      type: "array",
      maxItems: MAX_NODES_IN_VIEW,
      items: { type: "string", minLength: 1, maxLength: 253 },
    },
  },
  additionalProperties: false,
} as const;

export function overviewNodeRoutes(app: FastifyInstance, streams: Map<string, OverviewStream>): void {
  app.post<{ Params: { id: string }; Body: { nodes: string[] } }>(
    "/api/stream/:id/nodes",
    {
      // 2,000 names of up to 253 characters; the app's 1 KiB default is for bodies that carry nothing.
      bodyLimit: 600 * 1024,
      schema: {
        params: { type: "object", properties: { id: { type: "string", maxLength: 36 } } },
        body: nodesBody,
      },
    },
    (request, reply) => {
      const stream = streams.get(request.params.id);
      // Another address's stream is not this client's to steer: it is told no more than for an unknown id.
      if (!stream || stream.address !== request.ip) {
        return reply
          .code(404)
          .send({ error: "not-found", message: "no such overview stream (it ended, or was never opened)" });
      }
      stream.setNodes(request.body.nodes);
      return reply.code(204).send();
    },
  );
}
