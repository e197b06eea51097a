// planCluster: what the cluster looks like once a change has settled, over several seeds. See types.ts for
// the shapes; the steps are resolveChanges (check and expand the changes), runSeed (scheduler, then each
// changed node's IPAMD) and summarise (ranges and sentences). Pure: it reads the snapshot it is given.
import { IPS_PER_PREFIX, supportsPrefixDelegation } from "../capacity.ts";
import { plannerEnglish } from "../messages/plannerText.ts";
import { buildReport } from "../report.ts";
import { SubnetAddresses } from "../subnetAddresses.ts";
import type { ClusterInput } from "../types.ts";
import { answerQuestions } from "./answers.ts";
import { ClusterIndex } from "./clusterIndex.ts";
import { plannedInput } from "./plannedInput.ts";
import { resolveChanges } from "./resolveChanges.ts";
import { type NodeFigures, type PlanContext, runSeed, type SeedOutcome } from "./runSeed.ts";
import {
  firstLimit,
  loopThrottling,
  planEc2,
  planNodes,
  planPending,
  planSettle,
  planSubnets,
} from "./summarise.ts";
import type { PlanInput, PlanResult } from "./types.ts";

/** The simulator's timings of the real CNI (vpc-cni.md section 2): IPAMD's loop about every 5 s, a new ENI
 * usable a few seconds after AttachNetworkInterface (AWS: up to about 10 s). */
export const IPAMD_CYCLE_MS = 5_000;
export const ATTACH_DELAY_MS = 3_000;
export const DEFAULT_SEEDS = [1, 2, 3, 4, 5];

/** Every subnet's address book as EC2 keeps it: the ENIs' addresses and prefixes, and the reservations. */
export function subnetBooks(input: ClusterInput): Map<string, SubnetAddresses> {
  const books = new Map<string, SubnetAddresses>();
  for (const s of input.subnets) {
    const reservations = (input.cidrReservations ?? []).filter((r) => r.subnetId === s.id);
    try {
      books.set(s.id, new SubnetAddresses(s.id, s.cidr, reservations));
    } catch {
      // Outside /16../28 or a reservation outside it: its addresses are not planned.
    }
  }
  for (const e of input.enis) {
    const book = books.get(e.subnetId);
    if (book === undefined) continue;
    const claim = (f: () => void) => {
      try {
        f();
      } catch {
        // An address listed twice (two reads) or outside the subnet: counted once, or not at all.
      }
    };
    if (e.primaryIp) claim(() => book.claim(e.primaryIp as string));
    for (const ip of e.secondaryIps) claim(() => book.claim(ip));
    for (const p of e.prefixes) claim(() => book.claimPrefix(p));
  }
  return books;
}

/** Per node as the input shows it: ENIs, secondary IPs or prefixes, pods' IPs, warm IPs, pods. The
 * planner's "before"; tests measure what the simulator ended with the same way. */
export function nodeFigures(input: ClusterInput): Map<string, NodeFigures> {
  return beforeFigures(new ClusterIndex(input));
}

function beforeFigures(index: ClusterIndex): Map<string, NodeFigures> {
  const out = new Map<string, NodeFigures>();
  const pd = index.input.cni.prefixDelegation;
  for (const [name, base] of index.nodes) {
    const prefixes = pd && base.facts !== undefined && supportsPrefixDelegation(base.facts);
    let secondary = 0;
    let blocks = 0;
    for (const e of base.enis) {
      if (e.noManage || e.interfaceType === "trunk") continue;
      secondary += e.secondaryIps.length;
      blocks += e.prefixes.length;
    }
    const used = base.pods.filter((p) => p.podIp !== null && !p.hostNetwork).length;
    const ips = prefixes ? blocks * IPS_PER_PREFIX : secondary;
    out.set(name, {
      enis: base.enis.length,
      assigned: prefixes ? blocks : secondary,
      used,
      warm: Math.max(0, ips - used),
      pods: base.usage.pods,
      unit: prefixes ? "prefix" : "ip",
    });
  }
  return out;
}

interface Prepared {
  index: ClusterIndex;
  books: Map<string, SubnetAddresses>;
  before: Map<string, NodeFigures>;
}

// What a cluster snapshot gives every plan on it: inputs are taken as values (never changed in place), so
// a server planning again on the snapshot it holds, and the trials of the inverse questions, reuse them.
const prepared = new WeakMap<ClusterInput, Prepared>();

function prepare(cluster: ClusterInput): Prepared {
  let p = prepared.get(cluster);
  if (p === undefined) {
    const index = new ClusterIndex(cluster);
    p = { index, books: subnetBooks(cluster), before: beforeFigures(index) };
    prepared.set(cluster, p);
  }
  return p;
}

/** Index, checked changes and address books: what every seed and every question starts from. */
export function planContext(input: PlanInput): PlanContext {
  const base = prepare(input.cluster);
  const index = base.index.forPlan();
  const plan = resolveChanges(index, input.changes);
  return {
    index,
    plan,
    books: base.books,
    before: base.before,
    attachDelayMs: input.attachDelayMs ?? ATTACH_DELAY_MS,
    cycleMs: input.cycleMs ?? IPAMD_CYCLE_MS,
  };
}

export function runSeeds(ctx: PlanContext, seeds: readonly number[]): SeedOutcome[] {
  return seeds.map((s) => runSeed(ctx, s));
}

export function planCluster(input: PlanInput): PlanResult {
  const seeds = input.seeds && input.seeds.length > 0 ? input.seeds : DEFAULT_SEEDS;
  const ctx = planContext(input);
  const outcomes = runSeeds(ctx, seeds);
  const first = outcomes[0] as SeedOutcome;
  const settle = planSettle(ctx, outcomes);
  const report = buildReport(plannedInput(ctx.index, ctx.plan, first), input.previous);
  const warnings = [...report.warnings];
  if (ctx.index.notPlanned.length > 0) {
    const n = ctx.index.notPlanned.length;
    warnings.push(
      plannerEnglish("warning.notPlanned", {
        count: n,
        list: `${ctx.index.notPlanned.slice(0, 3).join(", ")}${n > 3 ? " ..." : ""}`,
      }),
    );
  }
  warnings.push(...loopThrottling(outcomes, input.throttling));
  const atOnce: string[] = [];
  const onReplacedNodes: string[] = [];
  for (const r of ctx.plan.reports) {
    if (r.effect !== "replaced-nodes") atOnce.push(r.text);
    if (r.effect !== "at-once")
      onReplacedNodes.push(
        r.note ? plannerEnglish("effect.withNote", { change: r.text, note: r.note }) : r.text,
      );
  }
  return {
    changes: ctx.plan.reports,
    seeds: [...seeds],
    report,
    nodes: planNodes(ctx, outcomes),
    nodesToReplace: [...ctx.plan.removed].filter(([, by]) => by !== null).map(([n]) => n),
    pending: planPending(ctx.index, outcomes),
    subnets: planSubnets(ctx, outcomes),
    ec2: planEc2(outcomes, settle, input.throttling),
    settle,
    firstLimit: firstLimit(ctx, first),
    effects: { atOnce, onReplacedNodes },
    answers: answerQuestions(input, seeds),
    warnings,
  };
}
