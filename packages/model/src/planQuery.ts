// A plan as a query string, the one form the page's link, GET /api/plan and a Freeze of a plan share:
//   scale=default/nginx-deployment=50        a Deployment (or statefulset/ns/name, replicaset/ns/name)
//   more=default/nginx-abc12=20              20 more pods like this one
//   add=ng-1=2  add=ng-1=2:m5.large           nodes into a node group (of another type)
//   remove=ng-1=1                             nodes out of a node group
//   type=ng-1=c5d.large                       a node group's instance type (a roll-over)
//   newgroup=ng-big=3:m5.xlarge               a new node group of 3 nodes
//   set=ENABLE_PREFIX_DELEGATION=true         an aws-node setting (several set= allowed, one per key)
//   eniconfig=ap-northeast-2a=subnet-0abc     an ENIConfig's subnet (custom networking)
//   roll=*  roll=ng-1                         replace the nodes (all, or one node group's)
//   seeds=5                                   how many seeds (1 to 10)
// Parsing checks the form and the bounds only (counts, lengths, how many changes); whether a workload,
// node group, setting or instance type exists, and whether a setting's value is one aws-node takes, is
// the planner's to say (PlanInputError). Every error names the parameter it is about.
import { plannerEnglish } from "./messages/plannerText.ts";
import type { PlanChange, PlanResult, PlanSetting, WorkloadRef } from "./plan/types.ts";
import { PLAN_SETTINGS } from "./plan/types.ts";
import type { PlanDelta } from "./planDelta.ts";
import type { CompactTopology } from "./wire.ts";

export const PLAN_QUERY_LIMITS = {
  /** Characters of the whole query: it travels in a URL (the server takes 2,048). */
  chars: 1500,
  changes: 16,
  /** Parameters in all (each set= is one). */
  params: 32,
  replicas: 100_000,
  nodes: 5_000,
  seeds: 10,
  name: 253,
};

/** Keys of the query; anything else is refused by name. */
export const PLAN_QUERY_KEYS = [
  "scale",
  "more",
  "add",
  "remove",
  "type",
  "newgroup",
  "set",
  "eniconfig",
  "roll",
  "seeds",
] as const;
export type PlanQueryKey = (typeof PLAN_QUERY_KEYS)[number];

export interface PlanQuery {
  changes: PlanChange[];
  /** Seeds 1..N. */
  seeds: number[];
}

/** The answer of GET /api/plan (and the `plan` of a frozen plan): the planner's result, its planned cluster
 * in the compact form the page reads (wire.ts), the query as understood and the moment it was planned on. */
export interface PlanReply extends Omit<PlanResult, "report"> {
  /** The planned cluster, whole (GET /api/plan's default, and a frozen plan's)... */
  report?: CompactTopology;
  /** ...or what it changes in the live topology of `basedOn.seq` (GET /api/plan?report=delta: the page
   * holds that topology already; planDelta.ts). */
  delta?: PlanDelta;
  /** The plan's query, normalised (formatPlanQuery). */
  query: string;
  /** The live topology the plan started from. */
  basedOn: { seq: number; generatedAt: string };
  /** When the plan was made (ISO time). */
  plannedAt: string;
}

/** A plan query that cannot be read; `field` is the query key (or the value) it is about. */
export class PlanQueryError extends Error {
  readonly code = "bad-plan";
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "PlanQueryError";
    this.field = field;
  }
}

const nameRe = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const instanceTypeRe = /^[a-z0-9][a-z0-9-]*\.[a-z0-9-]+$/;
const groupRe = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;

function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/** "left=right" at the last "=" (names have none; values after the last do not either). */
function splitLast(key: string, value: string, what: string): [string, string] {
  const at = value.lastIndexOf("=");
  if (at <= 0 || at === value.length - 1)
    throw new PlanQueryError(key, plannerEnglish("query.notPair", { key, value: shown(value), form: what }));
  return [value.slice(0, at), value.slice(at + 1)];
}

function count(key: string, text: string, max: number): number {
  if (!/^-?\d+$/.test(text))
    throw new PlanQueryError(key, plannerEnglish("query.notWhole", { key, value: shown(text) }));
  const n = Number(text);
  if (n < 0) throw new PlanQueryError(key, plannerEnglish("query.negative", { key, n }));
  if (n > max)
    throw new PlanQueryError(
      key,
      plannerEnglish("query.tooMany", { key, n, limit: max.toLocaleString("en") }),
    );
  return n;
}

