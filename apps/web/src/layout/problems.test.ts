import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { SubnetReport } from "@eni-view/model";
import { i18n } from "../i18n/i18n.ts";
import { indexProblems, lowSubnets, nodeProblems, sortEntries } from "./problems.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

const subnet = (availableIps: number, extra: Partial<SubnetReport> = {}): SubnetReport => ({
  id: "subnet-0aaa1111bbbb2222c",
  name: null,
  cidr: "192.168.1.0/24",
  zone: "ap-northeast-2a",
  availableIps,
  totalIps: 251,
  enis: 3,
  ipsAssigned: 15,
  ipsUsed: 15,
  ipsWarm: 0,
  ...extra,
});

/** The scale lab at 50 replicas: 3 ENIs, 15 pod IPs used, 17/17 pods. */
const fullNode = () =>
  t3medium("ip-192-168-1-50", [
    eni("eni-a", 0, slots(20, 5, 5)),
    eni("eni-b", 1, slots(30, 5, 5)),
    eni("eni-c", 2, slots(40, 5, 5)),
  ]);

test("a scale-lab node at 17/17 pods with all 3 ENIs is full and at its ENI limit, nothing else", () => {
  assert.deepEqual(nodeProblems(fullNode(), new Set()), ["full", "eni-limit"]);
});

test("an idle node with room has no problem", () => {
  assert.deepEqual(nodeProblems(t3medium("idle", [eni("eni-a", 0, slots(20, 5, 0))]), new Set()), []);
});

test("NotReady, cordoned, overcommitted and waiting-for-IP nodes say so, worst first", () => {
  const n = {
    ...t3medium("n", [eni("eni-a", 0, slots(20, 5, 1))]),
    ready: false,
    cordoned: true,
    overcommitted: true,
    maxPods: 110,
    podsWaitingForIp: 4,
  };
  assert.deepEqual(nodeProblems(n, new Set()), ["not-ready", "waiting-for-ip", "overcommitted", "cordoned"]);
});

test("a subnet is nearly out under 10 % free, or with fewer free IPs than one more ENI would take", () => {
  const nodes = [fullNode()];
  assert.deepEqual([...lowSubnets([subnet(200)], nodes)], []);
  assert.deepEqual([...lowSubnets([subnet(24)], nodes)], ["subnet-0aaa1111bbbb2222c"]);
  // A /28 with 8 free of 11 is above a tenth but cannot give a t3.medium's next ENI its 5 IPs... only 4.
  assert.deepEqual([...lowSubnets([subnet(4, { totalIps: 11 })], nodes)], ["subnet-0aaa1111bbbb2222c"]);
  assert.deepEqual(nodeProblems(fullNode(), lowSubnets([subnet(3)], nodes))[0], "subnet-low");
});

test("the index groups entries by kind in the list's order and sorts them worst first or by name", () => {
  const a = { ...t3medium("node-a", [eni("eni-a", 0, slots(20, 5, 1))]), podsWaitingForIp: 2 };
  const b = { ...t3medium("node-b", [eni("eni-b", 0, slots(30, 5, 1))]), podsWaitingForIp: 9 };
  const c = fullNode();
  const idx = indexProblems([a, b, c], [subnet(200)]);
  assert.deepEqual([...idx.byKind.keys()], ["waiting-for-ip", "full", "eni-limit"]);
  assert.equal(idx.byNode.size, 3);
  const waiting = idx.byKind.get("waiting-for-ip")!;
  assert.deepEqual(
    sortEntries(waiting, "worst").map((e) => e.node),
    ["node-b", "node-a"],
  );
  assert.deepEqual(
    sortEntries(waiting, "name").map((e) => e.node),
    ["node-a", "node-b"],
  );
  assert.equal(sortEntries(waiting, "worst")[0]!.detail, "9 bound pods without an IP");
});

after(() => i18n.changeLanguage("en"));

test("every problem's line in the list is words in English and Korean, never its key", async () => {
  const low = subnet(10);
  const nodes = [
    fullNode(),
    t3medium("a", [eni("eni-d", 0, slots(50, 5, 1))], { ready: false, pods: 22 }),
    t3medium("b", [eni("eni-e", 0, slots(60, 5, 1))], { cordoned: true, pods: 1 }),
    t3medium("c", [eni("eni-f", 0, slots(70, 5, 1))], {
      overcommitted: true,
      maxPods: 110,
      maxPodsByEni: 17,
    }),
    t3medium("d", [eni("eni-g", 0, slots(80, 5, 1))], { podsWaitingForIp: 2 }),
  ];
  const entries = [...indexProblems(nodes, [low]).byKind.values()].flat();
  assert.deepEqual(
    new Set(entries.map((e) => e.kind)).size >= 6,
    true,
    "the nodes have six kinds of problem",
  );
  for (const lang of ["en", "ko"]) {
    await i18n.changeLanguage(lang);
    for (const e of entries) {
      const line = i18n.t(`problems.detail.${e.kind}`, e.values);
      assert.ok(!line.startsWith("problems."), `${lang} ${e.kind}: ${line}`);
    }
  }
  await i18n.changeLanguage("en");
  const notReady = entries.find((e) => e.kind === "not-ready")!;
  assert.equal(i18n.t(`problems.detail.${notReady.kind}`, notReady.values), "22 pods on it");
});
