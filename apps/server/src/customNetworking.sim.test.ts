// The server on the simulator's custom-networking lab, over real HTTP: each node's ENIConfig and CNINode
// features in /api/topology, and a capture (with eniconfigs.json and cninodes.json) that `report --dump`
// reads back as the served topology.
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Report, Topology } from "@eni-view/model";
import type { Sim } from "@eni-view/sim";
import { type RunningServer, startServer } from "./server.ts";
import { SimSource } from "./sources/simSource.ts";
import { captureSim, eniView } from "./testing/cli.ts";

describe("serve --source sim --scenario custom-networking-lab", () => {
  let source: SimSource;
  let server: RunningServer;
  let sim: Sim;

  before(async () => {
    source = new SimSource({
      scenario: "custom-networking-lab",
      speed: 20,
      ec2IntervalMs: 1500,
      ec2MinGapMs: 200,
      kubeBackoffBaseMs: 50,
      kubeBackoffMaxMs: 500,
    });
    server = await startServer(source, { host: "127.0.0.1", port: 0, webDist: null });
    sim = source.endpoints!;
    const deadline = Date.now() + 20_000;
    while (!server.feed.isReady()) {
      if (Date.now() > deadline) throw new Error("the server never became ready");
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  after(() => server?.close());

  const topology = async (): Promise<Topology> =>
    (await fetch(`${server.url}/api/topology`)).json() as Promise<Topology>;

  it("shows each node's ENIConfig (its AZ's, found, with its pod subnet) and its CNINode features", async () => {
    let t = await topology();
    const deadline = Date.now() + 10_000;
    // Ready means both sources answered once; the build that takes in EC2's first answer may still be
    // on its way, so wait for the ENIs as well as for the custom resources.
    const incomplete = (n: Topology["nodes"][number]) =>
      n.eniConfig === null || n.cniFeatures.length === 0 || !n.enis.some((e) => e.deviceIndex === 0);
    while ((t.nodes.length < 3 || t.nodes.some(incomplete)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      t = await topology();
    }
    assert.equal(t.nodes.length, 3);
    assert.equal(t.cluster.cni.customNetworking, true);
    for (const n of t.nodes) {
      assert.equal(n.eniConfig?.name, n.zone);
      assert.equal(n.eniConfig?.found, true);
      const subnet = t.subnets.find((s) => s.id === n.eniConfig?.subnetId);
      if (subnet) assert.equal(subnet.zone, n.zone);
      assert.deepEqual(n.cniFeatures, ["CustomNetworking", "SecurityGroupsForPods"]);
      const primary = n.enis.find((e) => e.deviceIndex === 0);
      assert.equal(primary?.podCapacity, false, "under custom networking the primary ENI holds no pod IPs");
      for (const e of n.enis.filter((x) => x.deviceIndex > 0))
        assert.equal(e.subnetId, n.eniConfig?.subnetId);
    }
    assert.deepEqual(
      t.warnings.filter((w) => /ENIConfig/.test(w)),
      [],
    );
    assert.equal(t.sources.kubernetes?.error ?? null, null);
  });

  it("captures eniconfigs.json and cninodes.json, and `report --dump` reads them back as served", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eni-view-cn-capture-"));
    try {
      await captureSim(sim, dir);
      const files = await readdir(dir);
      assert.ok(files.includes("eniconfigs.json") && files.includes("cninodes.json"), files.join(", "));
      const served = await topology();
      const { stdout } = await eniView("report", "--dump", dir, "--json");
      const reported = JSON.parse(stdout) as Report;
      assert.deepEqual(
        reported.nodes.map((n) => [n.name, n.eniConfig, n.cniFeatures]),
        served.nodes.map((n) => [n.name, n.eniConfig, n.cniFeatures]),
      );
      assert.ok(reported.nodes.every((n) => n.eniConfig?.found === true));
      assert.deepEqual(reported.warnings, served.warnings);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
