// GET /internal/ec2: what the leading replica read from EC2, for the other replicas (ha/sharedEc2.ts).
// Only replicas call it: it needs the peer token (a Secret the replicas share, never the viewers'
// token), and it is not under /api/ so a dashboard token does not open it. ETag/If-None-Match make a
// follower's poll a 304 while nothing changed.

import type { SourceStatus } from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import { tokensEqual } from "../auth.ts";

/** The leader's EC2 health on every answer (URI-encoded JSON), so a 304 tells a follower it is fresh. */
export const PEER_STATUS_HEADER = "x-eni-view-ec2-status";

export interface PeerAccess {
  token: string;
  /** While this replica leads and has read EC2: the part as JSON and its ETag (it changes only when the
   * ENIs do), and the poller's health as of now (fresh on every answer, a 304 included). Else null. */
  ec2(): { json: string; etag: string; status: SourceStatus } | null;
}

export function peerRoutes(app: FastifyInstance, access: PeerAccess): void {
  app.get("/internal/ec2", (request, reply) => {
    const header = String(request.headers.authorization ?? "");
    const given = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!tokensEqual(given, access.token)) {
      return reply.code(401).send({ error: "unauthorized", message: "the peer token is missing or wrong" });
    }
    const offer = access.ec2();
    if (offer === null) {
      return reply.code(503).send({
        error: "not-leading",
        message: "this replica does not hold the Lease or has not read EC2 yet",
      });
    }
    reply.header(PEER_STATUS_HEADER, encodeURIComponent(JSON.stringify(offer.status)));
    if (request.headers["if-none-match"] === offer.etag) return reply.code(304).send();
    return reply
      .header("etag", offer.etag)
      .header("cache-control", "no-store")
      .type("application/json")
      .send(offer.json);
  });
}
