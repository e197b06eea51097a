// GET /api/subnets/:id/addresses: one subnet's every address by holder (model subnetMapWire.ts), for a
// page that holds only the overview: it has each subnet's counts but not the nodes' ENIs the grid is made
// of, so it asks for the one subnet it shows, as it asks for the nodes in view on the map. And GET
// /api/subnets/:id/matches?q=: which of its addresses the search box lights, since the page holds the
// pods of the nodes in view only.
import {
  SearchQueryError,
  type SearchResult,
  search,
  subnetMapById,
  subnetMapWireOf,
  subnetMatches,
} from "@eni-view/model";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { TopologyFeed } from "../topologyFeed.ts";
import { replyNotReadYet } from "./notReadYet.ts";
import { type BodyEncoding, compressText, pickEncoding } from "./sharedCompression.ts";

const params = { type: "object", properties: { id: { type: "string", maxLength: 64 } } } as const;

function notMapped(reply: FastifyReply, id: string): FastifyReply {
  return reply.code(404).send({
    error: "subnet-not-mapped",
    message: `no address map of ${id}: the cluster does not use it, or it is not an IPv4 /16 to /28`,
  });
}

export function subnetAddressRoutes(app: FastifyInstance, feed: TopologyFeed): void {
  // Several viewers of the same subnet at the same moment get the map made and compressed once, the
  // compression in zlib's threads at the quality the topology's is (sharedCompression.ts).
  let last: { seq: number; id: string; json: string; bodies: Map<BodyEncoding, Promise<Buffer>> } | null =
    null;
  app.get<{ Params: { id: string } }>(
    "/api/subnets/:id/addresses",
    { schema: { params } },
    (request, reply) => {
      const loading = feed.loading();
      if (loading) return replyNotReadYet(reply, loading);
      const topology = feed.topology();
      const { id } = request.params;
      if (last?.seq !== topology.seq || last.id !== id) {
        const wire = subnetMapWireOf(topology, id);
        if (wire === null) return notMapped(reply, id);
        last = { seq: topology.seq, id, json: JSON.stringify(wire), bodies: new Map() };
      }
      reply.header("cache-control", "no-store").header("vary", "accept-encoding");
      reply.type("application/json; charset=utf-8");
      const encoding = pickEncoding(request.headers["accept-encoding"]);
      if (encoding === null) return last.json;
      let body = last.bodies.get(encoding);
      if (!body) {
        body = compressText([last.json], encoding);
        last.bodies.set(encoding, body);
      }
      return body.then((b) =>
        reply.header("content-encoding", encoding).header("content-length", b.length).send(b),
      );
    },
  );

  // Kept by seq, not by the topology object: an old topology is not held alive for it.
  let searched: { seq: number; q: string; result: SearchResult } | null = null;
  app.get<{ Params: { id: string }; Querystring: { q: string } }>(
    "/api/subnets/:id/matches",
    {
      schema: {
        params,
        querystring: {
          type: "object",
          required: ["q"],
          properties: { q: { type: "string", minLength: 1, maxLength: 1000 } },
          additionalProperties: false,
        },
      },
    },
    (request, reply) => {
      const loading = feed.loading();
      if (loading) return replyNotReadYet(reply, loading);
      const topology = feed.topology();
      const { id } = request.params;
      const { q } = request.query;
      const found = subnetMapById(topology, id);
      if (found === null) return notMapped(reply, id);
      if (searched?.seq !== topology.seq || searched.q !== q) {
        try {
          searched = { seq: topology.seq, q, result: search(topology, q) };
        } catch (e) {
          if (!(e instanceof SearchQueryError)) throw e;
          return reply
            .code(400)
            .send({ error: "bad-query", key: e.key, values: e.values, message: e.message });
        }
      }
      reply.header("cache-control", "no-store");
      return { seq: topology.seq, subnet: id, query: q, ...subnetMatches(found.map, searched.result) };
    },
  );
}
