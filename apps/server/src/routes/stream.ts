// GET /api/stream: server-sent events. Until the server has read the cluster once, only `loading` events
// (its progress, model LoadingState). Then a snapshot (or, on resume with Last-Event-ID, the deltas
// missed), a `ready` event, then every delta as the feed publishes it: each frame is serialised once by the feed and
// written to every viewer. The response bypasses Fastify's reply pipeline and its compression (hijack):
// a browser that accepts gzip gets a gzip stream flushed after every event, so nothing waits in a
// compressor and a big cluster's snapshot travels at about a seventh of its size. With ?encoding=compact
// the snapshot is the compact form of model `wire.ts` (what the dashboard asks for: a fifth of the size
// again); deltas and history points are the same in both.
import { constants, createGzip } from "node:zlib";
import { serverAnswer } from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import { tokenLabel } from "../auth.ts";
import { OverviewFeed } from "../overviewFeed.ts";
import { type FeedEvent, sseFrame, type TopologyFeed } from "../topologyFeed.ts";
import {
  beginOverview,
  OVERVIEW_FROM_NODES,
  type OverviewStream,
  overviewNodeRoutes,
} from "./overviewStream.ts";
import { defaultPieceChars, pieces } from "./pieces.ts";
import { type Viewer, type ViewerLimits, ViewerSlots } from "./viewerSlots.ts";

export interface StreamOptions {
  heartbeatMs: number;
  /** Streams in all and per address, and when a stuck one is dropped (viewerSlots.ts). */
  viewers?: Partial<ViewerLimits>;
  /** How often stuck streams are looked for. */
  sweepMs?: number;
  /** A viewer this far behind (bytes not yet taken by its socket) is dropped; it reconnects and resumes. */
  maxBufferedBytes: number;
  /** Frames reach the socket in pieces of at most this many characters (pieces.ts, 1 MiB by default). */
  pieceChars?: number;
  /** `view=auto` sends the overview from this many nodes on, the whole snapshot below (overviewStream.ts). */
  overviewFromNodes?: number;
}

const streamQuery = {
  type: "object",
  properties: {
    lastEventId: { type: "integer", minimum: 0 },
    encoding: { type: "string", enum: ["json", "compact"] },
    view: { type: "string", enum: ["whole", "overview", "auto"] },
  },
  additionalProperties: false,
} as const;

