// What a node of an instance type reports to Kubernetes: capacity and allocatable as the EKS AMI sets
// them (max pods from the model's capacity, kube-reserved cpu and memory by the AMI's formulas).
import { capacityFor } from "./capacity.ts";
import { type ServerValues, serverEnglish } from "./messages/serverText.ts";

// Nominal memory (MiB) of the instance types the scenarios use; the model has no memory facts.
// A scenario may name any other type if it gives memoryMiB itself.
const memoryMiB: Record<string, number> = {
  "t3.small": 2048,
  "t3.medium": 4096,
  "t3.large": 8192,
  "t3.xlarge": 16384,
  "c5.large": 4096,
  "c5.xlarge": 8192,
  "c5.2xlarge": 16384,
  "c5.4xlarge": 32768,
  "c5d.large": 4096,
  "m5.large": 8192,
  "m5.xlarge": 16384,
  "m5.2xlarge": 32768,
  "m5.4xlarge": 65536,
  "m6i.large": 8192,
  "m6i.xlarge": 16384,
  "m6i.2xlarge": 32768,
  "r5.large": 16384,
  "r5.xlarge": 32768,
};

export interface NodeShape {
  instanceType: string;
  vcpus: number;
  /** The kubelet's max pods (capacity.pods and allocatable.pods). */
  maxPods: number;
  capacityMemoryKi: number;
  allocatableCpuMilli: number;
  allocatableMemoryKi: number;
}

/** A node the model cannot shape; `said` is the server catalogue's key (scenario.shape.*) and values, so
 * the CLI, the page and the simulator's admin endpoint say it in their language. */
export class NodeShapeError extends Error {
  readonly code = "UnknownInstanceType";
  readonly said: { key: string; values: ServerValues };
  constructor(reason: "unknownType" | "unknownMaxPods" | "unknownMemory", instanceType: string) {
    const key = `scenario.shape.${reason}`;
    super(serverEnglish(key, { type: instanceType }));
    this.said = { key, values: { type: instanceType } };
  }
}

/** EKS AMI kube-reserved cpu: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% above. */
function reservedCpuMilli(vcpus: number): number {
  const steps: [number, number][] = [
    [1, 60],
    [1, 10],
    [2, 5],
  ];
  let left = vcpus;
  let reserved = 0;
  for (const [cores, milliPerCore] of steps) {
    const n = Math.min(left, cores);
    reserved += n * milliPerCore;
    left -= n;
  }
  return reserved + Math.max(0, left) * 2.5;
}

export function nodeShape(
  instanceType: string,
  options: {
    prefixDelegation: boolean;
    maxPods?: number | null;
    memoryMiB?: number | null;
    provisioner?: "eks" | "kops";
  },
): NodeShape {
  // kOps's nodeup: min(110, ENIs x (IPs per ENI - 1) + 2) whatever the CNI's prefix delegation, unless
  // the user sets kubelet maxPods (nodeup/pkg/model/kubelet.go). EKS: the max-pods calculator, which
  // knows prefix delegation (110 for a t3.medium).
  const kops = options.provisioner === "kops";
  const capacity = capacityFor(instanceType, { prefixDelegation: kops ? false : options.prefixDelegation });
  if (!capacity.known || capacity.vcpus === null) {
    throw new NodeShapeError("unknownType", instanceType);
  }
  const computed = kops && capacity.maxPods !== null ? Math.min(110, capacity.maxPods) : capacity.maxPods;
  const maxPods = options.maxPods ?? computed;
  if (maxPods === null) throw new NodeShapeError("unknownMaxPods", instanceType);
  const mib = options.memoryMiB ?? memoryMiB[instanceType];
  if (mib === undefined) {
    throw new NodeShapeError("unknownMemory", instanceType);
  }
  // The OS keeps about 6% of the nominal memory: a t3.medium node reports about 3.76 GiB.
  const capacityMemoryKi = Math.round(mib * 1024 * 0.94);
  // EKS AMI: kube-reserved memory 11 MiB per pod + 255 MiB, plus the 100 MiB hard eviction threshold.
  const reservedKi = (11 * maxPods + 255 + 100) * 1024;
  return {
    instanceType,
    vcpus: capacity.vcpus,
    maxPods,
    capacityMemoryKi,
    allocatableCpuMilli: capacity.vcpus * 1000 - Math.ceil(reservedCpuMilli(capacity.vcpus)),
    allocatableMemoryKi: capacityMemoryKi - reservedKi,
  };
}
