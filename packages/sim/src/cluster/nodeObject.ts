// A Node object as an EKS managed node group's kubelet registers it: providerID, AWS labels, addresses,
// capacity/allocatable and the usual conditions.

import type { NodeShape } from "@eni-view/model";
import type { SimInstance } from "../contracts.ts";
import { kubernetesVersion } from "../kube/discovery.ts";
import type { NewObject } from "../kube/types.ts";

export interface NodeParams {
  instance: SimInstance;
  shape: NodeShape;
  region: string;
  zoneId: string;
  nodeGroup: string;
  provisioner?: "eks" | "kops";
  capacityType: string;
  extraLabels?: Record<string, string>;
  /** kubernetes.io/os; Windows nodes carry Windows Server's build and node info. */
  os?: "linux" | "windows";
  /** spec.taints the kubelet registers with. */
  taints?: { key: string; value?: string; effect: string }[];
  systemUuid: string;
  bootId: string;
  createdAt: string;
}

/** EC2's private DNS name, which EKS nodes take as their name: ip-192-168-1-57.ap-northeast-2.compute.internal. */
export function nodeNameFor(privateIp: string, region: string): string {
  const domain = region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`;
  return `ip-${privateIp.replaceAll(".", "-")}.${domain}`;
}

/** Windows Server 2022 (the EKS Optimized Windows AMIs' LTSC build): node.kubernetes.io/windows-build and
 * the node info its kubelet reports. */
const WINDOWS_BUILD = "10.0.20348";

export function nodeObject(p: NodeParams): NewObject {
  const { instance, shape } = p;
  const windows = p.os === "windows";
  const os = windows ? "windows" : "linux";
  const name = nodeNameFor(instance.privateIp, p.region);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: p.createdAt,
    lastTransitionTime: p.createdAt,
    reason,
    message,
  });
  const resources = (cpu: string, memoryKi: number, storage: string) => ({
    cpu,
    "ephemeral-storage": storage,
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    memory: `${memoryKi}Ki`,
    pods: String(shape.maxPods),
  });
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      creationTimestamp: p.createdAt,
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/instance-type": shape.instanceType,
        "beta.kubernetes.io/os": os,
        ...(p.provisioner === "kops"
          ? { "kops.k8s.io/instancegroup": p.nodeGroup, "node-role.kubernetes.io/node": "" }
          : {
              "eks.amazonaws.com/capacityType": p.capacityType,
              "eks.amazonaws.com/nodegroup": p.nodeGroup,
              "eks.amazonaws.com/nodegroup-image": instance.imageId,
            }),
        "failure-domain.beta.kubernetes.io/region": p.region,
        "failure-domain.beta.kubernetes.io/zone": instance.zone,
        "k8s.io/cloud-provider-aws": "a94967527effcefb5f5829f529c0a1b9",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": os,
        "node.kubernetes.io/instance-type": shape.instanceType,
        ...(windows ? { "node.kubernetes.io/windows-build": WINDOWS_BUILD } : {}),
        "topology.k8s.aws/zone-id": p.zoneId,
        "topology.kubernetes.io/region": p.region,
        "topology.kubernetes.io/zone": instance.zone,
        ...p.extraLabels,
      },
      annotations: {
        "alpha.kubernetes.io/provided-node-ip": instance.privateIp,
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: {
      providerID: `aws:///${instance.zone}/${instance.id}`,
      ...(p.taints && p.taints.length > 0 ? { taints: p.taints.map((t) => ({ ...t })) } : {}),
    },
    status: {
      capacity: resources(String(shape.vcpus), shape.capacityMemoryKi, "20893676Ki"),
      allocatable: resources(`${shape.allocatableCpuMilli}m`, shape.allocatableMemoryKi, "18181869946"),
      conditions: [
        condition(
          "MemoryPressure",
          "False",
          "KubeletHasSufficientMemory",
          "kubelet has sufficient memory available",
        ),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
      ],
      addresses: [
        // An IPv6 cluster's kubelet reports the node's IPv6 address (EKS sets --node-ip to it).
        { type: "InternalIP", address: instance.ipv6Address ?? instance.privateIp },
        { type: "InternalDNS", address: name },
        { type: "Hostname", address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: p.systemUuid.replaceAll("-", ""),
        systemUUID: p.systemUuid,
        bootID: p.bootId,
        kernelVersion: windows ? `${WINDOWS_BUILD}.2966` : "6.1.119-129.201.amzn2023.x86_64",
        osImage: windows ? "Windows Server 2022 Datacenter" : "Amazon Linux 2023.6.20241212",
        containerRuntimeVersion: windows ? "containerd://1.7.20" : "containerd://1.7.23",
        kubeletVersion: kubernetesVersion.gitVersion,
        kubeProxyVersion: "",
        operatingSystem: os,
        architecture: "amd64",
      },
    },
  };
}

export function leaseObject(nodeName: string, renewTime: string): NewObject {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: nodeName, namespace: "kube-node-lease" },
    spec: {
      holderIdentity: nodeName,
      leaseDurationSeconds: 40,
      renewTime: renewTime.replace("Z", ".000000Z"),
    },
  };
}
