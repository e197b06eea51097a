import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { capacityFor, prefixDelegationCap } from "./capacity.ts";
import { allInstanceTypes, lookupInstanceType } from "./limits/lookup.ts";

// AWS's published secondary-IP max-pods table, a committed copy (see data/README.md).
function publishedMaxPods(): Map<string, number> {
  const text = readFileSync(new URL("../data/eni-max-pods.txt", import.meta.url), "utf8");
  const table = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const [type, pods] = line.trim().split(/\s+/);
    table.set(type!, Number(pods));
  }
  return table;
}

describe("instance-type table", () => {
  test("holds every type of data/instance-limits.tsv", () => {
    assert.equal(allInstanceTypes().length, 1391);
    assert.deepEqual(lookupInstanceType("t3.medium"), {
      instanceType: "t3.medium",
      vcpus: 2,
      hypervisor: "nitro",
      bareMetal: false,
      maxEnis: 3,
      ipv4PerEni: 6,
      defaultNetworkCardIndex: 0,
      networkCards: 1,
      branchEnis: 0,
      trunkingCompatible: false,
    });
    assert.equal(lookupInstanceType(" C5D.Large ")?.ipv4PerEni, 10);
    assert.equal(lookupInstanceType("t3.nonexistent"), undefined);
  });
});

describe("secondary-IP max pods", () => {
  test("equals AWS's published eni-max-pods.txt for every type it lists", () => {
    const published = publishedMaxPods();
    assert.ok(published.size > 1000, `only ${published.size} rows read`);
    const wrong: string[] = [];
    for (const [type, pods] of published) {
      const got = capacityFor(type).maxPods;
      if (got !== pods) wrong.push(`${type}: published ${pods}, model ${got}`);
    }
    assert.deepEqual(wrong, []);
  });

  test("the lab types: t3.medium 17 (15 pod IPs), c5d.large 29", () => {
    const t3 = capacityFor("t3.medium");
    assert.equal(t3.maxPods, 17);
    assert.equal(t3.podIps, 15);
    assert.equal(t3.podIpsPerEni, 5);
    assert.equal(capacityFor("c5d.large").maxPods, 29);
  });

  test("counts only the default network card (p5.48xlarge: 2 x 49 + 2)", () => {
    assert.equal(capacityFor("p5.48xlarge").maxPods, 100);
  });

  test("custom networking gives the primary ENI no pod IPs", () => {
    const c = capacityFor("t3.medium", { customNetworking: true });
    assert.equal(c.podEnis, 2);
    assert.equal(c.maxPods, 2 * 5 + 2);
  });

  test("MAX_ENI lowers the ENI count, and is ignored above the type's own limit", () => {
    assert.equal(capacityFor("m5.large", { maxEni: 2 }).maxPods, 2 * 9 + 2);
    assert.equal(capacityFor("m5.large", { maxEni: 10 }).maxPods, 29);
  });

  test("no_manage ENIs are not pod capacity", () => {
    const c = capacityFor("c5d.large", { unmanagedEnis: 1 });
    assert.equal(c.podEnis, 2);
    assert.equal(c.maxPods, 2 * 9 + 2);
  });

  test("an unknown type is reported as unknown with no figures", () => {
    const c = capacityFor("x9.huge");
    assert.equal(c.known, false);
    assert.equal(c.maxPods, null);
    assert.equal(c.maxEnis, null);
    assert.match(c.notes?.[0] ?? "", /unknown instance type "x9.huge"/);
  });
});

describe("prefix-delegation max pods", () => {
  test("x16 per slot, capped at 110 up to 30 vCPUs and 250 above", () => {
    const cases: [string, number, number][] = [
      ["t3.medium", 242, 110],
      ["m5.large", 434, 110],
      ["c5.4xlarge", 3714, 110],
      ["m5.8xlarge", 3714, 250],
    ];
    for (const [type, uncapped, capped] of cases) {
      const c = capacityFor(type, { prefixDelegation: true });
      assert.equal(c.mode, "prefix-delegation", type);
      assert.equal(c.maxPodsUncapped, uncapped, type);
      assert.equal(c.maxPods, capped, type);
    }
    assert.equal(capacityFor("t3.medium", { prefixDelegation: true }).podIpsPerEni, 80);
    assert.equal(prefixDelegationCap(30), 110);
    assert.equal(prefixDelegationCap(31), 250);
  });

  test("keeps a small uncapped figure below the cap (t3.nano: 2 ENIs x 1 /28)", () => {
    // t3.nano: 2 ENIs x 2 IPv4 -> 1 prefix per ENI -> 2 x 16 + 2 = 34, under the 110 cap.
    assert.equal(capacityFor("t3.nano", { prefixDelegation: true }).maxPods, 34);
  });

  test("Xen types fall back to secondary IPs, saying why", () => {
    const c = capacityFor("m4.large", { prefixDelegation: true });
    assert.equal(c.mode, "secondary-ip");
    assert.equal(c.maxPods, capacityFor("m4.large").maxPods);
    assert.match(c.notes?.join(" ") ?? "", /not a Nitro instance/);
  });

  test("says vCPUs are unknown instead of guessing the cap", () => {
    const c = capacityFor("c7i.32xlarge", { prefixDelegation: true });
    assert.equal(c.vcpus, null);
    assert.equal(c.maxPods, null);
    assert.ok((c.maxPodsUncapped ?? 0) > 250);
    assert.match(c.notes?.join(" ") ?? "", /vCPUs of c7i.32xlarge unknown/);
  });

  test("facts fetched at run time extend the table", () => {
    const c = capacityFor("zz9.large", {}, [
      {
        instanceType: "zz9.large",
        vcpus: 2,
        hypervisor: "nitro",
        bareMetal: false,
        maxEnis: 3,
        ipv4PerEni: 10,
        defaultNetworkCardIndex: 0,
        networkCards: 1,
        branchEnis: null,
        trunkingCompatible: null,
      },
    ]);
    assert.equal(c.known, true);
    assert.equal(c.maxPods, 29);
  });
});
