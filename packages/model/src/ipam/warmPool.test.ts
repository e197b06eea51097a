// The documented warm-pool behaviour (domain page sections 2 and 3, the CNI's docs/eni-and-ip-target.md
// and docs/prefix-and-ip-target.md), checked by walking a node through pod counts and time.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PoolCidr, PoolEni } from "./pool.ts";
import { defaultSettings, testNode } from "./testNode.ts";
import { decideWarmPoolAction } from "./warmPool.ts";

function withPods(node: ReturnType<typeof testNode>, count: number, prefix = "p"): void {
  for (let i = 0; i < count; i++) {
    // A pod that finds no free IP waits for the next cycle, as kubelet retries the sandbox.
    while (node.addPod(`default/${prefix}${i}`) === null) {
      if (node.cycle().action.kind === "none")
        throw new Error(`no IP for pod ${i}: ${node.decisions.at(-1)?.reason}`);
    }
    node.settle();
  }
}

describe("WARM_ENI_TARGET=1 (defaults) on t3.medium", () => {
  it("keeps an idle node at 1 ENI with 5 secondary IPs", () => {
    const node = testNode();
    node.settle();
    assert.equal(node.enis(), 1);
    assert.equal(node.ips(), 5);
    assert.equal(node.decisions[0]?.action.kind, "assign");
  });

  it("attaches a 2nd ENI pre-loaded with 5 IPs when the first pod takes an IP", () => {
    const node = testNode();
    node.settle();
    node.addPod("kube-system/coredns-0");
    const d = node.cycle();
    assert.deepEqual(d.action, { kind: "create-eni", deviceIndex: 1, count: 5, unit: "ip" });
    assert.match(d.reason, /available 4 < WARM_ENI_TARGET 1 x 5 IPs/);
    assert.equal(node.enis(), 2);
    assert.equal(node.ips(), 10);
  });

  it("follows the section 3 table for 0 to 15 IP-using pods", () => {
    // P=0 -> 1 ENI/5 IPs; 1-5 -> 2/10; 6-10 -> 3/15; 11-15 -> 3/15 (max ENIs, warm pool drains to 0).
    const expected = (p: number) => (p === 0 ? [1, 5] : p <= 5 ? [2, 10] : [3, 15]);
    for (let p = 0; p <= 15; p++) {
      const node = testNode();
      node.settle();
      withPods(node, p);
      assert.deepEqual([node.enis(), node.ips()], expected(p), `${p} pods`);
    }
  });

  it("attaches the 3rd ENI at the 6th pod", () => {
    const node = testNode();
    node.settle();
    withPods(node, 5);
    assert.equal(node.enis(), 2);
    node.addPod("default/sixth");
    assert.equal(node.cycle().action.kind, "create-eni");
    assert.equal(node.enis(), 3);
  });

  it("never grows the pool once it holds max pods IPs", () => {
    // A node whose kubelet max pods is 10: the 2nd ENI brings the pool to 10 and growth stops there.
    const node = testNode({}, { maxEnis: 3, ipv4PerEni: 6, maxPods: 10 });
    node.settle();
    withPods(node, 8);
    assert.equal(node.enis(), 2);
    assert.equal(node.ips(), 10);
    const d = node.cycle();
    assert.equal(d.action.kind, "none");
    assert.match(d.reason, /max pods 10/);
  });

  it("never releases single IPs, and frees at most one ENI per cycle when pods leave", () => {
    const node = testNode();
    node.settle();
    withPods(node, 12);
    assert.deepEqual([node.enis(), node.ips()], [3, 15]);
    for (let i = 0; i < 12; i++) node.removePod(`default/p${i}`);
    const before = node.decisions.length;
    for (let i = 0; i < 30; i++) node.cycle(); // 150 s
    const after = node.decisions.slice(before);
    assert.ok(after.every((d) => d.action.kind !== "release" && d.action.kind !== "assign"));
    const freed = after.filter((d) => d.action.kind === "free-eni");
    assert.equal(freed.length, 2);
    // Nothing is freed while the IPs cool down (30 s); each cycle frees one ENI, never two.
    const firstFree = after.findIndex((d) => d.action.kind === "free-eni");
    assert.ok(firstFree * 5 > 30, `first ENI freed after ${firstFree * 5} s`);
    assert.deepEqual([node.enis(), node.ips()], [1, 5]);
    assert.equal(node.pool.enis[0]?.primary, true);
  });

  it("keeps an ENI that still holds a pod after scale-down", () => {
    const node = testNode();
    node.settle();
    withPods(node, 11);
    // Pods 10 (ENI 2) stays; the rest leave. ENI 1 empties and may go; ENI 2 and the primary stay.
    for (let i = 0; i < 11; i++) if (i !== 10) node.removePod(`default/p${i}`);
    node.now += 60_000;
    node.settle();
    const holder = node.pool.enis.find((e) =>
      e.cidrs.some((c) => c.addresses.some((a) => a.pod === "default/p10")),
    );
    assert.ok(holder);
    assert.equal(node.enis(), 2);
  });

  it("does not free an ENI younger than a minute", () => {
    const node = testNode({ ipCooldownSeconds: 0 });
    node.settle();
    node.addPod("default/a");
    node.settle(); // attaches ENI 1 now
    node.removePod("default/a");
    node.now += 1; // cooldown 0: the IP is free at once
    // available 10 >= (1 + 1) x 5, but ENI 1 is seconds old.
    assert.equal(node.cycle().action.kind, "none");
    node.now += 60_000;
    assert.deepEqual(node.cycle().action, { kind: "free-eni", eniId: "eni-device-1" });
  });

  it("does not attach or free ENIs on a cordoned node", () => {
    const node = testNode();
    node.settle();
    node.cordoned = true;
    node.addPod("default/a");
    const d = node.cycle();
    assert.equal(d.action.kind, "none");
    assert.match(d.reason, /cordoned/);
  });
});

