// `eni-view plan` as a user types it, on the scale lab's capture folder (3 x t3.medium, nginx at 2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli } from "../testing/cli.ts";

const dump = new URL("../sources/dump/fixtures/scale-lab-2", import.meta.url).pathname;

describe("eni-view plan", () => {
  it("plans the scale lab's 2 -> 50: 43 fit, 7 Too many pods, 3 ENIs a node, the first limit in one line", async () => {
    const { code, stdout, stderr } = await runCli([
      "plan",
      "--dump",
      dump,
      "--scale",
      "default/nginx-deployment=50",
    ]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Plan: scale Deployment default\/nginx-deployment 2 -> 50$/m);
    assert.match(
      stdout,
      /First limit: at 43 replicas of Deployment\/nginx-deployment every node is at max pods 17 \(3 ENIs x 5 IPs \+ 2\)/,
    );
    assert.match(stdout, /Pending after the change: 7 \(7 new\)/);
    assert.match(
      stdout,
      /7 × default\/Deployment\/nginx-deployment · too-many-pods: 0\/3 nodes are available: 3 Too many pods/,
    );
    assert.equal(stdout.match(/ [12]->3 /g)?.length, 3, "every node ends with 3 ENIs");
  });

  it("-o json is the planned cluster in the report's shape with a changes section and the plan", async () => {
    const { code, stdout } = await runCli([
      "plan",
      "--dump",
      dump,
      "--set",
      "ENABLE_PREFIX_DELEGATION=true",
      "--set",
      "WARM_PREFIX_TARGET=1",
      "--roll-nodes",
      "--scale",
      "default/nginx-deployment=50",
      "--fit",
      "default/nginx-deployment",
      "-o",
      "json",
    ]);
    assert.equal(code, 0);
    const doc = JSON.parse(stdout);
    assert.equal(doc.cluster.cni.prefixDelegation, true);
    assert.equal(doc.nodes.length, 3);
    for (const n of doc.nodes) assert.equal(n.maxPods, 110, `${n.name} is a new node with the PD max pods`);
    assert.equal(doc.pending.length, 0);
    assert.deepEqual(
      doc.changes.map((c: { text: string }) => c.text),
      [
        "set ENABLE_PREFIX_DELEGATION=true WARM_PREFIX_TARGET=1",
        "scale Deployment default/nginx-deployment 2 -> 50",
        "roll every node group: replaces 3 nodes",
      ],
    );
    assert.equal(doc.plan.nodesToReplace.length, 3);
    assert.equal(doc.plan.answers[0].kind, "replicas-that-fit");
    assert.ok(doc.plan.answers[0].fit.min > 50);
  });

  it("-o yaml prints the same document as YAML", async () => {
    const { code, stdout } = await runCli([
      "plan",
      "--dump",
      dump,
      "--scale",
      "default/nginx-deployment=5",
      "-o",
      "yaml",
    ]);
    assert.equal(code, 0);
    assert.match(stdout, /^changes:\n {2}- change:\n/m);
    assert.match(stdout, /^plan:\n/m);
  });

  const bad: [string[], RegExp][] = [
    [["--scale", "default/nginx=5"], /unknown workload Deployment default\/nginx/],
    [["--scale", "default/nginx-deployment=-3"], /--scale: the count must be 0 or more, got -3/],
    [["--add-nodes", "ng7=2"], /unknown node group ng7: the cluster's are ng1/],
    [["--instance-type", "ng1=t3.gigantic"], /unknown instance type t3\.gigantic/],
    [["--set", "WARM_ENI=2"], /unknown setting WARM_ENI/],
    [["--set", "ENABLE_PREFIX_DELEGATION=maybe"], /ENABLE_PREFIX_DELEGATION=maybe: must be true or false/],
    [
      ["--set", "ENABLE_POD_ENI=true", "--set", "WARM_IP_TARGET=-1"],
      /WARM_IP_TARGET=-1: must be a whole number/,
    ],
  ];
  for (const [args, message] of bad) {
    it(`refuses ${args.join(" ")} with exit 2, naming it`, async () => {
      const { code, stderr, stdout } = await runCli(["plan", "--dump", dump, ...args]);
      assert.equal(code, 2);
      assert.match(stderr, message);
      assert.equal(stdout, "");
    });
  }
});
