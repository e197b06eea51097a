// Hand-built NodeReports for the layout tests, with the public EC2 figures of the lab's instance types:
// t3.medium 3 ENIs x 6 IPv4 (5 pod IPs per ENI, max pods 17), c5.4xlarge 8 x 30 (29 per ENI).
import type { EniReport, NodeReport, SlotReport } from "@eni-view/model";

export function eni(
  id: string,
  deviceIndex: number,
  slots: SlotReport[],
  extra: Partial<EniReport> = {},
): EniReport {
  const used = slots.filter((s) => s.pod).length;
  return {
    id,
    deviceIndex,
    networkCardIndex: 0,
    onDefaultCard: true,
    subnetId: "subnet-0aaa1111bbbb2222c",
    role: deviceIndex === 0 ? "primary" : "secondary",
    interfaceType: "interface",
    primaryIp: `192.168.1.${10 + deviceIndex}`,
    slots,
    prefixes: [],
    podCapacity: true,
    slotLimit: 5,
    ipsAssigned: slots.length,
    ipsUsed: used,
    ipsWarm: slots.length - used,
    attachTime: null,
    ...extra,
  };
}

/** n slots from 192.168.1.<from>, the first `pods` of them holding pods named <prefix>-<i>. */
export function slots(from: number, n: number, pods: number, prefix = "default/nginx"): SlotReport[] {
  return Array.from({ length: n }, (_, i) => ({
    ip: `192.168.1.${from + i}`,
    pod: i < pods ? `${prefix}-${i}` : null,
  }));
}

export function t3medium(name: string, enis: EniReport[], extra: Partial<NodeReport> = {}): NodeReport {
  const used = enis.reduce((s, e) => s + e.ipsUsed, 0);
  const assigned = enis.reduce((s, e) => s + e.ipsAssigned, 0);
  return {
    name,
    instanceId: "i-0123456789abcdef0",
    instanceType: "t3.medium",
    zone: "ap-northeast-2a",
    nodeGroup: "ng-1",
    capacityType: "ON_DEMAND",
    internalIp: "192.168.1.10",
    kind: "ec2",
    ipFamily: "ipv4",
    enisKnown: true,
    branchEnis: null,
    podCidrs: [],
    ready: true,
    cordoned: false,
    maxPods: 17,
    maxPodsByEni: 17,
    capacity: {
      instanceType: "t3.medium",
      known: true,
      vcpus: 2,
      maxEnis: 3,
      ipv4PerEni: 6,
      podEnis: 3,
      podIpsPerEni: 5,
      podIps: 15,
      maxPods: 17,
      maxPodsUncapped: null,
      mode: "secondary-ip",
    },
    overcommitted: false,
    enis,
    eniSlotsFree: 3 - enis.length,
    ipsAssigned: assigned,
    ipsUsed: used,
    ipsWarm: assigned - used,
    pods: used + 2,
    podsRunning: used + 2,
    hostNetworkPods: [
      { namespace: "kube-system", name: "aws-node-abcde" },
      { namespace: "kube-system", name: "kube-proxy-fghij" },
    ],
    podsWaitingForIp: 0,
    podsOffEni: [],
    warnings: [],
    notes: [],
    eniConfig: null,
    cniFeatures: [],
    ...extra,
  };
}
