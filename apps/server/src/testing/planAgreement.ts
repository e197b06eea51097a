// What the simulator ended with, set against what a plan said it would: per node ENIs, secondary IPs or
// prefixes, pods' IPs and pods, each subnet's free addresses, and the Pending pods with their reasons. Kept nodes are matched by name,
// new nodes by zone (their names are only known once they join).
import assert from "node:assert/strict";
import { type ClusterInput, nodeFigures, type PlanResult, type Range } from "@eni-view/model";

function within(value: number, r: Range, what: string): void {
  assert.ok(
    value >= r.min && value <= r.max,
    `${what}: ${value}, the plan said ${r.min === r.max ? r.min : `${r.min} to ${r.max}`}`,
  );
}

const FIELDS = ["enis", "assigned", "used", "pods"] as const;

/**
 * `byNode` false: where the scheduler picks among hundreds of equal nodes, which node gets a pod is the
 * seed's; the nodes of each group are then compared as a whole, the i-th smallest value against the i-th
 * smallest minimum and maximum over the group's nodes.
 */
export function assertAgrees(
  plan: PlanResult,
  before: ClusterInput,
  after: ClusterInput,
  options: { byNode?: boolean } = {},
): void {
  const actual = nodeFigures(after);
  const old = new Set(before.nodes.map((n) => n.name));
  const kept = plan.nodes.filter((n) => n.fate === "kept");
  const gone = plan.nodes.filter((n) => n.fate === "removed").map((n) => n.name);
  for (const n of gone) assert.ok(!actual.has(n), `${n} should be gone`);
  for (const n of kept) assert.ok(actual.has(n.name), `${n.name} should still be there`);
  if (options.byNode ?? true) {
    for (const n of kept)
      for (const f of FIELDS) within(actual.get(n.name)?.[f] ?? -1, n[f], `${n.name} ${f}`);
  } else {
    const groups = new Set(kept.map((n) => n.nodeGroup));
    for (const g of groups) {
      const mine = kept.filter((n) => n.nodeGroup === g);
      for (const f of FIELDS) {
        const values = mine.map((n) => actual.get(n.name)?.[f] ?? -1).sort((a, b) => a - b);
        const mins = mine.map((n) => n[f].min).sort((a, b) => a - b);
        const maxs = mine.map((n) => n[f].max).sort((a, b) => a - b);
        for (const [i, v] of values.entries()) {
          const range = { min: mins[i] as number, max: maxs[i] as number };
          within(v, range, `node group ${g}: ${f}, node ${i + 1} of ${values.length} by size`);
        }
      }
    }
  }
  // New nodes, by zone: the same number in each zone, each within the range of the plan's there.
  const zoneOf = new Map(after.nodes.map((n) => [n.name, n.zone ?? ""]));
  const planned = plan.nodes.filter((n) => n.fate === "new");
  const zones = new Set([
    ...planned.map((n) => n.zone ?? ""),
    ...[...actual.keys()].filter((n) => !old.has(n)).map((n) => zoneOf.get(n) ?? ""),
  ]);
  for (const zone of zones) {
    const mine = planned.filter((n) => (n.zone ?? "") === zone);
    const theirs = [...actual].filter(([n]) => !old.has(n) && zoneOf.get(n) === zone);
    assert.equal(theirs.length, mine.length, `new nodes in ${zone}`);
    for (const [name, a] of theirs) {
      for (const f of FIELDS) {
        const r = {
          min: Math.min(...mine.map((m) => m[f].min)),
          max: Math.max(...mine.map((m) => m[f].max)),
        };
        within(a[f], r, `new node ${name} (${zone}) ${f}`);
      }
    }
  }
  // Each subnet's free addresses: within the plan's range (how many ENIs and IPs the nodes take is the
  // seeds'; where in the subnet EC2 puts them does not change the count).
  const free = new Map(after.subnets.map((s) => [s.id, s.availableIps]));
  for (const s of plan.subnets) {
    const v = free.get(s.id);
    if (typeof v === "number") within(v, s.freeAfter, `subnet ${s.id} (${s.cidr}) free addresses`);
  }
  // Pending pods: as many as planned (within the seeds' spread), with the same reasons and messages.
  const pending = after.pods.filter(
    (p) =>
      p.phase !== "Succeeded" &&
      p.phase !== "Failed" &&
      !p.deleting &&
      (p.nodeName === null || (p.podIp === null && !p.hostNetwork)),
  );
  const inAll = plan.pending.filter((p) => p.seeds === plan.seeds.length).length;
  assert.ok(
    pending.length >= inAll && pending.length <= plan.pending.length,
    `${pending.length} pods Pending, the plan said ${inAll} to ${plan.pending.length}`,
  );
  const messages = new Set(plan.pending.map((p) => (p.node === null ? p.message : "no IP")));
  for (const p of pending) {
    const said = p.nodeName === null ? (p.scheduledMessage ?? "") : "no IP";
    assert.ok(
      messages.has(said),
      `${p.namespace}/${p.name} waits with "${said}", which the plan did not say`,
    );
  }
}
