// The HTTP app as a Fastify instance built from a feed: tests build it and call `inject()`, `serve`
// builds it and listens. Everything here is read-only: GET and HEAD only, nothing is ever written
// towards the cluster or AWS. The exceptions write only to eni-view's own snapshot file: POST
// /api/snapshots ("Freeze", routes/snapshots.ts) and starting, stopping and deleting recordings
// (routes/recordings.ts); routesReadOnly.test.ts keeps them the only ones. A plan (GET /api/plan) is
// computed from what the server holds and written nowhere.
import compress from "@fastify/compress";
import Fastify, { type FastifyError, type FastifyInstance, LogController } from "fastify";
import { type AuthTokens, registerAuth, tokenList } from "./auth.ts";
import { Planner, type PlannerOptions } from "./plan/planner.ts";
import { apiRoutes } from "./routes/api.ts";
import { healthRoutes } from "./routes/health.ts";
import { type LabSimulator, labRoute } from "./routes/lab.ts";
import { type PeerAccess, peerRoutes } from "./routes/peer.ts";
import { planRoutes } from "./routes/plan.ts";
import { type RecordingAccess, recordingRoutes } from "./routes/recordings.ts";
import { searchRoutes } from "./routes/search.ts";
import { snapshotRoutes } from "./routes/snapshots.ts";
import { streamRoutes } from "./routes/stream.ts";
import { subnetAddressRoutes } from "./routes/subnetAddresses.ts";
import { versionRoute } from "./routes/version.ts";
import type { ViewerLimits } from "./routes/viewerSlots.ts";
import { webRoutes } from "./routes/web.ts";
import { securityHeaders } from "./security.ts";
import type { SnapshotStore } from "./snapshots/store.ts";
import type { TopologyFeed } from "./topologyFeed.ts";
import { type BuildInfo, buildInfo } from "./version.ts";

export interface AppOptions {
  feed: TopologyFeed;
  /** What /metrics (eniview_build_info) and /api/version report; read from the package or git when absent. */
  build?: Promise<BuildInfo>;
  /** apps/web/dist, or null for no dashboard files (a notice page is served instead). */
  webDist: string | null;
  /** CSP frame-ancestors sources; "'none'" by default. */
  frameAncestors?: string;
  heartbeatMs?: number;
  /** The stream's `view=auto` sends the overview from this many nodes on (routes/overviewStream.ts). */
  overviewFromNodes?: number;
  maxViewers?: number;
  /** Streams per client address and when stuck streams are dropped (routes/viewerSlots.ts). */
  viewerLimits?: Partial<Omit<ViewerLimits, "max">>;
  /** How often stuck streams are looked for (tests make it short). */
  viewerSweepMs?: number;
  /** A viewer further behind than this (beyond its first snapshot) is dropped; it reconnects and resumes. */
  maxBufferedBytes?: number;
  /** Stream frames and big topologies are written in pieces of at most this many characters (tests make
   * them small). */
  streamPieceChars?: number;
  /** Log JSON lines (pino) at this level; no log without it (tests). */
  logLevel?: LogLevel;
  /** Where the log goes (standard error by default; tests read it). */
  logStream?: NodeJS.WritableStream;
  /** Connection timeouts (tests make them short); see httpTimeouts. */
  timeouts?: Partial<HttpTimeouts>;
  /** When set, /api/* and /metrics need this token (see auth.ts). */
  authToken?: AuthTokens;
  /** Where "Freeze" stores snapshots; without it there is no /api/snapshots. */
  snapshots?: SnapshotStore | null;
  /** Records the topology over time (recording/); without it there is no /api/recordings. */
  recorder?: RecordingAccess | null;
  /** The simulator the source runs, for lab mode (GET /api/lab); null or absent on a real cluster. */
  simulator?: () => LabSimulator | null;
  /** Origins the page may fetch from besides this server (the simulator's admin endpoint). */
  connectSources?: readonly string[];
  /** Replicas sharing one EC2 poller (--leader-elect): the leader serves /internal/ec2 to the others. */
  peer?: PeerAccess | null;
  /** The planner behind GET /api/plan (plan/); false for none. Its thread starts with the first plan. */
  plan?: PlannerOptions | false;
}

const maxUrlLength = 2048;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function pathOf(url: string): string {
  return (url.split("?")[0] ?? "/").slice(0, 300);
}

export interface HttpTimeouts {
  /** A request's headers must be in within this (slowloris: a request that never ends its headers). */
  headersMs: number;
  /** The whole request (headers and body; never the response, so a stream lives on) within this. */
  requestMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveMs: number;
  /** How often Node looks for connections past those limits. */
  checkMs: number;
}

/** Node's own defaults are off (requestTimeout 0 turns headersTimeout off too): 2,000 requests that never
 * finish their headers stayed open for good and used up the file descriptors /livez needs. */
export const httpTimeouts: HttpTimeouts = {
  headersMs: 10_000,
  requestMs: 15_000,
  keepAliveMs: 5_000,
  checkMs: 1_000,
};

