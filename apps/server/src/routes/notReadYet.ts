// The answer of a data route while the server is still reading the cluster: a half-read cluster is never
// served as if it were the cluster, so 503 with the progress (the page words it from `loading`'s steps).
import type { LoadingState } from "@eni-view/model";
import type { FastifyReply } from "fastify";

export function replyNotReadYet(reply: FastifyReply, loading: LoadingState): FastifyReply {
  return reply
    .code(503)
    .header("retry-after", "2")
    .header("cache-control", "no-store")
    .send({
      error: "loading",
      message: `the server is still reading the cluster: ${loading.message}`,
      loading,
    });
}
