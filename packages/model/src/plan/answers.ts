// The inverse questions, answered by planning trial changes on the cluster (with the plan's own changes
// applied first): the largest scale with nothing Pending, the fewest nodes of a type that hold N more pods,
// and the same for every instance type of a family.

import { capacityFor, IPS_PER_PREFIX } from "../capacity.ts";
import { allInstanceTypes } from "../limits/lookup.ts";
import { plannerEnglish } from "../messages/plannerText.ts";
import { podKey } from "./clusterIndex.ts";
import { PlanInputError } from "./errors.ts";
import { planContext, runSeeds } from "./planCluster.ts";
import type { SeedOutcome } from "./runSeed.ts";
import { firstLimit, rangeOf, rangeText } from "./summarise.ts";
import type {
  InstanceTypeOption,
  PlanAnswer,
  PlanChange,
  PlanInput,
  PlanQuestion,
  PodRef,
  Range,
} from "./types.ts";

/** Trials stop here: a question needing more nodes than this is answered "more than". */
const MAX_NODES = 2_000;

function withChanges(input: PlanInput, extra: PlanChange[]): PlanInput {
  return { ...input, changes: [...input.changes, ...extra], questions: [] };
}

/** Pods the trial added that end Pending (no node, or no IP). */
function left(outcome: SeedOutcome, added: ReadonlySet<string>): number {
  let n = 0;
  for (const key of outcome.pending.keys()) if (added.has(key)) n++;
  return n;
}

function replicasThatFit(
  input: PlanInput,
  q: Extract<PlanQuestion, { kind: "replicas-that-fit" }>,
  seeds: readonly number[],
): PlanAnswer {
  const ctx = planContext(input);
  const owner = `${q.workload.namespace}/${q.workload.kind}/${q.workload.name}`;
  const ownerName = `${q.workload.kind}/${q.workload.name}`;
  const removed = ctx.index.podsOwnedBy(owner).filter((p) => ctx.plan.removedPods.has(podKey(p))).length;
  const added = ctx.plan.addedPods.filter(
    (p) => p.namespace === q.workload.namespace && p.owner === ownerName,
  ).length;
  const current = ctx.index.podsOwnedBy(owner).length - removed + added;
  let room = 0;
  for (const base of ctx.index.nodes.values())
    if (!ctx.plan.removed.has(base.input.name) && !base.sched.unschedulable)
      room += Math.max(0, base.sched.pods - base.usage.pods);
  for (const spec of ctx.plan.added) room += spec.maxPods;
  room = Math.max(0, room - added);
  // One more than the free places: the pod that does not fit names the limit.
  const asked = current + room + 1;
  const trial = planContext(withChanges(input, [{ kind: "scale", workload: q.workload, replicas: asked }]));
  const outcomes = runSeeds(trial, seeds);
  const fits = outcomes.map((o) => {
    let waiting = 0;
    for (const p of o.pending.values())
      if (p.pod.namespace === q.workload.namespace && p.pod.owner === `${q.workload.kind}/${q.workload.name}`)
        waiting++;
    return asked - waiting;
  });
  return {
    kind: "replicas-that-fit",
    workload: q.workload,
    current,
    fit: rangeOf(fits),
    limit: firstLimit(trial, outcomes[0]) ?? plannerEnglish("limit.allFit", { replicas: asked }),
  };
}

interface Trial {
  ok: boolean;
  outcome: SeedOutcome;
  added: Set<string>;
  newNodes: string[];
}

function nodesTrial(
  input: PlanInput,
  like: PodRef,
  count: number,
  group: string,
  type: string,
  nodes: number,
  seed: number,
): Trial {
  const ctx = planContext(
    withChanges(input, [
      { kind: "add-nodes", nodeGroup: group, count: nodes, instanceType: type },
      { kind: "more-pods", like, count },
    ]),
  );
  const [outcome] = runSeeds(ctx, [seed]) as [SeedOutcome];
  const added = new Set(ctx.plan.addedPods.map(podKey));
  const newNodes = ctx.plan.added.slice(-nodes).map((s) => s.name);
  return { ok: left(outcome, added) === 0, outcome, added, newNodes };
}

/** The fewest nodes (up to MAX_NODES) with which the trial leaves no added pod Pending, for one seed. */
function fewestNodes(
  input: PlanInput,
  like: PodRef,
  count: number,
  group: string,
  type: string,
  seed: number,
): Trial | null {
  let lo = 0;
  let hi = 1;
  let best = nodesTrial(input, like, count, group, type, 0, seed);
  if (best.ok) return best;
  for (;;) {
    const t = nodesTrial(input, like, count, group, type, hi, seed);
    if (t.ok) {
      best = t;
      break;
    }
    if (hi >= MAX_NODES) return null;
    lo = hi;
    hi = Math.min(MAX_NODES, hi * 2);
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const t = nodesTrial(input, like, count, group, type, mid, seed);
    if (t.ok) {
      hi = mid;
      best = t;
    } else lo = mid;
  }
  return best;
}