describe("cooldown", () => {
  it("counts a cooling IP as available but does not hand it to a pod", () => {
    const node = testNode({}, { maxEnis: 1, ipv4PerEni: 2, maxPods: 3 });
    node.settle();
    assert.equal(node.ips(), 1);
    node.addPod("default/a");
    node.removePod("default/a");
    const stats = node.cycle().stats;
    assert.equal(stats.available, 1);
    assert.equal(stats.cooling, 1);
    assert.equal(node.addPod("default/b"), null);
    node.now += 30_001 - 5_000;
    assert.equal(node.addPod("default/b"), "10.0.0.10");
  });
});

describe("prefix delegation on t3.medium, WARM_PREFIX_TARGET=1", () => {
  const pd = { prefixDelegation: true, warmPrefixTarget: 1 };
  const limits = { maxEnis: 3, ipv4PerEni: 6, maxPods: 110 };

  it("holds 1 prefix idle, 2 for 1-16 pods, 3 for 17-32 pods", () => {
    for (const [pods, prefixes] of [
      [0, 1],
      [1, 2],
      [16, 2],
      [17, 3],
      [32, 3],
    ] as const) {
      const node = testNode(pd, limits);
      node.settle();
      withPods(node, pods);
      assert.equal(node.prefixes(), prefixes, `${pods} pods`);
      assert.equal(node.enis(), 1, `${pods} pods fit the primary ENI's 5 prefix slots`);
    }
  });

  it("releases free prefixes beyond WARM_PREFIX_TARGET, 30 s apart", () => {
    const node = testNode(pd, limits);
    node.settle();
    withPods(node, 40);
    assert.equal(node.prefixes(), 4);
    for (let i = 0; i < 40; i++) node.removePod(`default/p${i}`);
    const d = node.cycle();
    assert.equal(d.action.kind, "release");
    assert.equal(d.action.kind === "release" && d.action.cidrs.length, 3);
    assert.equal(node.prefixes(), 1);
  });

  it("rounds MINIMUM_IP_TARGET up to whole prefixes", () => {
    const node = testNode({ prefixDelegation: true, minimumIpTarget: 20, warmIpTarget: 1 }, limits);
    node.settle();
    assert.equal(node.prefixes(), 2);
  });

  it("attaches a new ENI only when every ENI holds its 5 prefixes", () => {
    const node = testNode(pd, limits);
    node.settle();
    withPods(node, 64);
    assert.equal(node.enis(), 1);
    assert.equal(node.prefixes(), 5);
    node.addPod("default/extra");
    assert.equal(node.cycle().action.kind, "create-eni");
    assert.equal(node.enis(), 2);
  });
});

