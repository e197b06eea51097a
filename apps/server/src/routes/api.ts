// GET /api/topology and GET /api/history: the current view and the totals time series.
import type { FastifyInstance } from "fastify";
import type { TopologyFeed } from "../topologyFeed.ts";
import { replyNotReadYet } from "./notReadYet.ts";
import { defaultPieceChars, pieceStream, pieces } from "./pieces.ts";
import { pickEncoding, SharedCompression, type SharedEncoding } from "./sharedCompression.ts";

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

export function apiRoutes(
  app: FastifyInstance,
  feed: TopologyFeed,
  pieceChars = defaultPieceChars,
): SharedCompression {
  const compressed = new SharedCompression();
  // ?encoding=compact: the compact form of model wire.ts (what the dashboard reads); plain JSON otherwise.
  app.get<{ Querystring: { encoding?: "json" | "compact" } }>(
    "/api/topology",
    { schema: { querystring: topologyQuery } },
    (request, reply) => {
      const loading = feed.loading();
      if (loading) return replyNotReadYet(reply, loading);
      const compact = request.query.encoding === "compact";
      const seq = feed.topology().seq;
      const etagOf = (n: number) => `"seq-${n}${compact ? "-compact" : ""}"`;
      reply.header("cache-control", "no-cache").header("etag", etagOf(seq));
      if (request.headers["if-none-match"] === etagOf(seq)) return reply.code(304).send();
      reply.type("application/json; charset=utf-8");
      const encoding = pickEncoding(request.headers["accept-encoding"]);
      const form = compact ? "compact" : "json";
      // One compression per form and encoding for every request that wants it (sharedCompression.ts), and
      // one serialisation of the plain JSON for every uncompressed request at once.
      const sharedBody = (as: SharedEncoding) => {
        const shared = compressed.get(form, as, seq, () =>
          compact ? pieces(feed.topologyCompactJson(), pieceChars) : feed.topologyJsonPieces(pieceChars),
        );
        reply.raw.once("close", () => compressed.release(form, as, shared));
        return shared.body.then((body) => {
          reply.header("etag", etagOf(shared.seq)).header("vary", "accept-encoding");
          if (as !== "identity") reply.header("content-encoding", as);
          return reply.header("content-length", body.length).send(body);
        });
      };
      if (encoding) return sharedBody(encoding);
      if (!compact) {
        // A topology that fits in one piece goes as one string; a bigger one is serialised once, piece by
        // piece, into bytes that every request at that moment is sent and that are let go after.
        const json = feed.topologyJsonPieces(pieceChars);
        const first = json.next();
        const second = first.done ? first : json.next();
        if (second.done) return reply.send(first.done ? "" : first.value);
        return sharedBody("identity");
      }
      // The compact text is kept per seq; a big one is read out piece by piece too: sent as one string,
      // the response or its compressor copies it whole, per request.
      const body = feed.topologyCompactJson();
      if (body.length <= pieceChars) return reply.send(body);
      return reply.send(pieceStream(body, pieceChars));
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
  return compressed;
}