function k8sName(key: string, text: string, what: string): string {
  if (text.length > PLAN_QUERY_LIMITS.name || !nameRe.test(text))
    throw new PlanQueryError(key, plannerEnglish("query.badName", { key, value: shown(text), thing: what }));
  return text;
}

function group(key: string, text: string): string {
  if (text.length > PLAN_QUERY_LIMITS.name || !groupRe.test(text))
    throw new PlanQueryError(key, plannerEnglish("query.badGroup", { key, value: shown(text) }));
  return text;
}

function instanceType(key: string, text: string): string {
  if (text.length > 40 || !instanceTypeRe.test(text))
    throw new PlanQueryError(key, plannerEnglish("query.badType", { key, value: shown(text) }));
  return text;
}

const kinds: Record<string, WorkloadRef["kind"]> = {
  deployment: "Deployment",
  statefulset: "StatefulSet",
  replicaset: "ReplicaSet",
};

function workload(key: string, text: string): WorkloadRef {
  const parts = text.split("/");
  const [kindText, ns, name] = parts.length === 2 ? ["deployment", ...parts] : parts;
  const kind = kinds[(kindText ?? "").toLowerCase()];
  if (parts.length < 2 || parts.length > 3 || !kind || ns === undefined || name === undefined)
    throw new PlanQueryError(key, plannerEnglish("query.badWorkload", { key, value: shown(text) }));
  return { kind, namespace: k8sName(key, ns, "namespace"), name: k8sName(key, name, "workload") };
}

function sizedType(key: string, text: string, max: number): { count: number; instanceType?: string } {
  const [n, type] = text.split(":");
  return {
    count: count(key, n ?? "", max),
    ...(type !== undefined ? { instanceType: instanceType(key, type) } : {}),
  };
}

