// EKS on Fargate, as the EKS user guide describes it: a mutating webhook hands pods that a Fargate profile
// selects (namespace plus all of the selector's labels) to the fargate-scheduler; that scheduler gives each
// pod its own node, `fargate-ip-<ip>`, with one ENI in a profile subnet whose primary IP is the pod's. The
// ENI is made and managed by AWS: RequesterManaged, and attached to no instance of the account. The node
// carries the `eks.amazonaws.com/compute-type=fargate:NoSchedule` taint, so no other pod and no DaemonSet
// (aws-node, kube-proxy) lands there. When the pod goes, its node and ENI go with it.
import { leaseObject, nodeNameFor } from "../cluster/nodeObject.ts";
import type { Ec2State, SimClock, SimEni, SimRandom } from "../contracts.ts";
import { macAddress, privateDnsName, resourceId } from "../ec2/ids.ts";
import { deleteNetworkInterface } from "../ec2/mutations.ts";
import { subnetAddresses } from "../ec2/subnetAddresses.ts";
import { kubernetesVersion } from "../kube/discovery.ts";
import { kubeTime, type ObjectStore, objectKey } from "../kube/store.ts";
import type { KubeObject, NewObject, StoreChange } from "../kube/types.ts";
import type { FargateProfileDecl } from "../scenarios/scenario.ts";
import type { EventRecorder } from "./events.ts";

// biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended JSON
type Json = any;

export const FARGATE_SCHEDULER = "fargate-scheduler";
const COMPUTE_TYPE = "eks.amazonaws.com/compute-type";
const PROFILE_LABEL = "eks.amazonaws.com/fargate-profile";

/** The cluster's Fargate profiles, kept by the EKS control plane beside the API's objects. */
const profilesOf = new WeakMap<ObjectStore, readonly FargateProfileDecl[]>();

export function setFargateProfiles(store: ObjectStore, profiles: readonly FargateProfileDecl[]): void {
  profilesOf.set(store, profiles);
}

/** Whether a node is a Fargate one (by the label EKS sets on it). */
export function isFargateNode(node: KubeObject | undefined): boolean {
  return node?.metadata.labels?.[COMPUTE_TYPE] === "fargate";
}

/** The Fargate webhook on pod creation: the first profile with a selector whose namespace is the pod's
 * and whose labels the pod all has takes the pod. Pods already bound (DaemonSet pods), pods naming another
 * scheduler, and pods annotated `eks.amazonaws.com/compute-type: ec2` (as EKS's CoreDNS template is) stay
 * on EC2. */
export function fargateProfileWebhook(store: ObjectStore, pod: Json): void {
  const profiles = profilesOf.get(store);
  if (!profiles || pod.spec?.nodeName) return;
  if ((pod.spec?.schedulerName ?? "default-scheduler") !== "default-scheduler") return;
  if (pod.metadata?.annotations?.[COMPUTE_TYPE] === "ec2") return;
  const ns = pod.metadata?.namespace;
  const labels: Record<string, string> = pod.metadata?.labels ?? {};
  const profile = profiles.find((p) =>
    p.selectors.some(
      (s) => s.namespace === ns && Object.entries(s.labels ?? {}).every(([k, v]) => labels[k] === v),
    ),
  );
  if (profile === undefined) return;
  pod.metadata.labels = { ...labels, [PROFILE_LABEL]: profile.name };
  pod.spec = { ...pod.spec, schedulerName: FARGATE_SCHEDULER };
}

export interface FargateOptions {
  store: ObjectStore;
  state: Ec2State;
  clock: SimClock;
  random: SimRandom;
  events: EventRecorder;
  region: string;
  /** The profile's subnets (the scenario's node subnets), one picked per pod. */
  subnetIds: string[];
  /** Simulated ms from a pod's creation to its Fargate node joining. */
  provisionMs?: number;
}

interface Placement {
  nodeName: string;
  eniId: string;
}

/** The fargate-scheduler: one node and one ENI per pod, gone with the pod. */
export class FargateScheduler {
  private readonly o: FargateOptions;
  private readonly waiting = new Map<string, () => void>();
  private readonly placements = new Map<string, Placement>();
  private readonly unsubscribe: () => void;

  constructor(options: FargateOptions) {
    this.o = options;
    for (const pod of options.store.all("pods")) this.observe(pod);
    this.unsubscribe = options.store.subscribe((c: StoreChange) => {
      if (c.resource !== "pods") return;
      if (c.type === "DELETED") this.forget(c.object);
      else this.observe(c.object);
    });
  }

  stop(): void {
    this.unsubscribe();
    for (const cancel of this.waiting.values()) cancel();
    this.waiting.clear();
  }

