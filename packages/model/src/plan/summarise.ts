// The seeds' outcomes folded into the plan's answer: ranges where seeds differ, the Pending pods, the
// subnets, the EC2 budget, the time to settle and the first limit hit, in sentences a user reads.
import { HOST_NETWORK_SYSTEM_PODS } from "../capacity.ts";
import { plannerEnglish } from "../messages/plannerText.ts";
import type { PodInput } from "../types.ts";
import { type ClusterIndex, podKey } from "./clusterIndex.ts";
import { EC2_BUCKETS, EC2_CATEGORY, ec2Budget } from "./ec2Throttling.ts";
import type { NodeFigures, PlanContext, SeedOutcome } from "./runSeed.ts";
import type {
  Ec2Action,
  Ec2Bucket,
  Ec2CallCategory,
  PlanEc2,
  PlanNode,
  PlanPendingPod,
  PlanSettle,
  PlanSubnet,
  Range,
} from "./types.ts";

export function rangeOf(values: readonly number[]): Range {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return values.length === 0 ? { min: 0, max: 0 } : { min, max };
}

export function rangeText(r: Range): string {
  return r.min === r.max ? String(r.min) : plannerEnglish("range", { min: r.min, max: r.max });
}

export function planNodes(ctx: PlanContext, seeds: readonly SeedOutcome[]): PlanNode[] {
  const { index, plan } = ctx;
  const out: PlanNode[] = [];
  const replacedBy = plan.removed;
  const figure = (name: string, pick: (f: NodeFigures) => number, fallback: number): Range =>
    rangeOf(
      seeds.map((s) => {
        const f = s.nodes.get(name);
        return f === undefined ? fallback : pick(f);
      }),
    );
  for (const base of index.nodes.values()) {
    const name = base.input.name;
    const before = ctx.before.get(name) ?? {
      enis: 0,
      assigned: 0,
      used: 0,
      warm: 0,
      pods: base.usage.pods,
      unit: "ip" as const,
    };
    const gone = replacedBy.has(name);
    const by = replacedBy.get(name);
    const fixed = (v: number): Range => ({ min: v, max: v });
    out.push({
      name,
      fate: gone ? "removed" : "kept",
      ...(by ? { replacedBy: by } : {}),
      nodeGroup: base.group,
      instanceType: base.input.instanceType,
      zone: base.input.zone,
      maxPods: base.input.allocatablePods,
      unit: seeds[0]?.nodes.get(name)?.unit ?? before.unit,
      enis: gone ? fixed(before.enis) : figure(name, (f) => f.enis, before.enis),
      assigned: gone ? fixed(before.assigned) : figure(name, (f) => f.assigned, before.assigned),
      used: gone ? fixed(before.used) : figure(name, (f) => f.used, before.used),
      warm: gone ? fixed(before.warm) : figure(name, (f) => f.warm, before.warm),
      pods: gone ? fixed(before.pods) : figure(name, (f) => f.pods, before.pods),
      before: { enis: before.enis, assigned: before.assigned, used: before.used, pods: before.pods },
    });
  }
  for (const spec of plan.added) {
    const name = spec.name;
    out.push({
      name,
      fate: "new",
      ...(spec.replaces ? { replaces: spec.replaces } : {}),
      nodeGroup: spec.nodeGroup,
      instanceType: spec.instanceType,
      zone: spec.zone,
      maxPods: spec.maxPods,
      unit: seeds[0]?.nodes.get(name)?.unit ?? "ip",
      enis: figure(name, (f) => f.enis, 0),
      assigned: figure(name, (f) => f.assigned, 0),
      used: figure(name, (f) => f.used, 0),
      warm: figure(name, (f) => f.warm, 0),
      pods: figure(name, (f) => f.pods, 0),
      before: { enis: 0, assigned: 0, used: 0, pods: 0 },
    });
  }
  return out;
}

/** Pods Pending before the change: without a node, or on one without an IP for them. */
function pendingBefore(index: ClusterIndex): Set<string> {
  const before = new Set<string>();
  for (const p of index.input.pods) {
    if (p.deleting || p.phase === "Succeeded" || p.phase === "Failed") continue;
    if (p.nodeName === null || (p.podIp === null && !p.hostNetwork)) before.add(podKey(p));
  }
  return before;
}

export function planPending(index: ClusterIndex, seeds: readonly SeedOutcome[]): PlanPendingPod[] {
  const byKey = new Map<string, PlanPendingPod>();
  const before = pendingBefore(index);
  for (const s of seeds) {
    for (const [key, p] of s.pending) {
      const known = byKey.get(key);
      if (known) known.seeds++;
      else
        byKey.set(key, {
          namespace: p.pod.namespace,
          name: p.pod.name,
          owner: p.pod.owner,
          node: p.node,
          reason: p.reason,
          message: p.message,
          seeds: 1,
          already: before.has(key),
        });
    }
  }
  return [...byKey.values()].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
}

