// Scenario files (packages/sim/scenarios/*.json): a cluster declared in data, checked here so a mistake
// in a file is reported by field name instead of failing somewhere inside the simulator.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  NodeShapeError,
  nodeShape,
  type ServerMessage,
  type ServerValues,
  serverMessage,
  type serverMessages,
} from "@eni-view/model";
import type { ContainerSpec } from "../cluster/workloads.ts";
import { parseIpv6Slash64 } from "../ec2/ipv6.ts";
import { parseNeighbours } from "./neighbourDecls.ts";
import type { NeighbourDecls } from "./neighbours.ts";

export interface SubnetDecl {
  zone: string;
  zoneId: string;
  cidr: string;
  name: string;
  /** The subnet's IPv6 CIDR block, a /64 (an IPv6 cluster's subnets). */
  ipv6Cidr?: string;
  /** AWS services' ENIs and CIDR reservations in the subnet (neighbours.ts). */
  neighbours?: NeighbourDecls;
}

export interface NodeGroupDecl {
  name: string;
  instanceType: string;
  /** Small scenarios: nodes in each subnet. */
  perSubnet?: number;
  /** Generated scenarios: this group's share of the nodes. */
  share?: number;
  capacityType?: "ON_DEMAND" | "SPOT";
  /** kubelet max pods when set above (or below) what the ENIs give. */
  maxPods?: number;
  memoryMiB?: number;
  labels?: Record<string, string>;
  /** EFA interfaces the launch template asks for, one per network card from card 1 on (efa.ts). */
  efaInterfaces?: number;
  /** Generated scenarios: "overflow" gets more pods than fit (Pending), "overcommit" more than its IPs. */
  fill?: "overflow" | "overcommit";
  /** The nodes' OS (kubernetes.io/os): Windows nodes run no aws-node; the VPC resource controller gives their
   * pods secondary IPs of the primary ENI (controllers/windowsIpam.ts). Linux when absent. */
  os?: "linux" | "windows";
  /** Taints the nodes register with (kubelet --register-with-taints, a managed node group's taints). */
  taints?: NodeTaintDecl[];
}

