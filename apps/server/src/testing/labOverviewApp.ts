// The app on the scale lab's capture (3 nodes) with the overview's line at 3 nodes, so the stream's
// view=auto sends it the overview: for tests of what a page on the overview asks the server.
import type { Topology } from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.ts";
import { DumpSource } from "../sources/dumpSource.ts";
import { TopologyFeed } from "../topologyFeed.ts";

const lab = new URL("../fixtures/lab-2-replicas", import.meta.url).pathname;

export interface LabOverviewApp {
  feed: TopologyFeed;
  app: FastifyInstance;
  /** The lab's whole topology, as the feed holds it. */
  whole: Topology;
  close(): Promise<void>;
}

export async function labOverviewApp(): Promise<LabOverviewApp> {
  const feed = new TopologyFeed(new DumpSource(lab));
  await feed.start();
  const app = await buildApp({ feed, webDist: null, overviewFromNodes: 3 });
  return {
    feed,
    app,
    whole: feed.topology(),
    async close() {
      await app.close();
      await feed.stop();
    },
  };
}
