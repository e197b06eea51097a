// The subnets' address space as gauges, by subnet (id, CIDR, zone) and by zone: free addresses, free
// /28s, addresses by holder and the forecast seconds to exhaustion. Only subnets the cluster uses, so the
// series grow with subnets, never with nodes or pods.
import type { SubnetReport, SubnetSpace, Topology } from "@eni-view/model";
import { Gauge, type Registry } from "prom-client";

const holders: [string, keyof SubnetSpace][] = [
  ["pod", "podIps"],
  ["warm", "warmIps"],
  ["prefix", "prefixIps"],
  ["node", "nodeIps"],
  ["other", "otherIps"],
  ["reserved-prefix", "reservedPrefixIps"],
  ["reserved-explicit", "reservedExplicitIps"],
];

const subnetLabels = ["subnet", "cidr", "zone"] as const;
const labelsOf = (s: SubnetReport) => ({ subnet: s.id, cidr: s.cidr, zone: s.zone ?? "unknown" });

function mapped(t: Topology): (SubnetReport & { space: SubnetSpace })[] {
  return t.subnets.filter((s): s is SubnetReport & { space: SubnetSpace } => s.used === true && !!s.space);
}

export function subnetMetrics(r: Registry, topology: () => Topology): void {
  const perSubnet = (
    name: string,
    help: string,
    value: (s: SubnetReport & { space: SubnetSpace }) => number | null,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: subnetLabels,
      registers: [r],
      collect() {
        this.reset();
        for (const s of mapped(topology())) {
          const v = value(s);
          if (v !== null) this.set(labelsOf(s), v);
        }
      },
    });
  perSubnet(
    "eniview_subnet_free_addresses",
    "Addresses of the subnet held by nothing and in no CIDR reservation.",
    (s) => s.space.free,
  );
  perSubnet(
    "eniview_subnet_free_blocks28",
    "Aligned /28 blocks wholly free (or in a prefix reservation): what prefix delegation can still take.",
    (s) => s.space.freeBlocks28,
  );
  perSubnet(
    "eniview_subnet_largest_free_run",
    "The longest run of consecutive free addresses.",
    (s) => s.space.largestFreeRun,
  );
  perSubnet(
    "eniview_subnet_usable_addresses",
    "Addresses of the subnet's CIDR less AWS's five reserved ones.",
    (s) => s.space.size - s.space.awsReserved,
  );
  perSubnet(
    "eniview_subnet_available_ip_address_count",
    "EC2's own AvailableIpAddressCount of the subnet (DescribeSubnets).",
    (s) => s.availableIps,
  );
  perSubnet(
    "eniview_subnet_exhaustion_forecast_seconds",
    "Seconds until no address is free at the rate free addresses fell over the forecast window; absent when not falling or too little history.",
    (s) => s.forecast?.emptyInSeconds ?? null,
  );
  perSubnet(
    "eniview_subnet_blocks28_exhaustion_forecast_seconds",
    "Seconds until no /28 is free at the rate free /28s fell over the forecast window; absent when not falling or too little history.",
    (s) => s.forecast?.noBlockInSeconds ?? null,
  );
  new Gauge({
    name: "eniview_subnet_addresses",
    help: "Addresses of the subnet by holder: pod, warm (secondary IPs no pod holds), prefix (/28 addresses no pod holds), node (ENI primaries), other (ENIs no node holds: load balancers, endpoints ...), reserved-prefix and reserved-explicit (CIDR reservations held by nothing).",
    labelNames: [...subnetLabels, "holder"],
    registers: [r],
    collect() {
      this.reset();
      for (const s of mapped(topology()))
        for (const [holder, field] of holders) this.set({ ...labelsOf(s), holder }, s.space[field]);
    },
  });
  const perZone = (name: string, help: string, field: "free" | "freeBlocks28") =>
    new Gauge({
      name,
      help,
      labelNames: ["zone"],
      registers: [r],
      collect() {
        this.reset();
        for (const z of topology().zones) if (z.space) this.set({ zone: z.zone }, z.space[field]);
      },
    });
  perZone("eniview_zone_free_addresses", "Free addresses over the zone's subnets in use.", "free");
  perZone(
    "eniview_zone_free_blocks28",
    "Free aligned /28 blocks over the zone's subnets in use.",
    "freeBlocks28",
  );
  new Gauge({
    name: "eniview_prefix_delegation_enabled",
    help: "1 when aws-node has ENABLE_PREFIX_DELEGATION=true: pod IPs then come as /28 prefixes.",
    registers: [r],
    collect() {
      this.set(topology().cluster.cni.prefixDelegation ? 1 : 0);
    },
  });
}