describe("WARM_IP_TARGET and MINIMUM_IP_TARGET", () => {
  it("assigns only the IPs the targets are short of", () => {
    const node = testNode({ warmIpTarget: 2 });
    const d = node.cycle();
    assert.deepEqual(d.action, { kind: "assign", eniId: "eni-0", count: 2, unit: "ip" });
    node.addPod("default/a");
    assert.deepEqual(node.cycle().action, { kind: "assign", eniId: "eni-0", count: 1, unit: "ip" });
    assert.equal(node.ips(), 3);
  });

  it("grows to the MINIMUM_IP_TARGET floor: short = max(WARM_IP - available, MIN_IP - total)", () => {
    const node = testNode({ warmIpTarget: 1, minimumIpTarget: 8 });
    node.settle();
    // 5 on the primary, then a 2nd ENI with the 3 still missing.
    assert.equal(node.ips(), 8);
    assert.equal(node.enis(), 2);
  });

  it("releases IPs over target once pods leave: over = min(available - WARM_IP, total - MIN_IP)", () => {
    const node = testNode({ warmIpTarget: 2, minimumIpTarget: 4 });
    node.settle();
    withPods(node, 6);
    // 6 pods + 2 warm = 8 IPs.
    assert.equal(node.ips(), 8);
    for (let i = 0; i < 6; i++) node.removePod(`default/p${i}`);
    const d = node.cycle();
    // available 8, total 8: over = min(8 - 2, 8 - 4) = 4.
    assert.equal(d.action.kind, "release");
    assert.equal(d.action.kind === "release" && d.action.cidrs.length, 4);
    assert.equal(node.ips(), 4);
  });
});

describe("freeing ENIs under warm-IP targets", () => {
  it("keeps an empty ENI that WARM_IP_TARGET still needs", () => {
    // WARM_IP_TARGET 6 on t3.medium: 5 IPs on the primary, then a 2nd ENI with the 1 IP still short.
    const node = testNode({ warmIpTarget: 6 });
    node.settle();
    assert.deepEqual([node.enis(), node.ips()], [2, 6]);
    node.now += 120_000;
    const d = node.cycle();
    // Without the 2nd ENI only 5 IPs would be free, short of 6: it stays although it is empty and old.
    assert.equal(d.action.kind, "none");
    assert.equal(node.enis(), 2);
  });

  it("keeps the prefixes the pods plus WARM_IP_TARGET need under prefix delegation", () => {
    const node = testNode(
      { prefixDelegation: true, warmIpTarget: 16 },
      { maxEnis: 3, ipv4PerEni: 6, maxPods: 110 },
    );
    node.settle();
    assert.equal(node.prefixes(), 1);
    node.addPod("default/a");
    node.settle();
    // 1 pod + 16 warm = 17 IPs: 2 prefixes, and neither is over target.
    assert.equal(node.prefixes(), 2);
    node.now += 60_000;
    assert.equal(node.cycle().action.kind, "none");
  });
});

describe("other rules", () => {
  it("gives the primary ENI no pod IPs under custom networking", () => {
    const node = testNode({ customNetworking: true });
    const d = node.cycle();
    assert.deepEqual(d.action, { kind: "create-eni", deviceIndex: 1, count: 5, unit: "ip" });
  });

  it("pauses growth for 120 s after the subnet ran out of addresses", () => {
    const node = testNode();
    node.pool.lastInsufficientCidrAt = node.now - 10_000;
    const d = node.cycle();
    assert.equal(d.action.kind, "none");
    assert.match(d.reason, /paused for 110 s more/);
    node.now += 110_000;
    assert.equal(node.cycle().action.kind, "assign");
  });

  it("respects MAX_ENI", () => {
    const node = testNode({ maxEni: 2 });
    node.settle();
    withPods(node, 9);
    assert.equal(node.enis(), 2);
  });

  it("rejects a negative target with a message naming it", () => {
    const node = testNode();
    assert.throws(
      () =>
        decideWarmPoolAction({
          pool: node.pool,
          settings: { ...defaultSettings, warmIpTarget: -1 },
          limits: { maxEnis: 3, ipv4PerEni: 6, maxPods: 17 },
          now: 0,
        }),
      /WARM_IP_TARGET must be a whole number >= 0, got -1/,
    );
  });
});