export function planSubnets(ctx: PlanContext, seeds: readonly SeedOutcome[]): PlanSubnet[] {
  const out: PlanSubnet[] = [];
  for (const [id, book] of ctx.books) {
    const s = ctx.index.subnets.get(id);
    if (s === undefined) continue;
    const error = seeds.map((x) => x.dry.get(id)).find((e) => e !== undefined) ?? null;
    out.push({
      id,
      name: s.name,
      cidr: s.cidr,
      zone: s.zone,
      freeBefore: book.available(),
      freeAfter: rangeOf(seeds.map((x) => x.subnets.get(id)?.free ?? book.available())),
      freeBlocks28Before: book.freeBlocks28(),
      freeBlocks28After: rangeOf(seeds.map((x) => x.subnets.get(id)?.blocks ?? 0)),
      runsOut: error !== null,
      error,
    });
  }
  return out.sort((a, b) => (a.zone ?? "").localeCompare(b.zone ?? "") || a.id.localeCompare(b.id));
}

/** The nodes whose IPAMD never settles, over the seeds, with how often it comes round and what it costs. */
function planLoop(
  seeds: readonly SeedOutcome[],
): (NonNullable<PlanSettle["loop"]> & { summary: string }) | null {
  const nodes = new Set<string>();
  const periods: number[] = [];
  let callsPerTurn = 0;
  let perHour = 0;
  let enis = false;
  for (const s of seeds) {
    let hourly = 0;
    for (const [name, out] of s.ipam) {
      if (out.loop === null) continue;
      nodes.add(name);
      periods.push(Math.round(out.loop.periodMs / 1000));
      let turn = 0;
      for (const [action, n] of out.loop.calls) {
        turn += n;
        if (action === "CreateNetworkInterface") enis = true;
      }
      callsPerTurn = Math.max(callsPerTurn, turn);
      hourly += (turn * 3_600_000) / Math.max(1, out.loop.periodMs);
    }
    perHour = Math.max(perHour, Math.round(hourly));
  }
  if (nodes.size === 0) return null;
  const names = [...nodes].sort();
  const periodSeconds = rangeOf(periods);
  return {
    nodes: names,
    periodSeconds,
    callsPerHour: perHour,
    summary: plannerEnglish(enis ? "settle.loopEni" : "settle.loopIps", {
      count: names.length,
      list: `${names.slice(0, 3).join(", ")}${names.length > 3 ? " ..." : ""}`,
      period: rangeText(periodSeconds),
      calls: callsPerTurn,
      perHour,
    }),
  };
}

/** Nodes that never settle keep calling EC2: a warning for each bucket their calls together drain faster
 * than it refills (the worst seed), as then every caller in the account and Region meets throttling. */
export function loopThrottling(
  seeds: readonly SeedOutcome[],
  overrides: Partial<Record<Ec2CallCategory, Ec2Bucket>> | undefined,
): string[] {
  const worst = new Map<Ec2CallCategory, { perMinute: number; nodes: number }>();
  for (const s of seeds) {
    const perMinute = new Map<Ec2CallCategory, number>();
    let nodes = 0;
    for (const out of s.ipam.values()) {
      if (out.loop === null) continue;
      nodes++;
      for (const [action, n] of out.loop.calls) {
        const c = EC2_CATEGORY[action];
        perMinute.set(c, (perMinute.get(c) ?? 0) + (n * 60_000) / Math.max(1, out.loop.periodMs));
      }
    }
    for (const [c, v] of perMinute)
      if (v > (worst.get(c)?.perMinute ?? 0)) worst.set(c, { perMinute: v, nodes });
  }
  const out: string[] = [];
  for (const [category, { perMinute, nodes }] of worst) {
    const refill = (overrides?.[category] ?? EC2_BUCKETS[category]).refillPerSecond * 60;
    if (perMinute > refill)
      out.push(
        plannerEnglish("warning.loopThrottled", {
          count: nodes,
          category,
          perMinute: Math.round(perMinute),
          refill,
        }),
      );
  }
  return out;
}

