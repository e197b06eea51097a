// The app over real HTTP on 127.0.0.1 for a source, as stream tests need it: the feed started, the app
// listening on a free port, and one call that stops both.
import type { FastifyInstance } from "fastify";
import { type AppOptions, buildApp } from "../app.ts";
import type { Source } from "../sources/source.ts";
import { type FeedOptions, TopologyFeed } from "../topologyFeed.ts";

export interface ServedFeed {
  feed: TopologyFeed;
  app: FastifyInstance;
  base: string;
  stop(): Promise<void>;
}

export async function serveFeed(
  source: Source,
  feedOptions: FeedOptions,
  appOptions: Partial<AppOptions> = {},
): Promise<ServedFeed> {
  const feed = new TopologyFeed(source, feedOptions);
  await feed.start();
  const app = await buildApp({ feed, webDist: null, heartbeatMs: 50, ...appOptions });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    feed,
    app,
    base,
    stop: async () => {
      await app.close();
      await feed.stop();
    },
  };
}
