// GET /api/topology and GET /api/history: the current view and the totals time series.
import type { FastifyInstance } from "fastify";
import type { TopologyFeed } from "../topologyFeed.ts";

const topologyQuery = {
  type: "object",
  properties: { encoding: { type: "string", enum: ["json", "compact"] } },
  additionalProperties: false,
} as const;

const historyQuery = {
  type: "object",
  properties: {
    minutes: { type: "integer", minimum: 1, maximum: 360 },
  },
  additionalProperties: false,
} as const;

export function apiRoutes(app: FastifyInstance, feed: TopologyFeed): void {
  // ?encoding=compact: the compact form of model wire.ts (what the dashboard reads); plain JSON otherwise.
  app.get<{ Querystring: { encoding?: "json" | "compact" } }>(
    "/api/topology",
    { schema: { querystring: topologyQuery } },
    (request, reply) => {
      const compact = request.query.encoding === "compact";
      const etag = `"seq-${feed.topology().seq}${compact ? "-compact" : ""}"`;
      reply.header("cache-control", "no-cache").header("etag", etag);
      if (request.headers["if-none-match"] === etag) return reply.code(304).send();
      return reply
        .type("application/json; charset=utf-8")
        .send(compact ? feed.topologyCompactJson() : feed.topologyJson());
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
