// DescribeInstanceTypes from the model's instance facts (the same numbers the VPC CNI's limits table has).
// It always pages, at most 100 per page, as EC2 does.
import type { InstanceTypeFacts } from "@eni-view/model";
import { Ec2Error } from "./errors.ts";
import { compileFilters, type FilterFields } from "./filters.ts";
import { everyInstanceType, instanceFacts } from "./instanceFacts.ts";
import { byKey, paginate } from "./paginate.ts";
import { filtersParam, listParam, maxResultsParam, type Params } from "./params.ts";
import { el, list, node } from "./xml.ts";

const PAGE_MAX = 100;

const typeFilters: FilterFields<InstanceTypeFacts> = {
  fields: {
    "instance-type": (t) => t.instanceType,
    hypervisor: (t) => (t.hypervisor === "unknown" ? null : t.hypervisor),
    "bare-metal": (t) => t.bareMetal,
    "vcpu-info.default-vcpus": (t) => t.vcpus,
    "network-info.maximum-network-interfaces": (t) => t.maxEnis * t.networkCards,
    "network-info.ipv4-addresses-per-interface": (t) => t.ipv4PerEni,
    "network-info.maximum-network-cards": (t) => t.networkCards,
  },
};

function typeXml(t: InstanceTypeFacts): string {
  const cards = Array.from({ length: t.networkCards }, (_, i) => i);
  return (
    el("instanceType", t.instanceType) +
    el("bareMetal", t.bareMetal) +
    el("hypervisor", t.hypervisor === "unknown" ? null : t.hypervisor) +
    (t.vcpus === null ? "" : node("vCpuInfo", el("defaultVCpus", t.vcpus))) +
    node(
      "networkInfo",
      // The table knows the default card's ENIs; other cards are assumed to match it.
      el("maximumNetworkInterfaces", t.maxEnis * t.networkCards),
      el("maximumNetworkCards", t.networkCards),
      el("defaultNetworkCardIndex", t.defaultNetworkCardIndex),
      list(
        "networkCards",
        cards,
        (i) => el("networkCardIndex", i) + el("maximumNetworkInterfaces", t.maxEnis),
      ),
      el("ipv4AddressesPerInterface", t.ipv4PerEni),
      el("ipv6AddressesPerInterface", t.ipv4PerEni),
      el("ipv6Supported", true),
    )
  );
}

export function describeInstanceTypes(params: Params): string {
  const names = listParam(params, "InstanceType");
  const filters = filtersParam(params);
  const maxResults = maxResultsParam(params, 5, PAGE_MAX) ?? PAGE_MAX;
  let types: InstanceTypeFacts[];
  if (names.length > 0) {
    const found = names.map((n) => ({ n, facts: instanceFacts(n) }));
    const missing = found.filter((f) => f.facts === undefined).map((f) => f.n);
    if (missing.length > 0) {
      throw new Ec2Error(
        "InvalidInstanceType",
        `The following supplied instance types do not exist: [${missing.join(", ")}]`,
      );
    }
    const seen = new Set<string>();
    types = [];
    for (const f of found) {
      if (f.facts && !seen.has(f.facts.instanceType)) {
        seen.add(f.facts.instanceType);
        types.push(f.facts);
      }
    }
  } else {
    types = everyInstanceType();
  }
  const matches = compileFilters(filters, typeFilters);
  const page = paginate(
    types.filter(matches).sort(byKey((t) => t.instanceType)),
    (t) => t.instanceType,
    maxResults,
    params.get("NextToken"),
    "DescribeInstanceTypes",
  );
  return list("instanceTypeSet", page.items, typeXml) + el("nextToken", page.nextToken);
}