/** An old ENI of the test pools at a device index (the primary at 0), holding these CIDRs. */
function poolEni(device: number, cidrs: PoolCidr[]): PoolEni {
  return {
    id: `eni-device-${device}`,
    deviceIndex: device,
    primary: device === 0,
    trunk: false,
    efa: false,
    noManage: false,
    addedAt: 0,
    cidrs,
  };
}

describe("Go map order", () => {
  const eni = (device: number) =>
    poolEni(
      device,
      Array.from({ length: 5 }, (_, i) => ({
        cidr: `10.0.${device}.${i + 10}/32`,
        prefix: false,
        addresses: [],
      })),
    );
  const input = () => ({
    pool: { enis: [eni(0), eni(1), eni(2)], lastDecreaseAt: null, lastInsufficientCidrAt: null },
    settings: { ...defaultSettings, warmEniTarget: 1 },
    limits: { maxEnis: 3, ipv4PerEni: 6, maxPods: 17 },
    now: 10 * 60_000,
  });

  it("frees the deletable ENI the map order meets first (the newest without one)", () => {
    assert.deepEqual(decideWarmPoolAction(input()).action, { kind: "free-eni", eniId: "eni-device-2" });
    const inOrder = decideWarmPoolAction({ ...input(), mapOrder: (items) => [...items] });
    assert.deepEqual(inOrder.action, { kind: "free-eni", eniId: "eni-device-1" });
  });
});

describe("freeing an ENI under prefix delegation", () => {
  // t3.medium: 5 prefix slots per ENI, 80 addresses; the primary ENI's prefix holds 2 pods, ENI 1 holds
  // two free prefixes and no pod.
  const prefix = (device: number, n: number, pods: number) => ({
    cidr: `10.0.${device}.${n * 16}/28`,
    prefix: true,
    addresses: Array.from({ length: pods }, (_, i) => ({
      ip: `10.0.${device}.${n * 16 + i}`,
      pod: `default/p${device}-${n}-${i}`,
      releasedAt: null,
    })),
  });
  const eni = poolEni;
  const input = {
    pool: {
      enis: [eni(0, [prefix(0, 0, 2)]), eni(1, [prefix(1, 0, 0), prefix(1, 1, 0)])],
      lastDecreaseAt: 0,
      lastInsufficientCidrAt: null,
    },
    settings: { ...defaultSettings, prefixDelegation: true, warmPrefixTarget: 1 },
    limits: { maxEnis: 3, ipv4PerEni: 6, maxPods: 110 },
    now: 10 * 60_000,
  };

  it("frees the ENI without pods, and says so without claiming the pool is high", () => {
    // Two free prefixes > WARM_PREFIX_TARGET 1: the release comes first, in the same cycle.
    const d = decideWarmPoolAction(input);
    assert.equal(d.action.kind, "release", d.reason);
    // Then ENI 1 is empty and ENI 0 keeps the one free prefix: 30 available is not >= (1 + 1) x 80
    // (shouldRemoveExtraENIs' threshold is a whole ENI's addresses), but CheckFreeableENIexists finds
    // ENI 1, which the target does not need.
    const freed = decideWarmPoolAction({
      ...input,
      pool: { ...input.pool, enis: [eni(0, [prefix(0, 0, 2), prefix(0, 1, 0)]), eni(1, [])] },
    });
    assert.deepEqual(freed.action, { kind: "free-eni", eniId: "eni-device-1" });
    assert.doesNotMatch(freed.reason, />=/);
    assert.match(freed.reason, /WARM_PREFIX_TARGET 1 met without it/);
  });
});