  private observe(pod: KubeObject): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    if (pod.spec?.schedulerName !== FARGATE_SCHEDULER || pod.spec?.nodeName) return;
    if (pod.metadata.deletionTimestamp || this.waiting.has(key)) return;
    this.waiting.set(
      key,
      this.o.clock.after(this.o.provisionMs ?? 30_000, () => {
        this.waiting.delete(key);
        this.place(key);
      }),
    );
  }

  private place(key: string): void {
    const { store, state, random, region, events } = this.o;
    const pod = store.byKey("pods", key);
    if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) return;
    const subnetId = random.pick(this.o.subnetIds);
    const subnet = state.subnets.get(subnetId)!;
    const [ip] = subnetAddresses(state, subnetId).allocate(1, random);
    if (ip === undefined) return;
    const eni: SimEni = {
      id: resourceId(random, "eni"),
      subnetId,
      vpcId: state.vpcId,
      zone: subnet.zone,
      // AWS documents no description for a Fargate pod's ENI: left empty rather than made up.
      description: "",
      status: "in-use",
      interfaceType: "interface",
      macAddress: macAddress(random),
      ownerId: state.accountId,
      requesterManaged: true,
      sourceDestCheck: true,
      // The cluster security group, as the EC2 nodes' primary ENIs have it (no SecurityGroupPolicy here).
      groups: [...state.enis.values()].find((e) => e.attachment !== null)?.groups.slice(0, 1) ?? [],
      // Attached to Fargate's own host, not to an instance of the account: EC2 shows no instance.
      attachment: null,
      primaryIp: ip,
      privateDnsName: privateDnsName(ip, region),
      secondaryIps: [],
      prefixes: [],
      tags: {},
    };
    state.enis.set(eni.id, eni);
    const profile = pod.metadata.labels?.[PROFILE_LABEL] ?? "";
    const now = kubeTime(store.clock.now());
    const node = store.create(
      "nodes",
      fargateNodeObject({ ip, region, zone: subnet.zone, zoneId: subnet.zoneId, profile, random, now }),
    );
    const nodeName = node.metadata.name;
    store.create("leases", leaseObject(nodeName, now));
    this.placements.set(key, { nodeName, eniId: eni.id });
    const bound = store.update("pods", pod.metadata.namespace, pod.metadata.name, (p) => {
      p.spec.nodeName = nodeName;
      p.status = {
        ...p.status,
        conditions: [{ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now }],
      };
    });
    events.record(
      bound,
      "Normal",
      "Scheduled",
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`,
      { component: FARGATE_SCHEDULER },
    );
  }

  private forget(pod: KubeObject): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    this.waiting.get(key)?.();
    this.waiting.delete(key);
    const placement = this.placements.get(key);
    if (placement === undefined) return;
    this.placements.delete(key);
    const { store, state } = this.o;
    if (store.get("nodes", undefined, placement.nodeName))
      store.remove("nodes", undefined, placement.nodeName);
    if (store.get("leases", "kube-node-lease", placement.nodeName))
      store.remove("leases", "kube-node-lease", placement.nodeName);
    const eni = state.enis.get(placement.eniId);
    if (eni) deleteNetworkInterface(state, eni);
  }
}

/** A Fargate node as EKS registers it: named for its pod's IP, the compute-type and profile labels, a
 * providerID of zone, Fargate's own id and the node name, the NoSchedule taint, room for one pod. */
function fargateNodeObject(p: {
  ip: string;
  region: string;
  zone: string;
  zoneId: string;
  profile: string;
  random: SimRandom;
  now: string;
}): NewObject {
  const name = `fargate-${nodeNameFor(p.ip, p.region)}`;
  const resources = { cpu: "2", "ephemeral-storage": "30787492Ki", memory: "3977000Ki", pods: "1" };
  const condition = (type: string, status: string, reason: string) => ({
    type,
    status,
    lastHeartbeatTime: p.now,
    lastTransitionTime: p.now,
    reason,
  });
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      creationTimestamp: p.now,
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        [COMPUTE_TYPE]: "fargate",
        [PROFILE_LABEL]: p.profile,
        "failure-domain.beta.kubernetes.io/region": p.region,
        "failure-domain.beta.kubernetes.io/zone": p.zone,
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "topology.k8s.aws/zone-id": p.zoneId,
        "topology.kubernetes.io/region": p.region,
        "topology.kubernetes.io/zone": p.zone,
      },
    },
    spec: {
      providerID: `aws:///${p.zone}/${p.random.hex(10)}-${p.random.hex(32)}/${name}`,
      taints: [{ key: COMPUTE_TYPE, value: "fargate", effect: "NoSchedule" }],
    },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        condition("MemoryPressure", "False", "KubeletHasSufficientMemory"),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure"),
        condition("PIDPressure", "False", "KubeletHasSufficientPID"),
        condition("Ready", "True", "KubeletReady"),
      ],
      addresses: [
        { type: "InternalIP", address: p.ip },
        { type: "InternalDNS", address: privateDnsName(p.ip, p.region) },
        { type: "Hostname", address: privateDnsName(p.ip, p.region) },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        kubeletVersion: kubernetesVersion.gitVersion,
        operatingSystem: "linux",
        architecture: "amd64",
        containerRuntimeVersion: "containerd://1.7.23",
        // Fargate's platform versions run on Amazon Linux 2.
        osImage: "Amazon Linux 2",
      },
    },
  };
}
