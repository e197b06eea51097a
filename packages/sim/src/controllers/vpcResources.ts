// The VPC resource controller's security groups for pods (aws/amazon-vpc-resource-controller-k8s): a node
// whose CNINode has the SecurityGroupsForPods feature and whose instance type is trunking-compatible gets a
// trunk ENI and advertises `vpc.amazonaws.com/pod-eni` (its branch ENI limit); a pod that asks for one (the
// webhook adds the request to pods a SecurityGroupPolicy selects, kube/admission.ts) gets a branch ENI on
// a VLAN of that trunk, named in its `vpc.amazonaws.com/pod-eni` annotation, where the CNI takes its IP.
import type { Ec2State, PodNetwork, SimClock, SimRandom } from "../contracts.ts";
import { enisAttachedTo } from "../ec2/attachments.ts";
import { instanceFacts } from "../ec2/instanceFacts.ts";
import {
  attachNetworkInterface,
  createNetworkInterface,
  deleteNetworkInterface,
  finishAttach,
} from "../ec2/mutations.ts";
import type { ObjectStore } from "../kube/store.ts";
import type { KubeObject, StoreChange } from "../kube/types.ts";
import { type Runner, runSoon } from "./runSoon.ts";

export const POD_ENI = "vpc.amazonaws.com/pod-eni";
const HAS_TRUNK = "vpc.amazonaws.com/has-trunk-attached";

export function wantsBranchEni(pod: KubeObject): boolean {
  return (pod.spec?.containers ?? []).some(
    (c: { resources?: { limits?: Record<string, string> } }) => c.resources?.limits?.[POD_ENI] !== undefined,
  );
}

/** The branch ENI's IP from the pod's annotation, what the CNI plugin sets up for a branch pod. */
export function branchIp(pod: KubeObject): string | null {
  const raw = pod.metadata.annotations?.[POD_ENI];
  if (!raw) return null;
  try {
    const [first] = JSON.parse(raw) as { privateIp?: string }[];
    return first?.privateIp ?? null;
  } catch {
    return null;
  }
}

export interface VpcResourceOptions {
  store: ObjectStore;
  state: Ec2State;
  network: PodNetwork;
  random: SimRandom;
  clock: SimClock;
  clusterName: string;
}

export class VpcResourceController {
  private readonly o: VpcResourceOptions;
  private readonly runner: Runner;
  private readonly unsubscribe: () => void;
  /** Branch ENI id by pod key. */
  private readonly branches = new Map<string, string>();

  constructor(options: VpcResourceOptions) {
    this.o = options;
    this.runner = runSoon(options.clock, 500, () => this.pass());
    this.unsubscribe = options.store.subscribe((change) => this.observe(change));
  }

  stop(): void {
    this.unsubscribe();
    this.runner.cancel();
  }

  private observe(change: StoreChange): void {
    if (change.resource === "cninodes") this.runner.request();
    else if (change.resource === "pods") {
      const key = `${change.object.metadata.namespace}/${change.object.metadata.name}`;
      if (change.type === "DELETED") this.releaseBranch(key);
      else if (wantsBranchEni(change.object) && change.object.spec?.nodeName && !branchIp(change.object)) {
        this.runner.request();
      }
    }
  }

  private pass(): void {
    const { store } = this.o;
    for (const cnd of store.all("cninodes")) {
      const sgp = (cnd.spec?.features ?? []).some(
        (f: { name: string }) => f.name === "SecurityGroupsForPods",
      );
      if (sgp) this.ensureTrunk(cnd.metadata.name);
    }
    for (const pod of store.all("pods")) {
      if (wantsBranchEni(pod) && pod.spec?.nodeName && !branchIp(pod) && !pod.metadata.deletionTimestamp) {
        this.attachBranch(pod);
      }
    }
  }

  private trunkOf(instanceId: string) {
    return enisAttachedTo(this.o.state, instanceId).find((e) => e.interfaceType === "trunk");
  }