/** Reads a plan query ("scale=default/web=50&set=WARM_IP_TARGET=5"). Throws PlanQueryError. */
export function parsePlanQuery(query: string | URLSearchParams): PlanQuery {
  const text = typeof query === "string" ? query.replace(/^[?#]/, "") : query.toString();
  if (text.length > PLAN_QUERY_LIMITS.chars)
    throw new PlanQueryError(
      "plan",
      plannerEnglish("query.tooLong", { length: text.length, limit: PLAN_QUERY_LIMITS.chars }),
    );
  const params = typeof query === "string" ? new URLSearchParams(text) : query;
  const changes: PlanChange[] = [];
  const settings: Partial<Record<PlanSetting, string>> = {};
  let seeds = 5;
  let seen = 0;
  for (const [key, value] of params) {
    if (!(PLAN_QUERY_KEYS as readonly string[]).includes(key))
      throw new PlanQueryError(
        key,
        plannerEnglish("query.unknownParam", { param: shown(key), keys: PLAN_QUERY_KEYS.join(", ") }),
      );
    if (++seen > PLAN_QUERY_LIMITS.params)
      throw new PlanQueryError(
        key,
        plannerEnglish("query.tooManyParams", { limit: PLAN_QUERY_LIMITS.params }),
      );
    switch (key as PlanQueryKey) {
      case "scale": {
        const [w, n] = splitLast(key, value, "namespace/name=replicas");
        changes.push({
          kind: "scale",
          workload: workload(key, w),
          replicas: count(key, n, PLAN_QUERY_LIMITS.replicas),
        });
        break;
      }
      case "more": {
        const [p, n] = splitLast(key, value, "namespace/pod=count");
        const [ns, name, extra] = p.split("/");
        if (ns === undefined || name === undefined || extra !== undefined)
          throw new PlanQueryError(key, plannerEnglish("query.notPod", { key, value: shown(p) }));
        changes.push({
          kind: "more-pods",
          like: { namespace: k8sName(key, ns, "namespace"), name: k8sName(key, name, "pod") },
          count: count(key, n, PLAN_QUERY_LIMITS.replicas),
        });
        break;
      }
      case "add": {
        const [g, rest] = splitLast(key, value, "nodegroup=count");
        changes.push({
          kind: "add-nodes",
          nodeGroup: group(key, g),
          ...sizedType(key, rest, PLAN_QUERY_LIMITS.nodes),
        });
        break;
      }
      case "remove": {
        const [g, n] = splitLast(key, value, "nodegroup=count");
        changes.push({
          kind: "remove-nodes",
          nodeGroup: group(key, g),
          count: count(key, n, PLAN_QUERY_LIMITS.nodes),
        });
        break;
      }
      case "type": {
        const [g, t] = splitLast(key, value, "nodegroup=instance-type");
        changes.push({ kind: "instance-type", nodeGroup: group(key, g), instanceType: instanceType(key, t) });
        break;
      }
      case "newgroup": {
        const [g, rest] = splitLast(key, value, "name=count:instance-type");
        const sized = sizedType(key, rest, PLAN_QUERY_LIMITS.nodes);
        if (sized.instanceType === undefined)
          throw new PlanQueryError(key, plannerEnglish("query.noType", { key, value: shown(value) }));
        changes.push({
          kind: "new-node-group",
          name: group(key, g),
          nodes: sized.count,
          instanceType: sized.instanceType,
        });
        break;
      }
      case "set": {
        const at = value.indexOf("=");
        const name = at > 0 ? value.slice(0, at) : value;
        if (at <= 0)
          throw new PlanQueryError(key, plannerEnglish("query.notSetting", { key, value: shown(value) }));
        if (!(PLAN_SETTINGS as readonly string[]).includes(name))
          throw new PlanQueryError(
            name,
            plannerEnglish("query.unknownSetting", { name: shown(name), settings: PLAN_SETTINGS.join(", ") }),
          );
        const v = value.slice(at + 1);
        if (v.length > PLAN_QUERY_LIMITS.name)
          throw new PlanQueryError(name, plannerEnglish("query.valueTooLong", { name }));
        if (settings[name as PlanSetting] !== undefined)
          throw new PlanQueryError(name, plannerEnglish("query.setTwice", { name }));
        settings[name as PlanSetting] = v;
        break;
      }
      case "eniconfig": {
        const [name, subnet] = splitLast(key, value, "name=subnet-id");
        if (!/^subnet-[0-9a-f]{8,17}$/.test(subnet))
          throw new PlanQueryError(key, plannerEnglish("query.notSubnet", { key, value: shown(subnet) }));
        changes.push({ kind: "eni-config", name: k8sName(key, name, "ENIConfig"), subnetId: subnet });
        break;
      }
      case "roll":
        changes.push(
          value === "" || value === "*"
            ? { kind: "roll-nodes" }
            : { kind: "roll-nodes", nodeGroup: group(key, value) },
        );
        break;
      case "seeds": {
        seeds = count(key, value, PLAN_QUERY_LIMITS.seeds);
        if (seeds < 1) throw new PlanQueryError(key, plannerEnglish("query.noSeeds"));
        break;
      }
    }
  }
  if (Object.keys(settings).length > 0) changes.push({ kind: "set", settings });
  if (changes.length === 0) throw new PlanQueryError("plan", plannerEnglish("query.nothing"));
  if (changes.length > PLAN_QUERY_LIMITS.changes)
    throw new PlanQueryError(
      "plan",
      plannerEnglish("query.tooManyChanges", { limit: PLAN_QUERY_LIMITS.changes }),
    );
  return { changes, seeds: Array.from({ length: seeds }, (_, i) => i + 1) };
}

const workloadText = (w: WorkloadRef) =>
  w.kind === "Deployment" ? `${w.namespace}/${w.name}` : `${w.kind.toLowerCase()}/${w.namespace}/${w.name}`;

/** The query for a plan (the inverse of parsePlanQuery): what the page puts in its link. */
export function formatPlanQuery(plan: PlanQuery): string {
  const p = new URLSearchParams();
  for (const c of plan.changes) {
    switch (c.kind) {
      case "scale":
        p.append("scale", `${workloadText(c.workload)}=${c.replicas}`);
        break;
      case "more-pods":
        p.append("more", `${c.like.namespace}/${c.like.name}=${c.count}`);
        break;
      case "add-nodes":
        p.append("add", `${c.nodeGroup}=${c.count}${c.instanceType ? `:${c.instanceType}` : ""}`);
        break;
      case "remove-nodes":
        p.append("remove", `${c.nodeGroup}=${c.count}`);
        break;
      case "instance-type":
        p.append("type", `${c.nodeGroup}=${c.instanceType}`);
        break;
      case "new-node-group":
        p.append("newgroup", `${c.name}=${c.nodes}:${c.instanceType}`);
        break;
      case "set":
        for (const [k, v] of Object.entries(c.settings)) p.append("set", `${k}=${v}`);
        break;
      case "eni-config":
        p.append("eniconfig", `${c.name}=${c.subnetId}`);
        break;
      case "roll-nodes":
        p.append("roll", c.nodeGroup ?? "*");
        break;
    }
  }
  if (plan.seeds.length !== 5) p.set("seeds", String(plan.seeds.length));
  // Readable in a link: "/", "=" and ":" need no escaping inside a value (the first "=" splits).
  return p
    .toString()
    .replace(/%(2F|3D|3A)/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
