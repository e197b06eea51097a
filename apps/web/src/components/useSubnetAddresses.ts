// The address map of the subnet the Subnets tab shows, on the overview: the page holds every subnet's
// counts but not the nodes' ENIs, so it asks the server for the one subnet in view (GET
// /api/subnets/:id/addresses) and again when that subnet's counts move. The map it holds stays drawn while
// the next one comes, and says the moment it is of.
import {
  decodeSubnetMap,
  type SubnetAddressMap,
  type SubnetMapWire,
  type SubnetReport,
} from "@eni-view/model";
import { useQuery } from "@tanstack/react-query";
import { getJson } from "../api/http.ts";

export interface HeldSubnetMap {
  map: SubnetAddressMap;
  /** When the topology it was made from was built. */
  generatedAt: string;
}

export interface SubnetAddresses {
  held: HeldSubnetMap | null;
  /** The counts have moved since the held map: a newer one is on its way. */
  behind: boolean;
  error: Error | null;
}

/** The counts a map is made from, as one key: a change of any of them asks for the map again. */
function countsKey(s: SubnetReport): string {
  const x = s.space;
  return x
    ? [
        x.free,
        x.nodeIps,
        x.podIps,
        x.warmIps,
        x.prefixIps,
        x.otherIps,
        x.reservedPrefixIps,
        x.reservedExplicitIps,
      ]
        .map(String)
        .join(",")
    : "";
}

export function useSubnetAddresses(subnet: SubnetReport | null, enabled: boolean): SubnetAddresses {
  const id = subnet?.id ?? "";
  const counts = subnet ? countsKey(subnet) : "";
  const q = useQuery({
    queryKey: ["subnet-addresses", id, counts],
    queryFn: async ({ signal }): Promise<HeldSubnetMap> => {
      const wire = await getJson<SubnetMapWire>(`/api/subnets/${encodeURIComponent(id)}/addresses`, signal);
      return { map: decodeSubnetMap(wire), generatedAt: wire.generatedAt };
    },
    enabled: enabled && id !== "",
    // Another subnet starts with nothing drawn; the same subnet keeps its map while the next comes.
    placeholderData: (previous, query) => (query?.queryKey[1] === id ? previous : undefined),
    staleTime: 5_000,
    // A pod replaced by another in the same address leaves the counts alone: asked again now and then.
    refetchInterval: 15_000,
    retry: false,
  });
  return {
    held: q.data ?? null,
    behind: q.isPlaceholderData || q.isFetching,
    error: q.error,
  };
}
