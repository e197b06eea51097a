// Node groups as EKS managed node groups and kOps instance groups run them: a size kept by an Auto Scaling
// group (a Node deleted through the API has its instance terminated and a new one launched, spread over
// the AZs), a launch configuration (instance type, kubelet max pods) that only new nodes get, and a rolling
// update that replaces outdated nodes one at a time: EKS launches the new node first, then cordons and
// drains the old one; kOps drains and terminates first, then waits for the replacement. A new node's max
// pods follows the CNI settings aws-node runs with (nodeShape.ts).
import { awsNodeStartup, capacityFor, NodeShapeError, nodeShape, scaleInVictims } from "@eni-view/model";
import { SaidSimError } from "../adminWords.ts";
import type { Ec2State, SimClock, SimCniSettings, SimRandom, SimSubnet } from "../contracts.ts";
import { terminateInstance } from "../ec2/mutations.ts";
import type { SimPodNetwork } from "../ipamd/podNetwork.ts";
import { patchNode } from "../kube/nodePatch.ts";
import { deletePod } from "../kube/podDeletion.ts";
import type { ObjectStore } from "../kube/store.ts";
import type { KubeObject, StoreChange } from "../kube/types.ts";
import { groupNodeShape, joinNode } from "../scenarios/nodes.ts";
import type { NodeGroupDecl, Scenario } from "../scenarios/scenario.ts";
import type { EventRecorder } from "./events.ts";
import type { PodIndex } from "./podIndex.ts";

/** A node group change refused, by the catalogue's key (admin.*) and values: the admin endpoint says it
 * in the language the request asks for. */
export class NodeGroupError extends SaidSimError {
  readonly status: number;
  constructor(status: number, key: string, values: Record<string, string | number> = {}) {
    super(key, values);
    this.status = status;
  }
}

export interface NodeGroupChange {
  instanceType?: string;
  size?: number;
  maxPods?: number | null;
}

export interface NodeGroupView {
  name: string;
  provisioner: "eks" | "kops";
  instanceType: string;
  size: number;
  /** kubelet max pods set for the group; null: computed for each new node. */
  maxPods: number | null;
  /** What a node launched now gets. */
  newNodeMaxPods: number;
  nodes: { name: string; instanceType: string; maxPods: number; outdated: boolean; cordoned: boolean }[];
  rolling: boolean;
}

interface Group {
  decl: NodeGroupDecl;
  size: number;
  launching: number;
  roll: { queue: string[]; current: string | null; surged: boolean } | null;
}

export interface NodeGroupOptions {
  scenario: Scenario;
  store: ObjectStore;
  state: Ec2State;
  network: SimPodNetwork;
  random: SimRandom;
  events: EventRecorder;
  clock: SimClock;
  pods: PodIndex;
  /** The CNI settings of the scenario, used while aws-node's env cannot be read. */
  cni: SimCniSettings;
  /** Simulated ms from an Auto Scaling launch to the node registering. */
  launchDelayMs?: number;
}

const groupLabels = ["eks.amazonaws.com/nodegroup", "kops.k8s.io/instancegroup"];

function groupOf(node: KubeObject): string | undefined {
  for (const label of groupLabels) {
    const value = node.metadata.labels?.[label];
    if (value !== undefined) return value;
  }
  return undefined;
}

function instanceIdOf(node: KubeObject): string {
  return (
    String(node.spec?.providerID ?? "")
      .split("/")
      .pop() ?? ""
  );
}

export class NodeGroups {
  private readonly o: NodeGroupOptions;
  private readonly groups = new Map<string, Group>();
  private reconciling = false;
  private readonly unsubscribe: () => void;
  private readonly stopLoop: () => void;

  constructor(options: NodeGroupOptions) {
    this.o = options;
    const subnets = this.nodeSubnets().length;
    for (const decl of options.scenario.nodeGroups) {
      const size = options.scenario.generate
        ? this.nodesOf(decl.name).length
        : (decl.perSubnet ?? 1) * subnets;
      this.groups.set(decl.name, { decl: { ...decl }, size, launching: 0, roll: null });
    }
    this.unsubscribe = options.store.subscribe((change) => this.observe(change));
    this.stopLoop = options.clock.every(2_000, () => this.step());
  }

  stop(): void {
    this.unsubscribe();
    this.stopLoop();
  }

  private get provisioner(): "eks" | "kops" {
    return this.o.scenario.provisioner ?? "eks";
  }

  private nodeSubnets(): SimSubnet[] {
    const { scenario, state } = this.o;
    return [...state.subnets.values()].filter((subnet) =>
      scenario.subnets.some((s) => s.cidr === subnet.cidr && s.zone === subnet.zone),
    );
  }

  private nodesOf(group: string): KubeObject[] {
    return [...this.o.store.all("nodes")].filter((n) => groupOf(n) === group);
  }

