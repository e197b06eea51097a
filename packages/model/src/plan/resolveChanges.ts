// The changes of a plan checked against the cluster and turned into what the steps need: the settings
// aws-node restarts with, the nodes that go and come, the pods that go and come. Anything named that the
// cluster does not have, and any value aws-node or kubectl would refuse, throws a PlanInputError.
import { awsNodeEnvError, cniSettingsFromEnv, type IpamdSettings } from "../awsNodeEnv.ts";
import { cniConfigFromEnv } from "../cniConfig.ts";
import { resolveInstanceType } from "../limits/lookup.ts";
import { type PlannerValues, plannerEnglish } from "../messages/plannerText.ts";
import { scaleInVictims } from "../scaleIn.ts";
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
      plannerEnglish("error.unknownSetting", { name, settings: PLAN_SETTINGS.join(", ") }),
    );
  }
  const setting = name as PlanSetting;
  // aws-node keeps its default for a count it cannot read (with a log line): the plan would not be what
  // was asked, so it is refused here.
  if (COUNT_SETTINGS.has(setting) && !/^\+?\d+$/.test(value)) {
    throw new PlanInputError("invalid-setting", name, plannerEnglish("error.countSetting", { name, value }));
  }
  if (BOOL_SETTINGS.has(setting) && !BOOL.test(value)) {
    throw new PlanInputError("invalid-setting", name, plannerEnglish("error.boolSetting", { name, value }));
  }
}

/** `value` checked as a count; `what` and `values` name it from the catalogue's "what" section. */
export function count(value: number, what: string, values: PlannerValues): number {
  if (!Number.isInteger(value) || value < 0) {
    const named = plannerEnglish(`what.${what}`, values);
    throw new PlanInputError(
      "invalid-count",
      named,
      plannerEnglish("error.invalidCount", { what: named, value: String(value) }),
    );
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
        plannerEnglish("error.unknownInstanceType", { name }),
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
          throw new PlanInputError("unknown-setting", "", plannerEnglish("error.setNothing"));
        for (const [name, value] of Object.entries(change.settings)) {
          checkSetting(name, String(value));
          env[name] = String(value);
        }
        const refused = awsNodeEnvError(env);
        if (refused !== null) {
          throw new PlanInputError(
            "invalid-setting",
            names.join(", "),
            plannerEnglish("error.awsNode", { reason: refused }),
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
          text: plannerEnglish("change.set", { settings: text }),
          effect: needsNewNodes ? "both" : "at-once",
          ...(needsNewNodes
            ? {
                note: plannerEnglish("note.newNodesOnly"),
              }
            : {}),
        });
        break;
      }
      case "eni-config": {
        if (!input.subnets.some((s) => s.id === change.subnetId)) {
          throw new PlanInputError(
            "unknown-subnet",
            change.subnetId,
            plannerEnglish("error.unknownSubnet", { subnet: change.subnetId }),
          );
        }
        const old = eniConfigs.get(change.name);
        eniConfigs.set(change.name, {
          name: change.name,
          subnet: change.subnetId,
          securityGroups: old?.securityGroups ?? [],
        });
        reports.push({
          change,
          text: plannerEnglish("change.eniConfig", { name: change.name, subnet: change.subnetId }),
          effect: "both",
          note: plannerEnglish("note.eniConfig"),
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
            plannerEnglish("error.unknownWorkload", { kind: w.kind, workload: `${w.namespace}/${w.name}` }),
          );
        }
        const replicas = count(change.replicas, "replicas", {
          kind: w.kind,
          workload: `${w.namespace}/${w.name}`,
        });
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
          text: plannerEnglish("change.scale", {
            kind: w.kind,
            workload: `${w.namespace}/${w.name}`,
            from: have,
            to: replicas,
          }),
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
            plannerEnglish("error.unknownPod", { pod: `${change.like.namespace}/${change.like.name}` }),
          );
        }
        const pod = `${change.like.namespace}/${change.like.name}`;
        const n = count(change.count, "podsLike", { pod });
        addedPods.push(...cluster.copiesOf(template, n, null));
        reports.push({
          change,
          text: plannerEnglish("change.morePods", { count: n, pod }),
          effect: "at-once",
        });
        break;
      }
      case "add-nodes": {
        cluster.requireGroup(change.nodeGroup);
        const n = count(change.count, "addTo", { group: change.nodeGroup });
        const type = change.instanceType === undefined ? undefined : typeOf(change.instanceType);
        for (let i = 0; i < n; i++)
          added.push(newNodeSpec(cluster, change.nodeGroup, type, null, settingsAfter(), added, removed));
        reports.push({
          change,
          text: plannerEnglish(type ? "change.addNodesOfType" : "change.addNodes", {
            count: n,
            group: change.nodeGroup,
            type: type ?? "",
          }),
          effect: "at-once",
        });
        break;
      }
      case "remove-nodes": {
        cluster.requireGroup(change.nodeGroup);
        const live = liveNodesOf(change.nodeGroup);
        const n = count(change.count, "removeFrom", { group: change.nodeGroup });
        if (n > live.length) {
          throw new PlanInputError(
            "invalid-count",
            change.nodeGroup,
            plannerEnglish("error.tooFewNodes", { group: change.nodeGroup, count: live.length, remove: n }),
          );
        }
        // As the group's Auto Scaling group scales in: its fullest zone first (scaleIn.ts).
        const victims = scaleInVictims(live, n);
        for (const v of victims) removed.set(v.name, null);
        reports.push({
          change,
          text: plannerEnglish("change.removeNodes", { count: n, group: change.nodeGroup }),
          effect: "at-once",
        });
        break;
      }
      case "new-node-group": {
        if (cluster.groups.has(change.name)) {
          throw new PlanInputError(
            "invalid-count",
            change.name,
            plannerEnglish("error.groupExists", { name: change.name }),
          );
        }
        const type = typeOf(change.instanceType);
        const n = count(change.nodes, "newGroup", { name: change.name });
        if (
          change.maxPods !== undefined &&
          (!Number.isInteger(change.maxPods) || change.maxPods < 1 || change.maxPods > 250)
        ) {
          throw new PlanInputError(
            "invalid-count",
            `maxPods of ${change.name}`,
            plannerEnglish("error.maxPods", { name: change.name, value: String(change.maxPods) }),
          );
        }
        for (const s of change.subnets ?? []) {
          if (!input.subnets.some((x) => x.id === s))
            throw new PlanInputError(
              "unknown-subnet",
              s,
              plannerEnglish("error.unknownSubnet", { subnet: s }),
            );
        }
        cluster.defineGroup(change, type);
        for (let i = 0; i < n; i++)
          added.push(newNodeSpec(cluster, change.name, type, null, settingsAfter(), added, removed));
        reports.push({
          change,
          text: plannerEnglish("change.newGroup", { name: change.name, nodeCount: n, type }),
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
          text: plannerEnglish("change.instanceType", { group: change.nodeGroup, type, count: rolled }),
          effect: "replaced-nodes",
          note: plannerEnglish("note.rollOver"),
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
          text:
            change.nodeGroup === undefined
              ? plannerEnglish("change.rollAll", { count: rolled })
              : plannerEnglish("change.roll", { group: change.nodeGroup, count: rolled }),
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