function groupFor(input: PlanInput, like: PodRef, group: string | undefined): string {
  const ctx = planContext(withChanges(input, []));
  if (group !== undefined) {
    ctx.index.requireGroup(group);
    return group;
  }
  const pod = ctx.index.pod(like.namespace, like.name);
  if (pod === undefined)
    throw new PlanInputError(
      "unknown-pod",
      `${like.namespace}/${like.name}`,
      plannerEnglish("error.unknownPod", { pod: `${like.namespace}/${like.name}` }),
    );
  const own = pod.nodeName === null ? null : ctx.index.nodes.get(pod.nodeName)?.group;
  const first = own ?? [...ctx.index.groups.keys()].sort()[0];
  if (first === undefined)
    throw new PlanInputError("unknown-node-group", "", plannerEnglish("error.noGroupToAdd"));
  return first;
}

function newNodeFigures(trial: Trial): { enis: number; addresses: number } {
  let enis = 0;
  let addresses = 0;
  for (const name of trial.newNodes) {
    const out = trial.outcome.ipam.get(name);
    if (out === undefined) continue;
    enis += out.pool.enis.length;
    for (const e of out.pool.enis) {
      addresses += 1;
      for (const c of e.cidrs) addresses += c.prefix ? IPS_PER_PREFIX : 1;
    }
  }
  return { enis, addresses };
}

function nodesNeeded(
  input: PlanInput,
  q: Extract<PlanQuestion, { kind: "nodes-needed" }>,
  seeds: readonly number[],
): PlanAnswer {
  const group = groupFor(input, q.like, q.nodeGroup);
  const trials = seeds.map((s) => fewestNodes(input, q.like, q.count, group, q.instanceType, s));
  const found = trials.filter((t): t is Trial => t !== null);
  const nodes: Range =
    found.length === trials.length
      ? rangeOf(found.map((t) => t.newNodes.length))
      : { min: MAX_NODES + 1, max: MAX_NODES + 1 };
  const maxPods =
    planContext(
      withChanges(input, [{ kind: "add-nodes", nodeGroup: group, count: 1, instanceType: q.instanceType }]),
    ).plan.added.at(-1)?.maxPods ?? 0;
  return {
    kind: "nodes-needed",
    like: q.like,
    count: q.count,
    instanceType: q.instanceType,
    nodes,
    maxPods,
    summary: plannerEnglish(
      found.length < trials.length
        ? "answer.nodesNeededMore"
        : nodes.max === 1
          ? "answer.nodesNeededOne"
          : "answer.nodesNeeded",
      {
        max: MAX_NODES,
        nodes: rangeText(nodes),
        type: q.instanceType,
        maxPods,
        group,
        count: q.count,
        pod: `${q.like.namespace}/${q.like.name}`,
      },
    ),
  };
}

function instanceTypes(
  input: PlanInput,
  q: Extract<PlanQuestion, { kind: "instance-types" }>,
  seeds: readonly number[],
): PlanAnswer {
  const group = groupFor(input, q.like, q.nodeGroup);
  const family = q.family.toLowerCase().replace(/\.$/, "");
  const types = allInstanceTypes()
    .map((t) => t.instanceType)
    .filter((t) => t.startsWith(`${family}.`));
  if (types.length === 0)
    throw new PlanInputError(
      "unknown-instance-type",
      q.family,
      plannerEnglish("error.noFamily", { family: q.family }),
    );
  const options: InstanceTypeOption[] = [];
  for (const type of types) {
    const trials = seeds.map((s) => fewestNodes(input, q.like, q.count, group, type, s));
    if (trials.some((t) => t === null)) continue;
    const found = trials as Trial[];
    const figures = found.map(newNodeFigures);
    const maxPods =
      planContext(
        withChanges(input, [{ kind: "add-nodes", nodeGroup: group, count: 1, instanceType: type }]),
      ).plan.added.at(-1)?.maxPods ?? 0;
    options.push({
      instanceType: type,
      maxPods,
      nodes: Math.max(...found.map((t) => t.newNodes.length)),
      enis: rangeOf(figures.map((f) => f.enis)),
      addresses: rangeOf(figures.map((f) => f.addresses)),
    });
  }
  // Smallest first (vCPUs, then max pods): "m5.2xlarge" before "m5.12xlarge", and among types that tie on
  // nodes, ENIs or addresses the smallest one is named, not the first in alphabetical order.
  const vcpus = new Map(options.map((o) => [o.instanceType, capacityFor(o.instanceType).vcpus ?? 0]));
  const bySize = (a: InstanceTypeOption, b: InstanceTypeOption) =>
    (vcpus.get(a.instanceType) ?? 0) - (vcpus.get(b.instanceType) ?? 0) ||
    a.maxPods - b.maxPods ||
    a.instanceType.localeCompare(b.instanceType);
  options.sort(bySize);
  const fewest = (key: (o: InstanceTypeOption) => number) =>
    [...options].sort((a, b) => key(a) - key(b) || bySize(a, b))[0]?.instanceType ?? null;
  return {
    kind: "instance-types",
    like: q.like,
    count: q.count,
    family,
    options,
    fewestNodes: fewest((o) => o.nodes),
    fewestEnis: fewest((o) => o.enis.max),
    fewestAddresses: fewest((o) => o.addresses.max),
  };
}

export function answerQuestions(input: PlanInput, seeds: readonly number[]): PlanAnswer[] {
  return (input.questions ?? []).map((q) => {
    if (q.kind === "replicas-that-fit") return replicasThatFit(input, q, seeds);
    if (q.kind === "nodes-needed") return nodesNeeded(input, q, seeds);
    return instanceTypes(input, q, seeds);
  });
}