/** "query parameter minutes must be <= 360", "unknown query parameter \"limit\"": what a person can act on. */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  const where =
    error.validationContext === "querystring" ? "query parameter" : (error.validationContext ?? "request");
  if (first?.keyword === "additionalProperties") {
    const name = String((first.params as { additionalProperty?: unknown }).additionalProperty ?? "");
    return `unknown ${where} "${name.slice(0, 40)}"`;
  }
  const field = (first?.instancePath ?? "").replace(/^\//, "");
  return field ? `${where} ${field} ${first?.message ?? "is not valid"}` : error.message;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const timeouts = { ...httpTimeouts, ...options.timeouts };
  const app = Fastify({
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkMs },
    logger: options.logLevel
      ? {
          level: options.logLevel,
          stream: options.logStream ?? process.stderr,
          // A request is named by its path only: the token may be in the query (?token=), and so may be
          // whatever a client typed.
          serializers: {
            req: (req: { method: string; url: string; ip?: string }) => ({
              method: req.method,
              path: pathOf(req.url),
              remoteAddress: req.ip,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        }
      : false,
    // One summary line per request instead (onResponse below).
    logController: new LogController({ disableRequestLogging: true }),
    // Nothing accepts a body; a small limit keeps a client from making the server read megabytes.
    bodyLimit: 1024,
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
  });
  const headers = securityHeaders({
    frameAncestors: options.frameAncestors,
    connectSources: options.connectSources,
  });

  app.addHook("onRequest", async (request, reply) => {
    reply.headers(headers);
    if (request.url.length > maxUrlLength) {
      return reply
        .code(414)
        .send({ error: "uri-too-long", message: `request URLs are limited to ${maxUrlLength} characters` });
    }
    return undefined;
  });
  if (options.authToken) registerAuth(app, options.authToken);
  // Probes come every few seconds: their lines only at debug.
  app.addHook("onResponse", async (request, reply) => {
    const path = pathOf(request.url);
    const line = {
      method: request.method,
      path,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (path === "/livez" || path === "/readyz") request.log.debug(line, "request");
    else request.log.info(line, "request");
  });

  await app.register(compress, { global: true, threshold: 1024, encodings: ["br", "gzip", "deflate"] });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      return reply.code(400).send({ error: "bad-request", message: validationMessage(error) });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      // The answer stays generic (no internals to a client); the log has the cause.
      request.log.error(
        { err: error, method: request.method, path: pathOf(request.url) },
        `${status} on ${pathOf(request.url)}: ${error.message}`,
      );
      return reply.code(status).send({ error: "internal", message: "internal server error" });
    }
    return reply.code(status).send({ error: error.code ?? "bad-request", message: error.message });
  });

  const { feed } = options;
  const compression = apiRoutes(app, feed, options.streamPieceChars);
  searchRoutes(app, feed);
  subnetAddressRoutes(app, feed);
  streamRoutes(app, feed, {
    heartbeatMs: options.heartbeatMs ?? 15_000,
    viewers: {
      // With one token every viewer shares it: the per-token cap is then the server's own.
      ...(tokenList(options.authToken ?? []).length < 2 ? { perToken: Number.POSITIVE_INFINITY } : {}),
      ...options.viewerLimits,
      ...(options.maxViewers ? { max: options.maxViewers } : {}),
    },
    sweepMs: options.viewerSweepMs,
    maxBufferedBytes: options.maxBufferedBytes ?? 32 * 1024 * 1024,
    pieceChars: options.streamPieceChars,
    overviewFromNodes: options.overviewFromNodes,
  });
  const build = options.build ?? buildInfo();
  healthRoutes(app, feed, compression, build, options.authToken);
  versionRoute(app, build);
  labRoute(app, options.simulator ?? (() => null));
  const planner = options.plan === false ? null : new Planner(feed, options.plan);
  if (planner) {
    planRoutes(app, planner);
    app.addHook("onClose", () => planner.close());
  }
  if (options.snapshots) snapshotRoutes(app, feed, options.snapshots, planner);
  if (options.recorder) recordingRoutes(app, options.recorder);
  if (options.peer) peerRoutes(app, options.peer);
  const page = await webRoutes(app, options.webDist);

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const isApi = path.startsWith("/api/") || ["/livez", "/readyz", "/metrics"].includes(path);
    if (request.method !== "GET" && request.method !== "HEAD") {
      if (!isApi || app.hasRoute({ method: "GET", url: path })) {
        return reply
          .code(405)
          .header("allow", "GET, HEAD")
          .send({
            error: "method-not-allowed",
            message: `${request.method} is not allowed: eni-view is read-only (GET, HEAD)`,
          });
      }
    }
    if (isApi)
      return reply.code(404).send({ error: "not-found", message: `no such endpoint ${path.slice(0, 200)}` });
    const wantsHtml =
      (request.headers.accept ?? "*/*").includes("text/html") || request.headers.accept === undefined;
    if (path.includes(".") && !wantsHtml) {
      return reply.code(404).send({ error: "not-found", message: `no such file ${path.slice(0, 200)}` });
    }
    return page(request, reply);
  });

  return app;
}