export function streamRoutes(app: FastifyInstance, feed: TopologyFeed, options: StreamOptions): void {
  // Open streams end when the server stops, so Ctrl-C is not held up by viewers (they reconnect later).
  // Each is a viewer, whether it gets deltas already or still waits for the first complete picture.
  const open = new Set<() => void>();
  const slots = new ViewerSlots(options.viewers);
  const sweeper = setInterval(() => slots.sweep(), options.sweepMs ?? 5_000);
  sweeper.unref();
  app.addHook("preClose", async () => {
    clearInterval(sweeper);
    for (const end of [...open]) end();
  });

  const overview = new OverviewFeed(feed);
  /** Overview streams by id: POST /api/stream/:id/nodes sets the nodes each has in view. */
  const overviewStreams = new Map<string, OverviewStream>();
  overviewNodeRoutes(app, overviewStreams);

  app.get<{
    Querystring: {
      lastEventId?: number;
      encoding?: "json" | "compact";
      view?: "whole" | "overview" | "auto";
    };
  }>("/api/stream", { schema: { querystring: streamQuery } }, (request, reply) => {
    const header = request.headers["last-event-id"];
    let lastId: number | null = request.query.lastEventId ?? null;
    if (typeof header === "string" && header !== "") {
      if (!/^\d{1,15}$/.test(header)) {
        return reply.code(400).send({
          error: "bad-request",
          ...serverAnswer("stream.badLastEventId", { got: header.slice(0, 40) }),
        });
      }
      lastId = Number(header);
    }
    // HEAD (an uptime probe) learns the stream is there without holding a viewer's place.
    if (request.method === "HEAD") return reply.code(200).type("text/event-stream; charset=utf-8").send();
    const address = request.ip;
    const token = tokenLabel(request);
    const admission = slots.admit(address, token);
    if (!admission.ok) {
      request.log.warn({ address, token, error: admission.error }, `stream refused: ${admission.reason}`);
      // EventSource cannot read an error answer's body, so a page is told why in an event it can read,
      // then the stream ends and it retries after `retry`; a script gets the status and the JSON.
      if (String(request.headers.accept ?? "").includes("text/event-stream")) {
        return reply
          .code(200)
          .type("text/event-stream; charset=utf-8")
          .header("cache-control", "no-cache, no-transform")
          .send(
            `retry: 30000\n\n${sseFrame("refused", JSON.stringify({ error: admission.error, reason: admission.reason, ...admission.message }))}`,
          );
      }
      return (
        reply
          .code(admission.status)
          .header("retry-after", "30")
          // The key and values beside the English: a page says it in its language, a script matches the key.
          .send({ error: admission.error, message: admission.reason, ...admission.message })
      );
    }

    reply.hijack();
    const res = reply.raw;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (typeof v === "string") headers[k] = v;
    const gzip = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))
      ? // Fast level, chunks of a piece's size: a 60 MB snapshot takes a few hundred trips through the
        // event loop, not thousands (each waits behind topology builds on a busy cluster), and 200
        // viewers' compressors do not hold a megabyte of output each.
        createGzip({ level: 1, chunkSize: 1 << 18 })
      : null;
    res.writeHead(200, {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
      vary: "accept-encoding",
      ...(gzip ? { "content-encoding": "gzip" } : {}),
    });
    res.socket?.setNoDelay(true);
    if (gzip) {
      gzip.pipe(res);
      gzip.on("error", () => res.destroy());
    }

    let closed = false;
    /** When the sink last refused more (write returned false) and has not drained since. */
    let stuckSince: number | null = null;
    /** The last text written ended a frame: another frame may go straight to the sink. */
    let atBoundary = true;
    // Frames wait here and go to the socket (or the compressor) in pieces of at most `piece`
    // characters, the next once the last is taken. A snapshot of a big cluster is tens of megabytes:
    // written at once, it would be copied whole into the socket's or the compressor's buffer and sit
    // there beside the string it came from, once per viewer that connects. A plain JSON snapshot waits
    // here as the generator of its pieces, each serialised only when the socket is ready for it.
    const piece = options.pieceChars ?? defaultPieceChars;
    const queue: (string | Iterator<string>)[] = [];
    let queued = 0;
    let waiting = false;
    const sink = gzip ?? res;
    const pump = () => {
      waiting = false;
      stuckSince = null;
      while (queue.length > 0 && !closed) {
        const head = queue[0]!;
        let text: string;
        if (typeof head === "string") {
          queue.shift();
          queued -= head.length;
          text = head;
        } else {
          const next = head.next();
          if (next.done) {
            queue.shift();
            continue;
          }
          text = next.value;
        }
        const more = sink.write(text);
        atBoundary = text.endsWith("\n\n");
        // Flushed when the frame is out, so an event never waits in the compressor for the next one.
        if (gzip && text.endsWith("\n\n")) gzip.flush(constants.Z_SYNC_FLUSH);
        if (!more) {
          waiting = true;
          stuckSince = Date.now();
          sink.once("drain", pump);
          return;
        }
      }
    };
    // The first frames (a snapshot of a big cluster is tens of megabytes) may sit in the socket's buffer
    // for a while; only a backlog beyond them means the viewer cannot keep up.
    let allowance = options.maxBufferedBytes;
    const write = (...parts: (string | Iterator<string>)[]) => {
      if (closed) return;
      if (queued + res.writableLength + (gzip?.writableLength ?? 0) > allowance) {
        close();
        res.destroy();
        return;
      }
      for (const part of parts) {
        if (typeof part !== "string") {
          queue.push(part);
          continue;
        }
        for (const text of pieces(part, piece)) {
          queue.push(text);
          queued += text.length;
        }
      }
      if (!waiting) pump();
    };

    // The browser reconnects after this long when the stream drops.
    write("retry: 2000\n\n");
    let unsubscribe = () => {};
    let unsubscribeFeed = () => {};
    // The picture as of now (the deltas missed, or a snapshot), then every change; `ready` tells the
    // page it is current, so it shows "live" only from then on.
    const begin = () => {
      if (closed) return;
      const view = request.query.view;
      // Decided when the picture is first sent, so a page reconnecting to a cluster that crossed the
      // line gets the other kind (its first event says which).
      if (
        view === "overview" ||
        (view === "auto" &&
          feed.topology().nodes.length >= (options.overviewFromNodes ?? OVERVIEW_FROM_NODES))
      ) {
        unsubscribe = beginOverview(
          overview,
          overviewStreams,
          address,
          request.query.encoding === "compact",
          (frame) => {
            allowance += frame.length;
            write(frame);
          },
          write,
        );
        unsubscribeFeed = feed.subscribe((event: FeedEvent) => {
          if (event.kind === "history") write(event.frame);
        });
        return;
      }
      const missed = lastId === null ? null : feed.deltasSince(lastId);
      if (missed) {
        for (const frame of missed) {
          allowance += frame.length;
          write(frame);
        }
      } else {
        // The frame of sseFrame() in three parts, so the snapshot is not copied into one more string.
        const head = `id: ${feed.topology().seq}\nevent: snapshot\ndata: `;
        if (request.query.encoding === "compact") {
          const data = feed.topologyCompactJson();
          allowance += head.length + data.length + 2;
          write(head, data, "\n\n");
        } else {
          // Only the piece being written is outside the queue's count: up to 3 bytes a character.
          allowance += head.length + 3 * piece + 2;
          write(head, feed.topologyJsonPieces(piece), "\n\n");
        }
      }
      write(sseFrame("ready", JSON.stringify({ seq: feed.topology().seq })));
      unsubscribe = feed.subscribe((event: FeedEvent) => write(event.frame));
    };
    // Until the server has read everything once, the stream says how far it got and sends no picture:
    // a page that reconnects to a restarted server keeps its last one meanwhile (no false empty).
    let stopLoading = () => {};
    const loading = feed.loading();
    if (loading === null) begin();
    else {
      write(sseFrame("loading", JSON.stringify(loading)));
      stopLoading = feed.watchLoading((state) => {
        if (state) write(sseFrame("loading", JSON.stringify(state)));
        else begin();
      });
    }
    const heartbeat = setInterval(() => write(": heartbeat\n\n"), options.heartbeatMs);
    heartbeat.unref();
    const close = () => {
      if (closed) return;
      closed = true;
      queue.length = 0;
      queued = 0;
      clearInterval(heartbeat);
      stopLoading();
      unsubscribe();
      unsubscribeFeed();
    };
    const end = () => {
      close();
      if (gzip) gzip.end();
      else res.end();
    };
    open.add(end);
    const viewer: Viewer = {
      address,
      token,
      stuckSince: () => stuckSince,
      drop: ({ text, key, values }) => {
        request.log.warn({ address }, `stream dropped: ${text}`);
        // Written past the queue: a reader that is merely slow gets it before the end.
        if (!closed && atBoundary)
          sink.write(sseFrame("dropped", JSON.stringify({ reason: text, key, values })));
        end();
        // A reader that takes nothing would hold the socket open for good.
        setTimeout(() => res.destroy(), 1000).unref();
      },
    };
    slots.add(viewer);
    res.on("close", () => {
      open.delete(end);
      slots.remove(viewer);
      close();
      gzip?.destroy();
    });
    res.on("error", close);
    return reply;
  });
}
