// The steady state for P pods against the documented tables: domain page section 3 (t3.medium, WARM_ENI_TARGET
// defaults and prefix delegation), section 0's lab types, and the warm-IP formulas of section 2.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { steadyState } from "./steadyState.ts";
import { defaultSettings, t3Medium } from "./testNode.ts";

describe("steadyState", () => {
  it("gives the section 3 table for t3.medium with the defaults", () => {
    for (let p = 0; p <= 17; p++) {
      const s = steadyState(defaultSettings, t3Medium, p);
      const [enis, ips] = p === 0 ? [1, 5] : p <= 5 ? [2, 10] : [3, 15];
      assert.deepEqual([s.enis, s.ips], [enis, ips], `${p} pods`);
      assert.equal(s.podsWithIp, Math.min(p, 15));
      assert.equal(s.warm, ips - Math.min(p, 15));
    }
  });

  it("gives 1, 2 and 3 prefixes for 0, 1-16 and 17-32 pods with prefix delegation", () => {
    const pd = { ...defaultSettings, prefixDelegation: true, warmPrefixTarget: 1 };
    const limits = { ...t3Medium, maxPods: 110 };
    for (const [pods, prefixes] of [
      [0, 1],
      [1, 2],
      [16, 2],
      [17, 3],
      [32, 3],
    ] as const) {
      const s = steadyState(pd, limits, pods);
      assert.equal(s.prefixes, prefixes, `${pods} pods`);
      assert.equal(s.ips, prefixes * 16);
      assert.equal(s.enis, 1);
    }
  });

  it("fits c5d.large (3 ENIs x 10 IPv4): 9 IPs idle, a 2nd ENI at the first pod, 27 pod IPs at most", () => {
    const c5d = { maxEnis: 3, ipv4PerEni: 10, maxPods: 29 };
    assert.deepEqual(
      [steadyState(defaultSettings, c5d, 0).enis, steadyState(defaultSettings, c5d, 0).ips],
      [1, 9],
    );
    const one = steadyState(defaultSettings, c5d, 1);
    assert.deepEqual([one.enis, one.ips], [2, 18]);
    const full = steadyState(defaultSettings, c5d, 29);
    assert.deepEqual([full.enis, full.ips, full.podsWithIp, full.warm], [3, 27, 27, 0]);
  });

  it("keeps pods + WARM_IP_TARGET IPs, filling the primary ENI first", () => {
    const s = steadyState({ ...defaultSettings, warmIpTarget: 2 }, t3Medium, 6);
    assert.equal(s.ips, 8);
    assert.deepEqual(s.perEni, [5, 3]);
  });

  it("refuses a negative pod count", () => {
    assert.throws(
      () => steadyState(defaultSettings, t3Medium, -1),
      /pods must be a whole number >= 0, got -1/,
    );
  });
});