  /** The settings aws-node runs with now: its DaemonSet's env, as a starting aws-node reads it. */
  private cniSettings(): SimCniSettings {
    const ds = this.o.store.get("daemonsets", "kube-system", "aws-node");
    const container = (ds?.spec?.template?.spec?.containers ?? []).find(
      (c: { name: string }) => c.name === "aws-node",
    );
    if (!container) return this.o.cni;
    const env: Record<string, string> = {};
    for (const e of container.env ?? []) if (typeof e.value === "string") env[e.name] = e.value;
    const started = awsNodeStartup(env);
    return started.ok ? started.settings : this.o.cni;
  }

  private newNodeMaxPods(group: Group): number {
    return groupNodeShape(group.decl, this.cniSettings().prefixDelegation, this.provisioner).maxPods;
  }

  private outdated(group: Group, node: KubeObject): boolean {
    return (
      node.metadata.labels?.["node.kubernetes.io/instance-type"] !== group.decl.instanceType ||
      Number(node.status?.capacity?.pods) !== this.newNodeMaxPods(group)
    );
  }

  list(): NodeGroupView[] {
    return [...this.groups.values()].map((g) => this.view(g));
  }

  private view(group: Group): NodeGroupView {
    return {
      name: group.decl.name,
      provisioner: this.provisioner,
      instanceType: group.decl.instanceType,
      size: group.size,
      maxPods: group.decl.maxPods ?? null,
      newNodeMaxPods: this.newNodeMaxPods(group),
      nodes: this.nodesOf(group.decl.name).map((n) => ({
        name: n.metadata.name,
        instanceType: n.metadata.labels?.["node.kubernetes.io/instance-type"] ?? "",
        maxPods: Number(n.status?.capacity?.pods),
        outdated: this.outdated(group, n),
        cordoned: n.spec?.unschedulable === true,
      })),
      rolling: group.roll !== null,
    };
  }

  private group(name: string): Group {
    const group = this.groups.get(name);
    if (!group) {
      throw new NodeGroupError(404, "admin.noGroup", { name, groups: [...this.groups.keys()].join(", ") });
    }
    return group;
  }

  /** `eksctl scale nodegroup` / `kops edit ig`: a new launch configuration and size. */
  update(name: string, change: NodeGroupChange): NodeGroupView {
    const group = this.group(name);
    const known = new Set(["instanceType", "size", "maxPods"]);
    for (const key of Object.keys(change)) {
      if (!known.has(key)) throw new NodeGroupError(400, "admin.unknownField", { field: key });
    }
    const next: NodeGroupDecl = { ...group.decl };
    if (change.instanceType !== undefined) {
      if (typeof change.instanceType !== "string" || !capacityFor(change.instanceType).known) {
        throw new NodeGroupError(400, "admin.instanceType", { value: String(change.instanceType) });
      }
      next.instanceType = change.instanceType;
    }
    if (change.maxPods !== undefined) {
      if (change.maxPods === null) delete next.maxPods;
      else if (!Number.isInteger(change.maxPods) || change.maxPods < 1 || change.maxPods > 250) {
        throw new NodeGroupError(400, "admin.maxPods", { got: String(JSON.stringify(change.maxPods)) });
      } else next.maxPods = change.maxPods;
    }
    if (
      change.size !== undefined &&
      (!Number.isInteger(change.size) || change.size < 0 || change.size > 1000)
    ) {
      throw new NodeGroupError(400, "admin.size", { got: String(JSON.stringify(change.size)) });
    }
    // Fails here (unknown memory of a type) rather than at the first launch.
    try {
      nodeShape(next.instanceType, {
        prefixDelegation: false,
        maxPods: next.maxPods ?? null,
        memoryMiB: next.memoryMiB ?? null,
      });
    } catch (err) {
      if (err instanceof NodeShapeError) throw new NodeGroupError(400, err.said.key, err.said.values);
      throw err;
    }
    group.decl = next;
    if (change.size !== undefined) group.size = change.size;
    this.reconcile(group);
    return this.view(group);
  }

  /** `eksctl upgrade nodegroup` / `kops rolling-update cluster --yes`: replace outdated nodes (every node
   * with `force`), one at a time. */
  rollingUpdate(name: string | null, force: boolean): NodeGroupView[] {
    const targets = name === null ? [...this.groups.values()] : [this.group(name)];
    for (const group of targets) {
      const queue = this.nodesOf(group.decl.name)
        .filter((n) => force || this.outdated(group, n))
        .map((n) => n.metadata.name)
        .sort();
      if (queue.length) group.roll = { queue, current: null, surged: false };
    }
    this.step();
    return targets.map((g) => this.view(g));
  }

