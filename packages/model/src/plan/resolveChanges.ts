// The changes of a plan checked against the cluster and turned into what the steps need: the settings
// aws-node restarts with, the nodes that go and come, the pods that go and come. Anything named that the
// cluster does not have, and any value aws-node or kubectl would refuse, throws a PlanInputError.
import { awsNodeEnvError, cniSettingsFromEnv, type IpamdSettings } from "../awsNodeEnv.ts";
import { cniConfigFromEnv } from "../cniConfig.ts";
import { resolveInstanceType } from "../limits/lookup.ts";
import type { CniConfig, EniConfigInput, PodInput } from "../types.ts";
import { type ClusterIndex, type PlanNodeSpec, workloadPods } from "./clusterIndex.ts";
import { PlanInputError } from "./errors.ts";
import { newNodeSpec } from "./newNodes.ts";
import {
  PLAN_SETTINGS,
  type PlanChange,
  type PlanChangeReport,
  type PlanSetting,
  type WorkloadRef,
} from "./types.ts";

export interface ResolvedPlan {
  reports: PlanChangeReport[];
  cniAfter: CniConfig;
  settings: IpamdSettings;
  /** A warm-pool or mode setting changed: every node's IPAMD restarts with it. */
  settingsChanged: boolean;
  eniConfigs: EniConfigInput[];
  /** Node name -> the planned node replacing it (null when it just goes). */
  removed: Map<string, string | null>;
  added: PlanNodeSpec[];
  /** "namespace/name" of pods a scale-down deletes. */
  removedPods: Set<string>;
  /** New pods, not yet bound. */
  addedPods: PodInput[];
}

const BOOL = /^(1|t|T|true|TRUE|True|0|f|F|false|FALSE|False)$/;
const COUNT_SETTINGS = new Set<PlanSetting>([
  "WARM_ENI_TARGET",
  "WARM_IP_TARGET",
  "MINIMUM_IP_TARGET",
  "WARM_PREFIX_TARGET",
  "MAX_ENI",
  "IP_COOLDOWN_PERIOD",
]);
const BOOL_SETTINGS = new Set<PlanSetting>([
  "ENABLE_PREFIX_DELEGATION",
  "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
  "ENABLE_POD_ENI",
]);

/** aws-node's env as it is, rebuilt from what the source read of it. */
export function envOf(cni: CniConfig): Record<string, string> {
  const env: Record<string, string> = {
    ENABLE_PREFIX_DELEGATION: String(cni.prefixDelegation),
    AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: String(cni.customNetworking),
    ENABLE_POD_ENI: String(cni.podEni),
    IP_COOLDOWN_PERIOD: String(cni.ipCooldownSeconds),
  };
  const counts: [string, number | null][] = [
    ["WARM_ENI_TARGET", cni.warmEniTarget],
    ["WARM_IP_TARGET", cni.warmIpTarget],
    ["MINIMUM_IP_TARGET", cni.minimumIpTarget],
    ["WARM_PREFIX_TARGET", cni.warmPrefixTarget],
    ["MAX_ENI", cni.maxEni],
  ];
  for (const [k, v] of counts) if (v !== null) env[k] = String(v);
  if (cni.eniConfigLabelDef) env.ENI_CONFIG_LABEL_DEF = cni.eniConfigLabelDef;
  if (cni.eniConfigAnnotationDef) env.ENI_CONFIG_ANNOTATION_DEF = cni.eniConfigAnnotationDef;
  if (cni.ipv6) env.ENABLE_IPv6 = "true";
  if (cni.multiNic) env.ENABLE_MULTI_NIC = "true";
  return env;
}

