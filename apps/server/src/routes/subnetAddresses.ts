// GET /api/subnets/:id/addresses: one subnet's every address by holder (model subnetMapWire.ts), for a
// page that holds only the overview: it has each subnet's counts but not the nodes' ENIs the grid is made
// of, so it asks for the one subnet it shows, as it asks for the nodes in view on the map.
import { subnetMapWireOf } from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import type { TopologyFeed } from "../topologyFeed.ts";
import { replyNotReadYet } from "./notReadYet.ts";

export function subnetAddressRoutes(app: FastifyInstance, feed: TopologyFeed): void {
  // Several viewers of the same subnet at the same moment get the map made once.
  let last: { seq: number; id: string; json: string } | null = null;
  app.get<{ Params: { id: string } }>(
    "/api/subnets/:id/addresses",
    { schema: { params: { type: "object", properties: { id: { type: "string", maxLength: 64 } } } } },
    (request, reply) => {
      const loading = feed.loading();
      if (loading) return replyNotReadYet(reply, loading);
      const topology = feed.topology();
      const { id } = request.params;
      if (last?.seq !== topology.seq || last.id !== id) {
        const wire = subnetMapWireOf(topology, id);
        if (wire === null)
          return reply.code(404).send({
            error: "subnet-not-mapped",
            message: `no address map of ${id}: the cluster does not use it, or it is not an IPv4 /16 to /28`,
          });
        last = { seq: topology.seq, id, json: JSON.stringify(wire) };
      }
      reply.header("cache-control", "no-store").type("application/json; charset=utf-8");
      return last.json;
    },
  );
}
