// Probes and metrics: /livez (the process answers), /readyz (both halves have answered once), /metrics.
import type { FastifyInstance } from "fastify";
import { type AuthTokens, carriesToken } from "../auth.ts";
import { metricsRegistry } from "../metrics/registry.ts";
import type { TopologyFeed } from "../topologyFeed.ts";
import type { BuildInfo } from "../version.ts";
import type { SharedCompression } from "./sharedCompression.ts";

export function healthRoutes(
  app: FastifyInstance,
  feed: TopologyFeed,
  compression?: SharedCompression,
  build?: Promise<BuildInfo>,
  authToken?: AuthTokens,
): void {
  app.get("/livez", () => ({ status: "ok" }));

  // Open to the kubelet, which carries no token: with a token set, a request without it learns ready or
  // not and nothing else (the sources' errors name endpoints, resources and IAM actions).
  app.get("/readyz", (request, reply) => {
    const detail = authToken === undefined || carriesToken(request, authToken);
    const ready = feed.isReady();
    if (!detail) return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not-ready" });
    const sources = feed.topology().sources;
    if (ready) return { status: "ready", sources };
    const loading = feed.loading();
    return reply.code(503).send({
      status: "not-ready",
      message: loading
        ? `still reading the cluster: ${loading.message}`
        : "waiting for every source to answer once",
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