  private ensureTrunk(nodeName: string): void {
    const { store, state, random, network, clusterName } = this.o;
    const node = store.get("nodes", undefined, nodeName);
    if (!node) return;
    const instanceId =
      String(node.spec?.providerID ?? "")
        .split("/")
        .pop() ?? "";
    const instance = state.instances.get(instanceId);
    const facts = instance ? instanceFacts(instance.instanceType) : undefined;
    if (!instance || !facts?.trunkingCompatible) return;
    let trunk = this.trunkOf(instanceId);
    if (!trunk) {
      const attached = enisAttachedTo(state, instanceId);
      const used = new Set(attached.map((e) => e.attachment?.deviceIndex));
      if (attached.length >= facts.maxEnis) return;
      let device = 1;
      while (used.has(device)) device++;
      const primary = attached.find((e) => e.attachment?.deviceIndex === 0);
      trunk = createNetworkInterface(state, random, {
        subnetId: instance.subnetId,
        description: "aws-k8s-trunk-eni",
        group: primary?.groups[0] ?? { id: "", name: "" },
        secondaryIps: 0,
        prefixes: 0,
        tags: {
          "eks:eni:owner": "eks-vpc-resource-controller",
          [`kubernetes.io/cluster/${clusterName}`]: "owned",
          "node.k8s.amazonaws.com/instance_id": instanceId,
        },
      });
      trunk.interfaceType = "trunk";
      attachNetworkInterface(state, random, trunk, instanceId, device, store.clock.now());
      finishAttach(trunk);
      network.adoptEni(nodeName, trunk.id);
    }
    const limit = String(facts.branchEnis ?? 0);
    if (node.metadata.labels?.[HAS_TRUNK] === "true" && node.status?.allocatable?.[POD_ENI] === limit) return;
    store.update("nodes", undefined, nodeName, (n) => {
      n.metadata.labels = { ...n.metadata.labels, [HAS_TRUNK]: "true" };
      n.status.capacity = { ...n.status.capacity, [POD_ENI]: limit };
      n.status.allocatable = { ...n.status.allocatable, [POD_ENI]: limit };
    });
  }

  private attachBranch(pod: KubeObject): void {
    const { store, state, random, clusterName } = this.o;
    const node = store.get("nodes", undefined, pod.spec.nodeName);
    const instanceId =
      String(node?.spec?.providerID ?? "")
        .split("/")
        .pop() ?? "";
    const trunk = this.trunkOf(instanceId);
    if (!trunk) return;
    const vlans = new Set(
      [...state.enis.values()]
        .filter((e) => e.tags["vpcresources.k8s.aws/trunk-eni-id"] === trunk.id)
        .map((e) => Number(e.tags["vpcresources.k8s.aws/vlan-id"])),
    );
    let vlan = 1;
    while (vlans.has(vlan)) vlan++;
    const subnet = state.subnets.get(trunk.subnetId);
    const branch = createNetworkInterface(state, random, {
      subnetId: trunk.subnetId,
      description: "aws-k8s-branch-eni",
      group: trunk.groups[0] ?? { id: "", name: "" },
      secondaryIps: 0,
      prefixes: 0,
      tags: {
        "eks:eni:owner": "eks-vpc-resource-controller",
        [`kubernetes.io/cluster/${clusterName}`]: "owned",
        "vpcresources.k8s.aws/trunk-eni-id": trunk.id,
        "vpcresources.k8s.aws/vlan-id": String(vlan),
        "node.k8s.amazonaws.com/instance_id": instanceId,
      },
    });
    branch.interfaceType = "branch";
    branch.status = "in-use";
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.branches.set(key, branch.id);
    const annotation = [
      {
        eniId: branch.id,
        ifAddress: branch.macAddress,
        privateIp: branch.primaryIp,
        vlanId: vlan,
        subnetCidr: subnet?.cidr ?? "",
      },
    ];
    store.update("pods", pod.metadata.namespace, pod.metadata.name, (p) => {
      p.metadata.annotations = { ...p.metadata.annotations, [POD_ENI]: JSON.stringify(annotation) };
    });
  }

  private releaseBranch(key: string): void {
    const id = this.branches.get(key);
    if (id === undefined) return;
    this.branches.delete(key);
    const eni = this.o.state.enis.get(id);
    if (eni) deleteNetworkInterface(this.o.state, eni);
  }
}
