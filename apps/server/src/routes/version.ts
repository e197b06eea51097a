// GET /api/version: what the page's footer shows, the version and the commit (`eni-view --version` also
// names the Node.js and platform; the page does not draw them, so they are not sent).
import type { FastifyInstance } from "fastify";
import type { BuildInfo } from "../version.ts";

export function versionRoute(app: FastifyInstance, build: Promise<BuildInfo>): void {
  app.get("/api/version", async () => {
    const { version, commit } = await build;
    return { version, commit };
  });
}
