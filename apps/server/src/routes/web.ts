// The dashboard: apps/web/dist served as static files with a fallback to index.html for the
// single-page app's own routes. Without a build, a plain page says how to make one.
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export const notBuiltPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>eni-view: dashboard not built</title></head>
<body>
<h1>The eni-view dashboard has not been built</h1>
<p>The server is running, but the web app's files (apps/web/dist) are missing.
Build them from the repository root with:</p>
<pre>npm run build</pre>
<p>then reload this page. The data is already served: <a href="/api/topology">/api/topology</a>,
<a href="/api/stream">/api/stream</a>, <a href="/api/history">/api/history</a>, <a href="/metrics">/metrics</a>.</p>
</body>
</html>
`;

/** Registers static serving; returns the handler for GETs no route matched (index.html or the notice). */
export async function webRoutes(
  app: FastifyInstance,
  webDist: string | null,
): Promise<(request: FastifyRequest, reply: FastifyReply) => FastifyReply> {
  const built = webDist !== null && existsSync(join(webDist, "index.html"));
  if (built) {
    await app.register(fastifyStatic, { root: webDist, prefix: "/", wildcard: false, index: ["index.html"] });
    return (_request, reply) => reply.header("cache-control", "no-cache").sendFile("index.html");
  }
  return (_request, reply) => reply.code(200).type("text/html; charset=utf-8").send(notBuiltPage);
}
