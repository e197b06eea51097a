// What kind of node a Kubernetes node is, and what its pod capacity is by that kind's documented rules
// (EKS user guide: Fargate, Hybrid Nodes, Auto Mode node classes, Windows support, IPv6 clusters).
import { blankCapacity, capacityFor } from "./capacity.ts";
import { parseIpv4Cidr } from "./ipv4.ts";
import type {
  CapacityOptions,
  InstanceTypeFacts,
  NodeCapacity,
  NodeInput,
  NodeKind,
  NodeReport,
} from "./types.ts";

/** Set by EKS on Auto Mode (auto), Fargate (fargate) and hybrid (hybrid) nodes. */
export const COMPUTE_TYPE_LABEL = "eks.amazonaws.com/compute-type";
/** nodeadm's providerID for hybrid nodes: eks-hybrid:///<region>/<cluster>/<node>. */
const HYBRID_PROVIDER = "eks-hybrid://";

/** EKS caps max pods on Auto Mode nodes at 110, after the ENI calculation. */
export const AUTO_MODE_MAX_PODS = 110;

export function nodeKindOf(node: NodeInput): NodeKind {
  const labels = node.labels ?? {};
  const computeType = labels[COMPUTE_TYPE_LABEL];
  if (computeType === "fargate") return "fargate";
  if (computeType === "hybrid" || node.providerId?.startsWith(HYBRID_PROVIDER)) return "hybrid";
  if (computeType === "auto") return "auto-mode";
  const os = labels["kubernetes.io/os"] ?? labels["beta.kubernetes.io/os"];
  if (os === "windows") return "windows";
  return "ec2";
}

/** Kinds whose ENIs come from EC2 instances in the cluster's VPC. */
export function isInstanceKind(kind: NodeKind): boolean {
  return kind === "ec2" || kind === "auto-mode" || kind === "windows";
}

/** Words for the box and the report: what the kind means for its pod IPs. */
export const KIND_LABELS: Record<NodeKind, string> = {
  ec2: "EC2 (VPC CNI)",
  "auto-mode": "EKS Auto Mode",
  fargate: "Fargate",
  hybrid: "hybrid",
  windows: "Windows",
};

/** The addresses of a hybrid node's IPv4 pod CIDRs, or null when it names none that parse. */
function podCidrAddresses(cidrs: readonly string[]): number | null {
  let total = 0;
  for (const cidr of cidrs) {
    const block = parseIpv4Cidr(cidr);
    if (block !== null) total += block.size;
  }
  return total > 0 ? total : null;
}

export interface KindCapacityOptions extends CapacityOptions {
  kind: NodeKind;
  ipv6: boolean;
  podCidrs?: readonly string[];
}

/**
 * Capacity of one node by its kind:
 * - ec2: the VPC CNI's formulas (capacity.ts);
 * - auto-mode: the same formulas (EKS Auto Mode delegates /28 prefixes unless the NodeClass asks for
 *   secondary IPs), then capped at 110;
 * - windows: the primary ENI only, IPv4 per ENI - 1 pods (that many /28 prefixes' addresses with the VPC
 *   resource controller's prefix delegation), no hostNetwork pods;
 * - fargate: one pod on one ENI;
 * - hybrid: no ENIs; pod IPs from the node's pod CIDRs;
 * - IPv6 (ec2 or auto-mode): one /80 per node, more addresses than any max pods, so kubelet's max pods is the
 *   only limit (null here).
 */