  private observe(change: StoreChange): void {
    if (change.resource !== "nodes" || change.type !== "DELETED") return;
    const node = change.object;
    // The node's instance goes (the group's Auto Scaling group or kOps terminates it) and its IPAMD with it.
    const { store, network, state } = this.o;
    network.stopNode(node.metadata.name);
    terminateInstance(state, instanceIdOf(node));
    // What the node owned goes with it: its Lease and CNINode (owner references to the Node).
    if (store.get("leases", "kube-node-lease", node.metadata.name))
      store.remove("leases", "kube-node-lease", node.metadata.name);
    if (store.get("cninodes", undefined, node.metadata.name))
      store.remove("cninodes", undefined, node.metadata.name);
    const name = groupOf(node);
    const group = name === undefined ? undefined : this.groups.get(name);
    if (group) this.reconcile(group);
  }

  /** The Auto Scaling group keeps `size` nodes (plus one during an EKS surge). */
  private reconcile(group: Group): void {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      this.scaleTo(group);
    } finally {
      this.reconciling = false;
    }
  }

  private scaleTo(group: Group): void {
    const want = group.size + (group.roll?.surged ? 1 : 0);
    const live = this.nodesOf(group.decl.name);
    // An EKS surge node goes to the AZ of the node it replaces.
    const replacing = group.roll?.current
      ? this.o.store.get("nodes", undefined, group.roll.current)
      : undefined;
    const zone = replacing?.metadata.labels?.["topology.kubernetes.io/zone"];
    for (let missing = want - live.length - group.launching; missing > 0; missing--) this.launch(group, zone);
    for (let extra = live.length + group.launching - want; extra > 0; extra--) {
      // As an Auto Scaling group scales in: its fullest zone first, the newest there (the model's rule).
      const candidates = live
        .filter((n) => !n.metadata.deletionTimestamp)
        .map((n) => ({
          name: n.metadata.name,
          zone: n.metadata.labels?.["topology.kubernetes.io/zone"] ?? null,
          createdAt: n.metadata.creationTimestamp ?? null,
          node: n,
        }));
      const victim = scaleInVictims(candidates, 1)[0]?.node;
      if (!victim) break;
      live.splice(live.indexOf(victim), 1);
      this.o.store.remove("nodes", undefined, victim.metadata.name);
    }
  }

  private launch(group: Group, zone?: string): void {
    group.launching++;
    this.o.clock.after(this.o.launchDelayMs ?? 60_000, () => {
      group.launching--;
      // Spread over the AZs: the subnet with the fewest of the group's nodes.
      const count = (s: SimSubnet) =>
        this.nodesOf(group.decl.name).filter(
          (n) => n.metadata.labels?.["topology.kubernetes.io/zone"] === s.zone,
        ).length;
      const subnets = this.nodeSubnets().sort((a, b) => count(a) - count(b) || a.zone.localeCompare(b.zone));
      const subnet = subnets.find((s) => s.zone === zone) ?? subnets[0];
      if (!subnet) return;
      const settings = this.cniSettings();
      joinNode(this.o, { ...group.decl, maxPods: this.newNodeMaxPods(group) }, subnet, settings, true);
    });
  }

  private drain(node: KubeObject): boolean {
    const { store, pods } = this.o;
    if (node.spec?.unschedulable !== true) {
      patchNode(
        store,
        node.metadata.name,
        "application/merge-patch+json",
        '{"spec":{"unschedulable":true}}',
        false,
      );
    }
    let left = 0;
    for (const pod of pods.onNode(node.metadata.name)) {
      const daemon = pod.metadata.ownerReferences?.some((r) => r.kind === "DaemonSet");
      const done = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
      if (daemon || done) continue;
      left++;
      if (!pod.metadata.deletionTimestamp)
        deletePod(store, pod.metadata.namespace as string, pod.metadata.name, "", null, false);
    }
    return left === 0;
  }

  private step(): void {
    for (const group of this.groups.values()) {
      const roll = group.roll;
      if (!roll) continue;
      const live = this.nodesOf(group.decl.name);
      if (roll.current === null) {
        // kOps validates the cluster between nodes: the group must be back to its size first.
        if (live.length < group.size || group.launching > 0) continue;
        roll.current = roll.queue.shift() ?? null;
        if (roll.current === null) {
          group.roll = null;
          continue;
        }
        if (this.provisioner === "eks") {
          roll.surged = true;
          this.reconcile(group);
        }
      }
      const node = this.o.store.get("nodes", undefined, roll.current);
      if (!node) {
        roll.current = null;
        continue;
      }
      if (roll.surged && (live.length < group.size + 1 || group.launching > 0)) continue;
      if (!this.drain(node)) continue;
      roll.surged = false;
      this.o.store.remove("nodes", undefined, node.metadata.name);
      roll.current = null;
    }
  }
}
