// The address map of the subnet the Subnets tab shows, on the overview: the page holds every subnet's
// counts but not the nodes' ENIs, so it asks the server for the one subnet in view (GET
// /api/subnets/:id/addresses) and again when that subnet's counts move. The map it holds stays drawn while
// the next one comes, and says the moment it is of. A search's lit addresses come from the server too
// (GET /api/subnets/:id/matches): the page holds the pods of the nodes in view only.
import {
  decodeMatches,
  decodeSubnetMapWithPods,
  type MapPod,
  type SubnetAddressMap,
  type SubnetMapWire,
  type SubnetMatchesWire,
  type SubnetReport,
} from "@eni-view/model";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { getJson } from "../api/http.ts";

export interface HeldSubnetMap {
  map: SubnetAddressMap;
  /** The phase and owner of the pods it holds, by key: what their cells are coloured by. */
  pods: ReadonlyMap<string, MapPod>;
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
      return { ...decodeSubnetMapWithPods(wire), generatedAt: wire.generatedAt };
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

/** The addresses of the subnet that the search lights, one flag each; null while there is no search, or its
 * answer is not in. */
export function useSubnetMatches(
  subnet: SubnetReport | null,
  size: number | null,
  query: string | null,
  enabled: boolean,
): { flags: Uint8Array | null; error: Error | null } {
  const id = subnet?.id ?? "";
  const q = useQuery({
    queryKey: ["subnet-matches", id, query],
    queryFn: ({ signal }) =>
      getJson<SubnetMatchesWire>(
        `/api/subnets/${encodeURIComponent(id)}/matches?q=${encodeURIComponent(query ?? "")}`,
        signal,
      ),
    enabled: enabled && id !== "" && query !== null && query.trim() !== "",
    // The cluster moves: the lit addresses stay current within a few seconds, like the search's counts.
    staleTime: 2_000,
    refetchInterval: 5_000,
    retry: false,
  });
  const data = q.data;
  // Made once per answer: the grid's colours are made again whenever the flags are a new array.
  const decoded = useMemo(() => {
    if (!data || size === null) return { flags: null, error: null };
    try {
      return { flags: decodeMatches(data.lit, size), error: null };
    } catch (e) {
      return { flags: null, error: e as Error };
    }
  }, [data, size]);
  return { flags: decoded.flags, error: q.error ?? decoded.error };
}
