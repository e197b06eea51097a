// POST /api/snapshots freezes the current view; GET /api/snapshots/:id returns it. The POST is the one
// route that writes anything, and it writes only to eni-view's own snapshot store: it takes no input
// (the body is ignored; what is stored is the server's own topology), so it cannot be used to plant
// content, and it never reaches the cluster or AWS. `?plan=<plan query>` freezes a plan with it: the
// server plans it again on the topology it freezes and stores its own answer, never one a client sent.
import { promisify } from "node:util";
import { gunzip as gunzipCb } from "node:zlib";
import { serverAnswer as said } from "@eni-view/model";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Planner } from "../plan/planner.ts";
import { isSnapshotId, SnapshotError, type SnapshotStore } from "../snapshots/store.ts";
import type { TopologyFeed } from "../topologyFeed.ts";
import { planQueryOf, sendPlanError } from "./plan.ts";

const gunzip = promisify(gunzipCb);

function notFound(reply: FastifyReply, id: string): FastifyReply {
  const shown = id.slice(0, 40);
  return reply
    .code(404)
    .header("cache-control", "no-store")
    .send({
      error: "snapshot-not-found",
      ...said(isSnapshotId(id) ? "snapshot.notFound" : "snapshot.badId", { id: shown }),
    });
}

/** An Origin header, when there is one, must name this server (its Host): browsers that send no
 * Sec-Fetch-Site (older ones, some embedded views) still send Origin on a cross-site POST. The scheme is
 * not compared, since a TLS proxy in front changes it; "null" (a sandboxed or file: page) is foreign. */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

export function snapshotRoutes(
  app: FastifyInstance,
  feed: TopologyFeed,
  store: SnapshotStore,
  planner: Planner | null = null,
): void {
  // The page at a permalink (/?snapshot=<id>) is the dashboard's index.html either way, and the page says
  // "not found or expired" by itself; for an unknown id the HTTP status says so too (404), so link
  // checkers, curl and crawlers see a dead link as dead.
  app.addHook("onSend", async (request, reply, payload) => {
    if (reply.statusCode !== 200 || (request.method !== "GET" && request.method !== "HEAD")) return payload;
    const route = request.routeOptions.url;
    if (route !== undefined && route !== "/" && route !== "/index.html") return payload;
    const id = (request.query as Record<string, unknown> | undefined)?.snapshot;
    if (typeof id !== "string") return payload;
    if (!String(reply.getHeader("content-type") ?? "").startsWith("text/html")) return payload;
    if (!store.readCompressed(id)) reply.code(404);
    return payload;
  });

  app.post("/api/snapshots", async (request, reply) => {
    // Another site's page must not make a visitor's browser press Freeze (the auth cookie is
    // SameSite=Strict already; this also covers a server without a token on 127.0.0.1).
    const site = request.headers["sec-fetch-site"];
    if (
      site === "cross-site" ||
      site === "same-site" ||
      !sameOrigin(request.headers.origin, request.headers.host)
    ) {
      return reply.code(403).send({ error: "forbidden", ...said("snapshot.forbidden") });
    }
    if (!feed.isReady()) {
      return reply
        .code(503)
        .header("retry-after", "5")
        .send({ error: "not-ready", ...said("snapshot.notReady") });
    }
    let planJson: string | undefined;
    if ((request.query as Record<string, unknown> | undefined)?.plan !== undefined) {
      if (!planner) return reply.code(404).send({ error: "not-found", ...said("snapshot.noPlanner") });
      try {
        planJson = (await planner.plan(request.ip, planQueryOf(request, "plan"))).json;
      } catch (err) {
        const sent = sendPlanError(reply, err, request.log);
        if (sent) return sent;
        throw err;
      }
    }
    try {
      // With a plan, the view frozen beside it is the one of the plan's answer (its basedOn names the
      // seq it planned on, which a busy cluster may have moved past by a change or two).
      const frozen = await store.create(feed.topology(), planJson);
      return reply
        .code(201)
        .header("cache-control", "no-store")
        .header("location", `/api/snapshots/${frozen.id}`)
        .send({ ...frozen, url: `/?snapshot=${frozen.id}` });
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      // The operator must hear of a full disk or budget: the page alone would not tell them.
      if (err.status === 507) request.log.error({ code: err.code }, `Freeze refused: ${err.message}`);
      if (err.retryAfterS !== null) reply.header("retry-after", String(err.retryAfterS));
      return reply.code(err.status).send({ error: err.code, message: err.message, ...err.said });
    }
  });

  app.get<{ Params: { id: string } }>(
    "/api/snapshots/:id",
    { schema: { querystring: { type: "object", additionalProperties: false } } },
    async (request, reply) => {
      const { id } = request.params;
      const gz = store.readCompressed(id);
      if (!gz) return notFound(reply, id);
      // A snapshot never changes, but it can expire, and the page may be behind a token: revalidate.
      reply.header("cache-control", "private, no-cache").header("etag", `"snap-${id}"`);
      if (request.headers["if-none-match"] === `"snap-${id}"`) return reply.code(304).send();
      reply.type("application/json; charset=utf-8");
      // Stored gzip-compressed: sent as is to a browser that takes gzip, unpacked for anything else.
      if (/\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))) {
        return reply.header("content-encoding", "gzip").header("vary", "accept-encoding").send(gz);
      }
      return reply.send((await gunzip(gz)).toString("utf8"));
    },
  );
}
