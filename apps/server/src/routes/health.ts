// Probes and metrics: /livez (the process answers), /readyz (both halves have answered once), /metrics.
import type { FastifyInstance } from "fastify";
import { metricsRegistry } from "../metrics/registry.ts";
import type { TopologyFeed } from "../topologyFeed.ts";
import type { BuildInfo } from "../version.ts";
import type { SharedCompression } from "./sharedCompression.ts";

export function healthRoutes(
  app: FastifyInstance,
  feed: TopologyFeed,
  compression?: SharedCompression,
  build?: Promise<BuildInfo>,
): void {
  app.get("/livez", () => ({ status: "ok" }));

  app.get("/readyz", (_request, reply) => {
    const sources = feed.topology().sources;
    if (feed.isReady()) return { status: "ready", sources };
    return reply.code(503).send({
      status: "not-ready",
      message: "waiting for every source to answer once",
      sources,
    });
  });

  const metrics = metricsRegistry(feed, compression, build);
  app.get("/metrics", async (_request, reply) =>
    reply
      .type(metrics.contentType)
      .header("cache-control", "no-cache")
      .send(await metrics.metrics()),
  );
}