export interface NodeTaintDecl {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface TolerationDecl {
  key?: string;
  operator?: "Equal" | "Exists";
  value?: string;
  effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface DeploymentDecl {
  namespace: string;
  name: string;
  replicas: number;
  labels: Record<string, string>;
  containers: ContainerSpec[];
  nodeSelector?: Record<string, string>;
  tolerations?: TolerationDecl[];
}

/** An EKS Fargate profile: pods in `namespace` whose labels include `labels` run on Fargate, one per node. */
export interface FargateProfileDecl {
  name: string;
  selectors: { namespace: string; labels?: Record<string, string> }[];
}

/** An ENIConfig (custom networking): a pod subnet in one AZ, created in the VPC's secondary CIDR. */
export interface EniConfigDecl {
  name: string;
  zone: string;
  zoneId: string;
  cidr: string;
}

export interface Scenario {
  name: string;
  description: string;
  region: string;
  clusterName: string;
  vpcCidr: string;
  subnets: SubnetDecl[];
  /** `configMap`: the data of kube-system's amazon-vpc-cni ConfigMap, which the VPC resource controller reads
   * (enable-windows-ipam, windows-warm-ip-target ...); no ConfigMap when absent. */
  cni: { version: string; env: Record<string, string>; configMap?: Record<string, string> };
  nodeGroups: NodeGroupDecl[];
  system: { awsNode: boolean; kubeProxy: boolean; corednsReplicas: number };
  deployments?: DeploymentDecl[];
  /** Present for generated scenarios: sizes, overridable by --nodes and --pods-per-node. */
  generate?: { nodes: number; podsPerNode: number };
  /** ENIConfigs (installs the ENIConfig CRD); each node is labelled k8s.amazonaws.com/eniConfig with the one
   * of its AZ. Declared scenarios only. */
  eniConfigs?: EniConfigDecl[];
  /** Installs the CNINode CRD: one CNINode per node, as the VPC resource controller makes them. */
  cniNodes?: boolean;
  /** Who runs the nodes: EKS managed node groups (default) or kOps instance groups (labels, tags, and
   * kOps's max pods rule). */
  provisioner?: "eks" | "kops";
  /** Fargate profiles (fargate.ts); their pods' ENIs go in the scenario's subnets. Declared scenarios only. */
  fargateProfiles?: FargateProfileDecl[];
}

export class ScenarioError extends Error {
  readonly code = "InvalidScenario";
  /** The message as a key of the model's server catalogue, when it has one: the CLI, the page and the
   * admin endpoint say it in their language (a scenario file's field errors too: scenario.field.*). */
  readonly said: ServerMessage | null;
  constructor(message: string | ServerMessage) {
    const said = typeof message === "string" ? null : serverMessage(message.key, message.values);
    super(said ? said.text : (message as string));
    this.said = said ? { key: said.key, values: said.values ?? {} } : null;
  }
}

const scenarioDir = fileURLToPath(new URL("../../scenarios/", import.meta.url));

/** The scenario files shipped in packages/sim/scenarios, scale-lab (the default) first. */
export const builtInScenarios = readdirSync(scenarioDir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -".json".length))
  .sort((a, b) => Number(b === "scale-lab") - Number(a === "scale-lab") || a.localeCompare(b));

type Json = Record<string, unknown>;

/** What a scenario file's field can be wrong about: a key of the catalogue's scenario.field. */
export type FieldReason = keyof typeof serverMessages.en.scenario.field;

/** Refuses a scenario file at `where` (its JSON path) unless `cond`, saying why in the CLI's language. */
export function check(
  cond: boolean,
  where: string,
  reason: FieldReason,
  values: ServerValues = {},
): asserts cond {
  if (!cond) throw new ScenarioError({ key: `scenario.field.${reason}`, values: { where, ...values } });
}

/** The choices a field may take, as the refusal lists them. */
const oneOf = (choices: readonly string[]) => ({ choices: choices.join(", ") });

function str(obj: Json, key: string, where: string): string {
  const v = obj[key];
  check(typeof v === "string" && v !== "", `${where}.${key}`, "nonEmptyString");
  return v;
}

function stringMap(v: unknown, where: string): Record<string, string> {
  check(typeof v === "object" && v !== null && !Array.isArray(v), where, "objectOfStrings");
  for (const [k, x] of Object.entries(v)) check(typeof x === "string", `${where}.${k}`, "string");
  return v as Record<string, string>;
}

function count(v: unknown, where: string, min = 0): number {
  check(typeof v === "number" && Number.isInteger(v) && v >= min, where, "wholeNumber", { min });
  return v;
}

function list(obj: Json, key: string, where: string): Json[] {
  const v = obj[key];
  check(Array.isArray(v) && v.length > 0, `${where}.${key}`, "nonEmptyList");
  for (const [i, x] of v.entries())
    check(typeof x === "object" && x !== null, `${where}.${key}[${i}]`, "object");
  return v as Json[];
}

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

function taintDecls(v: unknown, where: string): NodeTaintDecl[] {
  check(Array.isArray(v), where, "list");
  return v.map((t, i) => {
    const w = `${where}[${i}]`;
    check(typeof t === "object" && t !== null, w, "object");
    const o = t as Json;
    check(EFFECTS.includes(o.effect as string), `${w}.effect`, "oneOf", oneOf(EFFECTS));
    return {
      key: str(o, "key", w),
      ...(o.value === undefined ? {} : { value: str(o, "value", w) }),
      effect: o.effect as NodeTaintDecl["effect"],
    };
  });
}

function tolerationDecls(v: unknown, where: string): TolerationDecl[] {
  check(Array.isArray(v), where, "list");
  return v.map((t, i) => {
    const w = `${where}[${i}]`;
    check(typeof t === "object" && t !== null, w, "object");
    const o = t as Json;
    check(
      o.operator === undefined || o.operator === "Equal" || o.operator === "Exists",
      `${w}.operator`,
      "oneOf",
      oneOf(["Equal", "Exists"]),
    );
    check(
      o.effect === undefined || EFFECTS.includes(o.effect as string),
      `${w}.effect`,
      "oneOf",
      oneOf(EFFECTS),
    );
    for (const k of ["key", "value"])
      check(o[k] === undefined || typeof o[k] === "string", `${w}.${k}`, "string");
    return o as TolerationDecl;
  });
}

function ipv6Cidr(v: unknown, where: string): string {
  check(typeof v === "string" && parseIpv6Slash64(v) !== null, where, "ipv6Cidr", {
    value: String(JSON.stringify(v)).slice(0, 100),
  });
  return v;
}

export function parseScenario(doc: unknown, origin: string): Scenario {
  check(typeof doc === "object" && doc !== null && !Array.isArray(doc), origin, "scenarioObject");
  const o = doc as Json;
  const subnets = list(o, "subnets", origin).map((s, i) => {
    const where = `${origin}: subnets[${i}]`;
    const cidr = str(s, "cidr", where);
    check(/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr), `${where}.cidr`, "ipv4Cidr", { value: cidr });
    return {
      zone: str(s, "zone", where),
      zoneId: str(s, "zoneId", where),
      cidr,
      name: str(s, "name", where),
      ...(s.ipv6Cidr === undefined ? {} : { ipv6Cidr: ipv6Cidr(s.ipv6Cidr, `${where}.ipv6Cidr`) }),
      ...(s.neighbours === undefined
        ? {}
        : { neighbours: parseNeighbours(s.neighbours, `${where}.neighbours`) }),
    };
  });
  const zones = new Set(subnets.map((s) => s.zone));
  const generate = o.generate as Json | undefined;
  const nodeGroups = list(o, "nodeGroups", origin).map((g, i): NodeGroupDecl => {
    const where = `${origin}: nodeGroups[${i}]`;
    const group: NodeGroupDecl = { name: str(g, "name", where), instanceType: str(g, "instanceType", where) };
    if (generate) {
      check(typeof g.share === "number" && g.share > 0 && g.share <= 1, `${where}.share`, "share");
      group.share = g.share;
    } else group.perSubnet = count(g.perSubnet, `${where}.perSubnet`, 1);
    if (g.capacityType !== undefined) {
      check(
        g.capacityType === "ON_DEMAND" || g.capacityType === "SPOT",
        `${where}.capacityType`,
        "oneOf",
        oneOf(["ON_DEMAND", "SPOT"]),
      );
      group.capacityType = g.capacityType;
    }
    if (g.maxPods !== undefined) group.maxPods = count(g.maxPods, `${where}.maxPods`, 1);
    if (g.memoryMiB !== undefined) group.memoryMiB = count(g.memoryMiB, `${where}.memoryMiB`, 256);
    if (g.labels !== undefined) group.labels = stringMap(g.labels, `${where}.labels`);
    if (g.efaInterfaces !== undefined)
      group.efaInterfaces = count(g.efaInterfaces, `${where}.efaInterfaces`, 1);
    if (g.fill !== undefined) {
      check(
        g.fill === "overflow" || g.fill === "overcommit",
        `${where}.fill`,
        "oneOf",
        oneOf(['"overflow"', '"overcommit"']),
      );
      group.fill = g.fill;
    }
    if (g.os !== undefined) {
      check(g.os === "linux" || g.os === "windows", `${where}.os`, "oneOf", oneOf(['"linux"', '"windows"']));
      group.os = g.os;
    }
    if (g.taints !== undefined) group.taints = taintDecls(g.taints, `${where}.taints`);
    return group;
  });
  const system = (o.system ?? {}) as Json;
  const deployments = ((o.deployments as Json[] | undefined) ?? []).map((d, i): DeploymentDecl => {
    const where = `${origin}: deployments[${i}]`;
    const containers = list(d, "containers", where).map((c, j) => {
      const cw = `${where}.containers[${j}]`;
      return { ...(c as object), name: str(c, "name", cw), image: str(c, "image", cw) } as ContainerSpec;
    });
    return {
      namespace: str(d, "namespace", where),
      name: str(d, "name", where),
      replicas: count(d.replicas, `${where}.replicas`),
      labels: stringMap(d.labels, `${where}.labels`),
      containers,
      ...(d.nodeSelector ? { nodeSelector: stringMap(d.nodeSelector, `${where}.nodeSelector`) } : {}),
      ...(d.tolerations ? { tolerations: tolerationDecls(d.tolerations, `${where}.tolerations`) } : {}),
    };
  });
  const cni = (o.cni ?? {}) as Json;
  const scenario: Scenario = {
    name: str(o, "name", origin),
    description: str(o, "description", origin),
    region: str(o, "region", origin),
    clusterName: str(o, "clusterName", origin),
    vpcCidr: str(o, "vpcCidr", origin),
    subnets,
    cni: {
      version: str(cni, "version", `${origin}: cni`),
      env: stringMap(cni.env ?? {}, `${origin}: cni.env`),
      ...(cni.configMap === undefined
        ? {}
        : { configMap: stringMap(cni.configMap, `${origin}: cni.configMap`) }),
    },
    nodeGroups,
    system: {
      awsNode: system.awsNode !== false,
      kubeProxy: system.kubeProxy !== false,
      corednsReplicas: count(system.corednsReplicas ?? 2, `${origin}: system.corednsReplicas`),
    },
    deployments,
  };
  for (const s of subnets)
    check(s.zone.startsWith(scenario.region), `${origin}: subnets`, "zoneRegion", {
      zone: s.zone,
      region: scenario.region,
    });
  check(zones.size > 0, origin, "noSubnet");
  if (o.eniConfigs !== undefined) {
    check(!generate, `${origin}: eniConfigs`, "declaredOnly");
    scenario.eniConfigs = list(o, "eniConfigs", origin).map((e, i) => {
      const where = `${origin}: eniConfigs[${i}]`;
      const cidr = str(e, "cidr", where);
      check(/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr), `${where}.cidr`, "ipv4Cidr", { value: cidr });
      const zone = str(e, "zone", where);
      check(zones.has(zone), `${where}.zone`, "noZoneSubnet", { zone });
      return { name: str(e, "name", where), zone, zoneId: str(e, "zoneId", where), cidr };
    });
  }
  if (o.fargateProfiles !== undefined) {
    check(!generate, `${origin}: fargateProfiles`, "declaredOnly");
    scenario.fargateProfiles = list(o, "fargateProfiles", origin).map((f, i) => {
      const where = `${origin}: fargateProfiles[${i}]`;
      const selectors = list(f, "selectors", where).map((s, j) => ({
        namespace: str(s, "namespace", `${where}.selectors[${j}]`),
        ...(s.labels === undefined ? {} : { labels: stringMap(s.labels, `${where}.selectors[${j}].labels`) }),
      }));
      return { name: str(f, "name", where), selectors };
    });
  }
  if (o.provisioner !== undefined) {
    check(
      o.provisioner === "eks" || o.provisioner === "kops",
      `${origin}: provisioner`,
      "oneOf",
      oneOf(['"eks"', '"kops"']),
    );
    scenario.provisioner = o.provisioner as "eks" | "kops";
  }
  if (o.cniNodes !== undefined) {
    check(typeof o.cniNodes === "boolean", `${origin}: cniNodes`, "boolean");
    scenario.cniNodes = o.cniNodes as boolean;
  }
  // A type the model cannot shape a node of is the file's mistake: said with its path, not at the first launch.
  for (const [i, g] of nodeGroups.entries()) {
    try {
      nodeShape(g.instanceType, {
        prefixDelegation: false,
        maxPods: g.maxPods ?? null,
        memoryMiB: g.memoryMiB ?? null,
        provisioner: scenario.provisioner ?? "eks",
      });
    } catch (err) {
      if (!(err instanceof NodeShapeError)) throw err;
      const reason = err.said.key.split(".").pop() as "unknownType" | "unknownMaxPods" | "unknownMemory";
      check(false, `${origin}: nodeGroups[${i}].instanceType`, reason, err.said.values);
    }
  }
  if (generate) {
    scenario.generate = {
      nodes: count(generate.nodes, `${origin}: generate.nodes`, 1),
      podsPerNode: count(generate.podsPerNode, `${origin}: generate.podsPerNode`),
    };
  }
  return scenario;
}

/** A built-in scenario by name, or a scenario file by path (anything containing "/" or ending in .json). */
export function loadScenario(nameOrPath: string): Scenario {
  const isPath = nameOrPath.includes("/") || nameOrPath.endsWith(".json");
  if (!isPath && !builtInScenarios.includes(nameOrPath)) {
    throw new ScenarioError({
      key: "scenario.unknown",
      values: { name: nameOrPath, builtIn: builtInScenarios.join(", ") },
    });
  }
  const path = isPath ? nameOrPath : `${scenarioDir}${nameOrPath}.json`;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ScenarioError({
      key: "scenario.unreadable",
      values: { path, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message },
    });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError({ key: "scenario.notJson", values: { path, error: (err as Error).message } });
  }
  return parseScenario(doc, path);
}
