// `eni-view plan`'s change and question flags turned into the planner's PlanChange and PlanQuestion
// values. Each flag's value has one shape; a value that does not fit it is a usage error naming the flag.
import type { PlanChange, PlanQuestion, PodRef, WorkloadRef } from "@eni-view/model";
import { t } from "../i18n/cliText.ts";
import { UsageError } from "./command.ts";

const KINDS: Record<string, WorkloadRef["kind"]> = {
  deployment: "Deployment",
  deploy: "Deployment",
  statefulset: "StatefulSet",
  sts: "StatefulSet",
  replicaset: "ReplicaSet",
  rs: "ReplicaSet",
};

function split(flag: string, value: string): [string, string] {
  const at = value.lastIndexOf("=");
  if (at <= 0 || at === value.length - 1) throw new UsageError(t("plan.errors.pair", { flag, value }));
  return [value.slice(0, at), value.slice(at + 1)];
}

/** A whole number; negative or not a number is refused here, as the planner would. */
function count(flag: string, text: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(t("plan.errors.whole", { flag, value: text }));
  const n = Number(text);
  if (n < 0) throw new UsageError(t("plan.errors.negative", { flag, value: n }));
  return n;
}

/** "[KIND/]NAMESPACE/NAME": a Deployment unless the kind is given (deployment, statefulset, replicaset). */
export function workloadRef(flag: string, text: string): WorkloadRef {
  const parts = text.split("/");
  let kind: WorkloadRef["kind"] = "Deployment";
  if (parts.length === 3) {
    const k = KINDS[(parts[0] ?? "").toLowerCase()];
    if (k === undefined) throw new UsageError(t("plan.errors.kind", { flag, kind: parts[0] }));
    kind = k;
    parts.shift();
  }
  const [namespace, name] = parts;
  if (parts.length !== 2 || !namespace || !name)
    throw new UsageError(t("plan.errors.workload", { flag, value: text }));
  return { kind, namespace, name };
}

function podRef(flag: string, text: string): PodRef {
  const [namespace, name, ...rest] = text.split("/");
  if (!namespace || !name || rest.length > 0)
    throw new UsageError(t("plan.errors.pod", { flag, value: text }));
  return { namespace, name };
}

export interface PlanFlags {
  scale?: string[];
  more?: string[];
  set?: string[];
  "eni-config"?: string[];
  "add-nodes"?: string[];
  "remove-nodes"?: string[];
  "new-node-group"?: string[];
  "instance-type"?: string[];
  roll?: string[];
  "roll-nodes"?: boolean;
  fit?: string[];
  "nodes-for"?: string[];
  "types-for"?: string[];
  type?: string;
  family?: string;
  "node-group"?: string;
}

export const planFlagSpec = {
  scale: { type: "string", multiple: true },
  more: { type: "string", multiple: true },
  set: { type: "string", multiple: true },
  "eni-config": { type: "string", multiple: true },
  "add-nodes": { type: "string", multiple: true },
  "remove-nodes": { type: "string", multiple: true },
  "new-node-group": { type: "string", multiple: true },
  "instance-type": { type: "string", multiple: true },
  roll: { type: "string", multiple: true },
  "roll-nodes": { type: "boolean" },
  fit: { type: "string", multiple: true },
  "nodes-for": { type: "string", multiple: true },
  "types-for": { type: "string", multiple: true },
  type: { type: "string" },
  family: { type: "string" },
  "node-group": { type: "string" },
} as const;

export function planChanges(f: PlanFlags): PlanChange[] {
  const changes: PlanChange[] = [];
  for (const v of f.scale ?? []) {
    const [w, n] = split("scale", v);
    changes.push({ kind: "scale", workload: workloadRef("scale", w), replicas: count("scale", n) });
  }
  for (const v of f.more ?? []) {
    const [p, n] = split("more", v);
    changes.push({ kind: "more-pods", like: podRef("more", p), count: count("more", n) });
  }
  const settings: Record<string, string> = {};
  for (const v of f.set ?? []) {
    const [k, value] = split("set", v);
    settings[k] = value;
  }
  if (Object.keys(settings).length > 0) changes.push({ kind: "set", settings });
  for (const v of f["eni-config"] ?? []) {
    const [name, subnetId] = split("eni-config", v);
    changes.push({ kind: "eni-config", name, subnetId });
  }
  for (const v of f["add-nodes"] ?? []) {
    const [group, rest] = split("add-nodes", v);
    const [n, type] = rest.split(":");
    changes.push({
      kind: "add-nodes",
      nodeGroup: group,
      count: count("add-nodes", n ?? ""),
      ...(type ? { instanceType: type } : {}),
    });
  }
  for (const v of f["remove-nodes"] ?? []) {
    const [group, n] = split("remove-nodes", v);
    changes.push({ kind: "remove-nodes", nodeGroup: group, count: count("remove-nodes", n) });
  }
  for (const v of f["new-node-group"] ?? []) {
    const [name, rest] = split("new-node-group", v);
    const [shape, subnets] = rest.split("@");
    const [type, n, maxPods] = (shape ?? "").split(":");
    if (!type || n === undefined) throw new UsageError(t("plan.errors.newNodeGroup", { value: v }));
    changes.push({
      kind: "new-node-group",
      name,
      instanceType: type,
      nodes: count("new-node-group", n),
      ...(maxPods ? { maxPods: count("new-node-group", maxPods) } : {}),
      ...(subnets ? { subnets: subnets.split(",").filter(Boolean) } : {}),
    });
  }
  for (const v of f["instance-type"] ?? []) {
    const [group, type] = split("instance-type", v);
    changes.push({ kind: "instance-type", nodeGroup: group, instanceType: type });
  }
  for (const g of f.roll ?? []) changes.push({ kind: "roll-nodes", nodeGroup: g });
  if (f["roll-nodes"]) changes.push({ kind: "roll-nodes" });
  return changes;
}

export function planQuestions(f: PlanFlags): PlanQuestion[] {
  const questions: PlanQuestion[] = [];
  for (const v of f.fit ?? []) questions.push({ kind: "replicas-that-fit", workload: workloadRef("fit", v) });
  const group = f["node-group"] === undefined ? {} : { nodeGroup: f["node-group"] };
  for (const v of f["nodes-for"] ?? []) {
    const [p, n] = split("nodes-for", v);
    if (!f.type) throw new UsageError(t("plan.errors.needsType"));
    questions.push({
      kind: "nodes-needed",
      like: podRef("nodes-for", p),
      count: count("nodes-for", n),
      instanceType: f.type,
      ...group,
    });
  }
  for (const v of f["types-for"] ?? []) {
    const [p, n] = split("types-for", v);
    if (!f.family) throw new UsageError(t("plan.errors.needsFamily"));
    questions.push({
      kind: "instance-types",
      like: podRef("types-for", p),
      count: count("types-for", n),
      family: f.family,
      ...group,
    });
  }
  if (questions.length === 0 && (f.type || f.family))
    throw new UsageError(
      t("plan.errors.onlyWith", {
        flag: f.type ? "type" : "family",
        with: f.type ? "nodes-for" : "types-for",
      }),
    );
  return questions;
}
