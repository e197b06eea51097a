// GET /api/topology and GET /api/history: the current view and the totals time series.
import type { FastifyInstance } from "fastify";
import type { TopologyFeed } from "../topologyFeed.ts";

const historyQuery = {
  type: "object",
  properties: {
    minutes: { type: "integer", minimum: 1, maximum: 360 },
  },
  additionalProperties: false,
} as const;

export function apiRoutes(app: FastifyInstance, feed: TopologyFeed): void {
  app.get(
    "/api/topology",
    { schema: { querystring: { type: "object", additionalProperties: false } } },
    (request, reply) => {
      const etag = `"seq-${feed.topology().seq}"`;
      reply.header("cache-control", "no-cache").header("etag", etag);
      if (request.headers["if-none-match"] === etag) return reply.code(304).send();
      return reply.type("application/json; charset=utf-8").send(feed.topologyJson());
    },
  );

  app.get<{ Querystring: { minutes?: number } }>(
    "/api/history",
    { schema: { querystring: historyQuery } },
    (request, reply) => {
      const minutes = request.query.minutes ?? 360;
      const points = feed.historyPoints(Date.now() - minutes * 60_000);
      reply.header("cache-control", "no-cache");
      return { minutes, points };
    },
  );
}