export function kindCapacity(
  instanceType: string,
  options: KindCapacityOptions,
  extra: readonly InstanceTypeFacts[] = [],
): NodeCapacity {
  const { kind } = options;
  if (kind === "fargate") {
    return blankCapacity(instanceType || "fargate", {
      maxEnis: 1,
      podEnis: 1,
      podIpsPerEni: 1,
      podIps: 1,
      maxPods: 1,
      notes: ["Fargate: one pod on its own ENI; no ENI slots, no warm pool"],
    });
  }
  if (kind === "hybrid") {
    return blankCapacity(instanceType, {
      known: instanceType !== "",
      podIps: podCidrAddresses(options.podCidrs ?? []),
      mode: "none",
      notes: ["hybrid node: pod IPs come from its pod CIDRs (the cluster's CNI), not from ENIs"],
    });
  }
  if (kind === "windows") {
    const base = capacityFor(instanceType, { maxEni: options.maxEni }, extra);
    if (!base.known || base.ipv4PerEni === null) return base;
    // The VPC resource controller advertises vpc.amazonaws.com/PrivateIPv4Address = IPv4 per ENI - 1, or that
    // many /28 prefixes' addresses with enable-windows-prefix-delegation (pkg/provider/prefix getCapacity).
    const prefixes = options.prefixDelegation === true;
    const perEni = (base.ipv4PerEni - 1) * (prefixes ? 16 : 1);
    return {
      ...base,
      podEnis: 1,
      podIpsPerEni: perEni,
      podIps: perEni,
      maxPods: perEni,
      maxPodsUncapped: null,
      mode: prefixes ? "prefix-delegation" : "secondary-ip",
      notes: [
        ...(base.notes ?? []),
        prefixes
          ? "Windows with prefix delegation: only the primary ENI's /28 prefixes hold pods ((IPv4 per ENI - 1) x 16 addresses)"
          : "Windows: only the primary ENI's secondary IPs hold pods (max pods = IPv4 per ENI - 1)",
      ],
    };
  }
  if (options.ipv6) {
    const base = capacityFor(instanceType, {}, extra);
    return {
      ...base,
      podEnis: base.known ? 1 : null,
      podIpsPerEni: null,
      podIps: null,
      maxPods: null,
      maxPodsUncapped: null,
      mode: "ipv6-prefix",
      notes: [
        ...(base.notes ?? []),
        "IPv6: one /80 prefix on the primary ENI holds more addresses than any max pods; kubelet's max pods is the limit",
      ],
    };
  }
  const base = capacityFor(instanceType, options, extra);
  if (kind === "auto-mode" && base.maxPods !== null && base.maxPods > AUTO_MODE_MAX_PODS) {
    return {
      ...base,
      maxPods: AUTO_MODE_MAX_PODS,
      notes: [...(base.notes ?? []), `EKS Auto Mode caps max pods at ${AUTO_MODE_MAX_PODS}`],
    };
  }
  return base;
}

/** ENIs a node of its kind may have on its default card: Windows pods and IPv6 nodes use the primary ENI
 * alone, a Fargate pod one ENI, a hybrid node none; null for an unknown instance type. */
export function enisAllowed(node: NodeReport): number | null {
  if (node.kind === "hybrid") return 0;
  if (node.kind === "fargate") return 1;
  if (!node.capacity.known) return null;
  if (node.kind === "windows" || node.capacity.mode === "ipv6-prefix") return 1;
  return node.capacity.maxEnis;
}

/** A node's ENIs as the report, the page and the exports count them: device slots on the default card of
 * the possible ones (null when unknown), interfaces on other cards apart; `known` false when no EC2 data. */
export function nodeEniCounts(node: NodeReport): {
  attached: number;
  possible: number | null;
  otherCards: number;
  known: boolean;
} {
  let attached = node.omitted?.attached ?? 0;
  let otherCards = node.omitted?.otherCards ?? 0;
  for (const e of node.enis) {
    if (e.role === "branch") continue;
    if (e.onDefaultCard) attached++;
    else otherCards++;
  }
  const allowed = enisAllowed(node);
  // eniSlotsFree already takes MAX_ENI into account for the nodes that attach more ENIs.
  const possible =
    allowed === null || !node.enisKnown ? null : allowed <= 1 ? allowed : attached + node.eniSlotsFree;
  return { attached, possible, otherCards, known: node.enisKnown };
}

/** "2/3", "1/2 +31 other cards", "unknown" (no EC2 data), "none" (hybrid). */
export function nodeEniText(node: NodeReport): string {
  if (node.kind === "hybrid") return "none";
  const c = nodeEniCounts(node);
  if (!c.known) return "unknown";
  const other = c.otherCards > 0 ? ` +${c.otherCards} other cards` : "";
  return `${c.attached}/${c.possible ?? "?"}${other}`;
}
