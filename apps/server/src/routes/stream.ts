// GET /api/stream: server-sent events. A snapshot first (or, on resume with Last-Event-ID, the deltas
// missed), then every delta as the feed publishes it: each frame is serialised once by the feed and
// written to every viewer. The response bypasses compression and Fastify's reply pipeline (hijack), so
// nothing buffers an event.
import type { FastifyInstance } from "fastify";
import { type FeedEvent, sseFrame, type TopologyFeed } from "../topologyFeed.ts";

export interface StreamOptions {
  heartbeatMs: number;
  maxViewers: number;
  /** A viewer this far behind (bytes not yet taken by its socket) is dropped; it reconnects and resumes. */
  maxBufferedBytes: number;
}

const streamQuery = {
  type: "object",
  properties: { lastEventId: { type: "integer", minimum: 0 } },
  additionalProperties: false,
} as const;

export function streamRoutes(app: FastifyInstance, feed: TopologyFeed, options: StreamOptions): void {
  app.get<{ Querystring: { lastEventId?: number } }>(
    "/api/stream",
    { schema: { querystring: streamQuery } },
    (request, reply) => {
      const header = request.headers["last-event-id"];
      let lastId: number | null = request.query.lastEventId ?? null;
      if (typeof header === "string" && header !== "") {
        if (!/^\d{1,15}$/.test(header)) {
          return reply.code(400).send({
            error: "bad-request",
            message: `Last-Event-ID must be the id of an event this server sent (a number), got "${header.slice(0, 40)}"`,
          });
        }
        lastId = Number(header);
      }
      if (feed.viewers >= options.maxViewers) {
        return reply
          .code(503)
          .header("retry-after", "10")
          .send({
            error: "too-many-viewers",
            message: `at most ${options.maxViewers} viewers at once; retry later`,
          });
      }

      reply.hijack();
      const res = reply.raw;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(reply.getHeaders())) if (typeof v === "string") headers[k] = v;
      res.writeHead(200, {
        ...headers,
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      res.socket?.setNoDelay(true);

      let closed = false;
      // The first frames (a snapshot of a big cluster is tens of megabytes) may sit in the socket's buffer
      // for a while; only a backlog beyond them means the viewer cannot keep up.
      let allowance = options.maxBufferedBytes;
      const write = (frame: string) => {
        if (closed) return;
        if (res.writableLength > allowance) {
          close();
          res.destroy();
          return;
        }
        res.write(frame);
      };

      // The browser reconnects after this long when the stream drops.
      write("retry: 2000\n\n");
      const missed = lastId === null ? null : feed.deltasSince(lastId);
      const first = missed ?? [sseFrame("snapshot", feed.topologyJson(), feed.topology().seq)];
      for (const frame of first) {
        allowance += frame.length;
        write(frame);
      }

      const unsubscribe = feed.subscribe((event: FeedEvent) => write(event.frame));
      const heartbeat = setInterval(() => write(": heartbeat\n\n"), options.heartbeatMs);
      heartbeat.unref();
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
      };
      res.on("close", close);
      res.on("error", close);
      return reply;
    },
  );
}
