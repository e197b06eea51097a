import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Topology } from "@eni-view/model";
import { QueryClient } from "@tanstack/react-query";
import { watchLiveTopologies } from "./liveTopologies.ts";
import { queryKeys } from "./queries.ts";

const topology = (seq: number): Topology => ({ seq }) as unknown as Topology;

describe("the live topologies kept while a plan is asked", () => {
  it("finds the one the page holds, and one the stream brings after the answer", async () => {
    const client = new QueryClient();
    client.setQueryData(queryKeys.topology, topology(7));
    const live = watchLiveTopologies(client);
    client.setQueryData(queryKeys.topology, topology(8));
    assert.equal((await live.at(7, 1000))?.seq, 7);
    const later = live.at(10, 1000);
    client.setQueryData(queryKeys.topology, topology(9));
    client.setQueryData(queryKeys.topology, topology(10));
    assert.equal((await later)?.seq, 10);
    live.stop();
  });

  it("waits for a page's first snapshot, and says so when the seq went by or never comes", async () => {
    const client = new QueryClient();
    const live = watchLiveTopologies(client);
    const first = live.at(3, 1000);
    client.setQueryData(queryKeys.topology, topology(3));
    assert.equal((await first)?.seq, 3);
    // The stream reconnected with a newer snapshot: seq 4 never comes.
    client.setQueryData(queryKeys.topology, topology(6));
    assert.equal(await live.at(4, 1000), null);
    assert.equal(await live.at(20, 5), null);
    const aborted = new AbortController();
    const waiting = live.at(21, 60_000, aborted.signal);
    aborted.abort();
    assert.equal(await waiting, null);
    live.stop();
  });
});
