// /api/topology as `eni-view serve --dump DIR` answers it, built in-process (no port): for tests that hold the
// served topology against `eni-view report` on the same capture folder.
import type { Topology } from "@eni-view/model";
import { buildApp } from "../app.ts";
import { DumpSource } from "../sources/dumpSource.ts";
import { TopologyFeed } from "../topologyFeed.ts";

export async function servedTopology(dir: string): Promise<Topology> {
  const feed = new TopologyFeed(new DumpSource(dir));
  await feed.start();
  const app = await buildApp({ feed, webDist: null });
  try {
    return (await app.inject({ method: "GET", url: "/api/topology" })).json() as Topology;
  } finally {
    await app.close();
    await feed.stop();
  }
}