export function planSettle(ctx: PlanContext, seeds: readonly SeedOutcome[]): PlanSettle {
  const seconds = rangeOf(seeds.map((s) => Math.ceil(s.settleMs / 1000)));
  const launches = ctx.plan.added.length;
  const loop = planLoop(seeds);
  // The slowest node of the slowest seed: is its time the growth's, or the waits of giving back?
  let givingBack = false;
  const slowest = [...seeds].sort((a, b) => b.settleMs - a.settleMs)[0];
  for (const out of slowest?.ipam.values() ?? []) {
    if (out.settleMs === slowest?.settleMs && out.givesBackMs > 0 && out.givesBackMs === out.settleMs)
      givingBack = true;
  }
  const time = rangeText(seconds);
  const summary =
    loop !== null
      ? loop.summary
      : seconds.max === 0
        ? plannerEnglish("settle.nothing")
        : givingBack
          ? plannerEnglish("settle.givingBack", { time, cycle: ctx.cycleMs / 1000 })
          : plannerEnglish("settle.about", {
              time,
              cycle: ctx.cycleMs / 1000,
              attach: ctx.attachDelayMs / 1000,
            });
  return {
    seconds,
    summary: launches > 0 ? plannerEnglish("settleLaunch.sentence", { summary, count: launches }) : summary,
    ...(loop === null
      ? {}
      : { loop: { nodes: loop.nodes, periodSeconds: loop.periodSeconds, callsPerHour: loop.callsPerHour } }),
  };
}

export function planEc2(
  seeds: readonly SeedOutcome[],
  settle: PlanSettle,
  overrides: Partial<Record<Ec2CallCategory, Ec2Bucket>> | undefined,
): PlanEc2 {
  const actions = new Set<Ec2Action>();
  for (const s of seeds) for (const a of s.calls.keys()) actions.add(a);
  const counts = new Map<Ec2Action, Range>();
  for (const a of [...actions].sort()) counts.set(a, rangeOf(seeds.map((s) => s.calls.get(a) ?? 0)));
  return ec2Budget(counts, Math.max(1, settle.seconds.max), overrides);
}

function ownerText(p: PodInput): string {
  return p.owner === null ? `${p.namespace}/${p.name}` : `${p.owner}`;
}

/** The first limit the change runs into, in one sentence. */
export function firstLimit(ctx: PlanContext, seed: SeedOutcome | undefined): string | null {
  if (seed === undefined) return null;
  const { index, plan } = ctx;
  // Pods that waited before the change (unscheduled, or on a node with no IP for them) are not its limit.
  const already = pendingBefore(index);
  const pending = [...seed.pending.values()].filter((p) => !already.has(podKey(p.pod)));
  const dry = [...seed.dry].sort()[0];
  if (dry) {
    const [subnet, code] = dry;
    return plannerEnglish("limit.subnetDry", {
      subnet,
      code,
      count: pending.filter((p) => p.reason === "ip-exhausted").length,
    });
  }
  const first = pending.sort((a, b) => a.pod.name.localeCompare(b.pod.name))[0];
  if (first === undefined) return null;
  const owner = first.pod.owner;
  const placed =
    owner === null
      ? null
      : [...index.input.pods, ...plan.addedPods].filter(
          (p) =>
            p.namespace === first.pod.namespace &&
            p.owner === owner &&
            !plan.removedPods.has(podKey(p)) &&
            !seed.pending.has(podKey(p)),
        ).length;
  const at = (limit: string) =>
    placed === null
      ? limit
      : plannerEnglish("limitAt.sentence", { replicas: placed, owner: ownerText(first.pod), limit });
  if (first.reason === "too-many-pods") {
    const maxes = new Set<number>();
    for (const n of seed.nodes.keys()) {
      const base = index.nodes.get(n);
      const spec = plan.added.find((a) => a.name === n);
      maxes.add(base?.sched.pods ?? spec?.maxPods ?? 0);
    }
    const [only] = [...maxes];
    const facts = [...index.nodes.values()].find((b) => b.facts !== undefined)?.facts;
    if (
      maxes.size === 1 &&
      only !== undefined &&
      facts !== undefined &&
      only === facts.maxEnis * (facts.ipv4PerEni - 1) + HOST_NETWORK_SYSTEM_PODS
    ) {
      return at(
        plannerEnglish("limit.maxPodsFormula", {
          maxPods: only,
          enis: facts.maxEnis,
          ips: facts.ipv4PerEni - 1,
          system: HOST_NETWORK_SYSTEM_PODS,
        }),
      );
    }
    return at(
      maxes.size === 1
        ? plannerEnglish("limit.maxPodsOne", { maxPods: only ?? 0 })
        : plannerEnglish("limit.maxPods"),
    );
  }
  if (first.reason === "ip-exhausted") {
    const node = first.node ?? "";
    const out = seed.ipam.get(node);
    if (out?.starvedBy === "minimum-ip-target")
      return at(
        plannerEnglish("limit.noIpMinimum", { node, minimum: ctx.plan.settings.minimumIpTarget ?? 0 }),
      );
    if (out?.starvedBy === "no-eni-config") return at(plannerEnglish("limit.noIpNoEniConfig", { node }));
    return at(plannerEnglish("limit.noIp", { node }));
  }
  return at(plannerEnglish("limit.noNode", { message: first.message }));
}