function checkSetting(name: string, value: string): void {
  if (!(PLAN_SETTINGS as readonly string[]).includes(name)) {
    throw new PlanInputError(
      "unknown-setting",
      name,
      `unknown setting ${name}: a plan can change ${PLAN_SETTINGS.join(", ")}`,
    );
  }
  const setting = name as PlanSetting;
  // aws-node keeps its default for a count it cannot read (with a log line): the plan would not be what
  // was asked, so it is refused here.
  if (COUNT_SETTINGS.has(setting) && !/^\+?\d+$/.test(value)) {
    throw new PlanInputError(
      "invalid-setting",
      name,
      `${name}=${value}: must be a whole number >= 0 (aws-node would ignore it and keep its default)`,
    );
  }
  if (BOOL_SETTINGS.has(setting) && !BOOL.test(value)) {
    throw new PlanInputError(
      "invalid-setting",
      name,
      `${name}=${value}: must be true or false (aws-node would ignore it and keep its default)`,
    );
  }
}

export function count(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new PlanInputError("invalid-count", what, `${what}: must be a whole number >= 0, got ${value}`);
  }
  return value;
}

export function workloadText(w: WorkloadRef): string {
  return `${w.kind} ${w.namespace}/${w.name}`;
}

export function resolveChanges(cluster: ClusterIndex, changes: readonly PlanChange[]): ResolvedPlan {
  const input = cluster.input;
  const env = envOf(input.cni);
  const before = JSON.stringify(cniSettingsFromEnv(env));
  const reports: PlanChangeReport[] = [];
  const eniConfigs = new Map((input.eniConfigs ?? []).map((e) => [e.name, e]));
  const removed = new Map<string, string | null>();
  const added: PlanNodeSpec[] = [];
  const removedPods = new Set<string>();
  const addedPods: PodInput[] = [];
  /** Pods this plan adds, per workload: a later scale of the same workload starts from them. */
  const planned = new Map<string, PodInput[]>();
  const typeOf = (name: string) => {
    const facts = resolveInstanceType(name, input.extraInstanceTypes ?? []);
    if (facts === undefined) {
      throw new PlanInputError(
        "unknown-instance-type",
        name,
        `unknown instance type ${name}: not in eni-view's instance table`,
      );
    }
    return facts.instanceType;
  };
  const liveNodesOf = (group: string) => cluster.nodesOfGroup(group).filter((n) => !removed.has(n.name));
  // Settings first: a new node launched by a later change in the list gets the new max pods either way.
  const isSetting = (c: PlanChange) => c.kind === "set" || c.kind === "eni-config";
  const ordered = [...changes.filter(isSetting), ...changes.filter((c) => !isSetting(c))];
  let settingsAfter = (): IpamdSettings => cniSettingsFromEnv(env);

  for (const change of ordered) {
    switch (change.kind) {
      case "set": {
        const names = Object.keys(change.settings);
        if (names.length === 0)
          throw new PlanInputError("unknown-setting", "", "set: name at least one setting");
        for (const [name, value] of Object.entries(change.settings)) {
          checkSetting(name, String(value));
          env[name] = String(value);
        }
        const refused = awsNodeEnvError(env);
        if (refused !== null) {
          throw new PlanInputError(
            "invalid-setting",
            names.join(", "),
            `aws-node would not start: ${refused}`,
          );
        }
        const text = Object.entries(change.settings)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ");
        const needsNewNodes = names.some(
          (n) => n === "ENABLE_PREFIX_DELEGATION" || n === "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
        );
        reports.push({
          change,
          text: `set ${text}`,
          effect: needsNewNodes ? "both" : "at-once",
          ...(needsNewNodes
            ? {
                note: "running nodes keep kubelet's max pods and the addresses their pods hold; only nodes launched after it get the new max pods (and, with custom networking, pod ENIs in the ENIConfig's subnet from the first)",
              }
            : {}),
        });
        break;
      }
      case "eni-config": {
        if (!input.subnets.some((s) => s.id === change.subnetId)) {
          throw new PlanInputError("unknown-subnet", change.subnetId, `unknown subnet ${change.subnetId}`);
        }
        const old = eniConfigs.get(change.name);
        eniConfigs.set(change.name, {
          name: change.name,
          subnet: change.subnetId,
          securityGroups: old?.securityGroups ?? [],
        });
        reports.push({
          change,
          text: `ENIConfig ${change.name}: subnet ${change.subnetId}`,
          effect: "replaced-nodes",
          note: "IPAMD reads a node's ENIConfig when it starts: running nodes keep their subnet until replaced",
        });
        break;
      }
      case "scale": {
        const w = change.workload;
        const current = workloadPods(cluster, w);
        if (current === null) {
          throw new PlanInputError(
            "unknown-workload",
            `${w.namespace}/${w.name}`,
            `unknown workload ${workloadText(w)}: no pod in the cluster is owned by it (a workload scaled to 0 has no pod to copy)`,
          );
        }
        const replicas = count(change.replicas, `replicas of ${workloadText(w)}`);
        const live = current.filter((p) => !removedPods.has(`${p.namespace}/${p.name}`));
        const mine = planned.get(workloadText(w)) ?? [];
        const have = live.length + mine.length;
        if (replicas > have) {
          const template = live[0] ?? current[0] ?? mine[0];
          if (template !== undefined)
            mine.push(...cluster.copiesOf(template, replicas - have, w, mine.length));
        } else {
          // The pods this plan added go first (newest), then the running ones in the controller's order.
          const drop = have - replicas;
          const fromPlanned = Math.min(drop, mine.length);
          mine.splice(mine.length - fromPlanned, fromPlanned);
          for (const pod of cluster.scaleDownOrder(live, w).slice(0, drop - fromPlanned))
            removedPods.add(`${pod.namespace}/${pod.name}`);
        }
        planned.set(workloadText(w), mine);
        reports.push({
          change,
          text: `scale ${workloadText(w)} ${have} -> ${replicas}`,
          effect: "at-once",
        });
        break;
      }
      case "more-pods": {
        const template = cluster.pod(change.like.namespace, change.like.name);
        if (template === undefined) {
          throw new PlanInputError(
            "unknown-pod",
            `${change.like.namespace}/${change.like.name}`,
            `unknown pod ${change.like.namespace}/${change.like.name}`,
          );
        }
        const n = count(change.count, `pods like ${change.like.namespace}/${change.like.name}`);
        addedPods.push(...cluster.copiesOf(template, n, null));
        reports.push({
          change,
          text: `${n} more pod${n === 1 ? "" : "s"} like ${change.like.namespace}/${change.like.name}`,
          effect: "at-once",
        });
        break;
      }
      case "add-nodes": {
        cluster.requireGroup(change.nodeGroup);
        const n = count(change.count, `nodes to add to ${change.nodeGroup}`);
        const type = change.instanceType === undefined ? undefined : typeOf(change.instanceType);
        for (let i = 0; i < n; i++)
          added.push(newNodeSpec(cluster, change.nodeGroup, type, null, settingsAfter(), added, removed));
        reports.push({
          change,
          text: `add ${n} node${n === 1 ? "" : "s"} to ${change.nodeGroup}${type ? ` (${type})` : ""}`,
          effect: "at-once",
        });
        break;
      }
      case "remove-nodes": {
        cluster.requireGroup(change.nodeGroup);
        const live = liveNodesOf(change.nodeGroup);
        const n = count(change.count, `nodes to remove from ${change.nodeGroup}`);
        if (n > live.length) {
          throw new PlanInputError(
            "invalid-count",
            change.nodeGroup,
            `node group ${change.nodeGroup} has ${live.length} node${live.length === 1 ? "" : "s"}: cannot remove ${n}`,
          );
        }
        // An Auto Scaling group scaling in takes the newest nodes first.
        const victims = [...live]
          .sort(
            (a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? "") || b.name.localeCompare(a.name),
          )
          .slice(0, n);
        for (const v of victims) removed.set(v.name, null);
        reports.push({
          change,
          text: `remove ${n} node${n === 1 ? "" : "s"} from ${change.nodeGroup}`,
          effect: "at-once",
        });
        break;
      }
      case "new-node-group": {
        if (cluster.groups.has(change.name)) {
          throw new PlanInputError(
            "invalid-count",
            change.name,
            `node group ${change.name} already exists: add nodes to it instead`,
          );
        }
        const type = typeOf(change.instanceType);
        const n = count(change.nodes, `nodes of new node group ${change.name}`);
        if (
          change.maxPods !== undefined &&
          (!Number.isInteger(change.maxPods) || change.maxPods < 1 || change.maxPods > 250)
        ) {
          throw new PlanInputError(
            "invalid-count",
            `maxPods of ${change.name}`,
            `maxPods of ${change.name}: must be a whole number from 1 to 250, got ${change.maxPods}`,
          );
        }
        for (const s of change.subnets ?? []) {
          if (!input.subnets.some((x) => x.id === s))
            throw new PlanInputError("unknown-subnet", s, `unknown subnet ${s}`);
        }
        cluster.defineGroup(change, type);
        for (let i = 0; i < n; i++)
          added.push(newNodeSpec(cluster, change.name, type, null, settingsAfter(), added, removed));
        reports.push({
          change,
          text: `new node group ${change.name}: ${n} x ${type}`,
          effect: "at-once",
        });
        break;
      }
      case "instance-type": {
        cluster.requireGroup(change.nodeGroup);
        const type = typeOf(change.instanceType);
        const rolled = rollGroup(
          cluster,
          liveNodesOf(change.nodeGroup),
          type,
          settingsAfter(),
          added,
          removed,
        );
        cluster.setGroupType(change.nodeGroup, type);
        reports.push({
          change,
          text: `${change.nodeGroup} -> ${type}: replaces ${rolled} node${rolled === 1 ? "" : "s"}`,
          effect: "replaced-nodes",
          note: "the group's launch template changes; its nodes are replaced one by one (roll-over)",
        });
        break;
      }
      case "roll-nodes": {
        if (change.nodeGroup !== undefined) cluster.requireGroup(change.nodeGroup);
        const groups = change.nodeGroup === undefined ? [...cluster.groups.keys()] : [change.nodeGroup];
        let rolled = 0;
        for (const g of groups)
          rolled += rollGroup(cluster, liveNodesOf(g), undefined, settingsAfter(), added, removed);
        reports.push({
          change,
          text: `roll ${change.nodeGroup ?? "every node group"}: replaces ${rolled} node${rolled === 1 ? "" : "s"}`,
          effect: "at-once",
        });
        break;
      }
    }
    settingsAfter = () => cniSettingsFromEnv(env);
  }
  const settings = cniSettingsFromEnv(env);
  const cniAfter: CniConfig = reports.some((r) => r.change.kind === "set")
    ? {
        ...cniConfigFromEnv(env, input.cni.version),
        detected: input.cni.detected,
        externalSnat: input.cni.externalSnat,
      }
    : input.cni;
  for (const pods of planned.values()) addedPods.push(...pods);
  return {
    reports,
    cniAfter,
    settings,
    settingsChanged: JSON.stringify(settings) !== before,
    eniConfigs: [...eniConfigs.values()],
    removed,
    added,
    removedPods,
    addedPods,
  };
}

function rollGroup(
  cluster: ClusterIndex,
  nodes: readonly { name: string }[],
  type: string | undefined,
  settings: IpamdSettings,
  added: PlanNodeSpec[],
  removed: Map<string, string | null>,
): number {
  for (const node of nodes) {
    const spec = newNodeSpec(cluster, cluster.groupOf(node.name), type, node.name, settings, added, removed);
    added.push(spec);
    removed.set(node.name, spec.name);
  }
  return nodes.length;
}
