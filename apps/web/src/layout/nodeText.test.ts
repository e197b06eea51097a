import assert from "node:assert/strict";
import { describe, it, test } from "node:test";
import type { PodReport } from "@eni-view/model";
import { eniCaption } from "../draw/nodeBox.ts";
import { layoutCluster } from "./clusterLayout.ts";
import { hitTest } from "./hitTest.ts";
import { describeHit, eniAttaching, nodeEniWords, nodeStatus } from "./nodeText.ts";
import { lazyPodIndex } from "./podIndex.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

const node = t3medium("ip-192-168-1-10", [eni("eni-0aaa", 0, slots(11, 5, 1))]);
const layout = layoutCluster([node], { grouping: "zone" });
const box = layout.byName.get(node.name)!;
const pod: PodReport = {
  namespace: "default",
  name: "nginx-0",
  node: node.name,
  ip: "192.168.1.11",
  eni: "eni-0aaa",
  phase: "Running",
  status: "Running",
  owner: "Deployment/nginx-deployment",
  labels: {},
};
const pods = lazyPodIndex([pod]);
const at = (c: { x: number; y: number }) => hitTest(layout, box.x + c.x + 4, box.y + c.y + 4)!;

describe("describeHit", () => {
  it("names a pod's namespace/name, phase, owner, IP, ENI and node", () => {
    const lines = Object.fromEntries(describeHit(at(box.layout.rows[0]!.cells[1]!), pods));
    assert.deepEqual(lines, {
      pod: "default/nginx-0",
      phase: "Running",
      owner: "Deployment/nginx-deployment",
      IP: "192.168.1.11",
      ENI: "eni-0aaa · eth0 · primary",
      node: "ip-192-168-1-10",
    });
  });

  it("explains warm IPs, the primary IP and the slots of ENIs not attached", () => {
    assert.match(Object.fromEntries(describeHit(at(box.layout.rows[0]!.cells[2]!), pods)).slot!, /^warm IP/);
    assert.match(
      Object.fromEntries(describeHit(at(box.layout.rows[0]!.cells[0]!), pods)).slot!,
      /primary IP/,
    );
    const placeholder = Object.fromEntries(describeHit(at(box.layout.rows[1]!.cells[3]!), pods));
    assert.match(placeholder.slot!, /ENI not attached yet/);
    assert.equal(placeholder.ENI, "eth1 not attached");
  });

  it("warns on a node whose kubelet max pods passes what its ENIs hold", () => {
    const over = t3medium("over", [eni("eni-b", 0, slots(11, 5, 0))], { maxPods: 110, overcommitted: true });
    const l = layoutCluster([over], { grouping: "zone" });
    const p = l.byName.get("over")!;
    const lines = Object.fromEntries(describeHit(hitTest(l, p.x + 3, p.y + 3)!, pods));
    assert.equal(lines.warning, "kubelet max pods 110 > 17 the ENIs hold");
  });
});

describe("nodeStatus", () => {
  it("puts NotReady before cordoned", () => {
    assert.deepEqual(nodeStatus({ ...node, ready: false, cordoned: true }), {
      label: "NotReady, cordoned",
      tone: "bad",
    });
    assert.deepEqual(nodeStatus({ ...node, cordoned: true }), { label: "cordoned", tone: "warn" });
  });
});

test("a CNI ENI without any IP yet is attaching: its caption says so and its room is not free room", () => {
  const fresh = eni("eni-new", 2, []);
  assert.equal(eniAttaching(fresh), true);
  assert.match(eniCaption(fresh, 2, 0), /attaching, no IPs yet/);
  assert.equal(eniAttaching(eni("eni-up", 2, slots(40, 5, 0))), false);
  assert.equal(eniAttaching(eni("eni-prim", 0, [])), false);
  assert.equal(eniAttaching(null), false);
});

test("the table's and the panel's ENIs count the default card's slots: not branch ENIs, not other cards' EFAs", () => {
  const enis = [eni("eni-0", 0, slots(11, 5, 1)), eni("eni-1", 1, slots(21, 5, 0))];
  // Security groups for pods: 2 branch ENIs ride the trunk's VLANs, so 2 of 3 ENIs, not 4.
  const branches = [20, 21].map((ip, i) =>
    eni(`eni-b${i}`, -1, [{ ip: `192.168.1.${ip}`, pod: `default/pay-${i}` }], { role: "branch" }),
  );
  assert.equal(nodeEniWords(t3medium("sgp", [...enis, ...branches], { eniSlotsFree: 1 })), "2/3");
  // Interfaces on other network cards are said apart.
  const efa = eni("eni-c1", 0, [], {
    networkCardIndex: 1,
    onDefaultCard: false,
    role: "efa",
    podCapacity: false,
  });
  assert.equal(nodeEniWords(t3medium("multi", [...enis, efa], { eniSlotsFree: 1 })), "2/3 +1 other cards");
  assert.equal(nodeEniWords(t3medium("no-ec2", [], { enisKnown: false, eniSlotsFree: 0 })), "unknown");
});
