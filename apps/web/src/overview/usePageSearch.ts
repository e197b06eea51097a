// The search box's answer. On the whole cluster the page searches what it holds. On the overview it holds
// the pods of the nodes in view only, so the server searches the whole cluster (GET /api/search): its
// counts and matching nodes are what the page says and steps through, and the page's own search of the
// nodes it holds in detail lights their cells. Never a count of only what happens to be loaded.
import type { Report, SearchAnswer } from "@eni-view/model";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { getJson } from "../api/http.ts";
import { t } from "../i18n/i18n.ts";
import { countsSummary, matchSummary, type SearchResult, search } from "../layout/search.ts";

export interface PageSearch {
  result: SearchResult | null;
  error: Error | null;
  /** What matched, in words, beside the box. */
  summary: string;
}

const none: PageSearch = { result: null, error: null, summary: "" };

export function usePageSearch(
  report: Pick<Report, "nodes" | "pods" | "pending"> | null,
  q: string,
  overview: boolean,
): PageSearch {
  const query = q.trim();
  const local = useMemo((): { result: SearchResult | null; error: Error | null } => {
    if (!report || query === "") return { result: null, error: null };
    try {
      return { result: search(report, q), error: null };
    } catch (e) {
      return { result: null, error: e as Error };
    }
  }, [report, q, query]);
  const server = useQuery({
    queryKey: ["search", q],
    queryFn: ({ signal }) => getJson<SearchAnswer>(`/api/search?q=${encodeURIComponent(q)}`, signal),
    enabled: overview && local.result !== null,
    // The cluster moves: a search stays current within a few seconds, like the map.
    staleTime: 2_000,
    refetchInterval: 5_000,
    retry: false,
  });
  return useMemo((): PageSearch => {
    if (local.error) return { result: null, error: local.error, summary: "" };
    if (!local.result) return none;
    if (!overview) return { ...local, summary: matchSummary(local.result) };
    if (server.error)
      return {
        result: null,
        error: new Error(t("overview.searchFailed", { message: server.error.message })),
        summary: "",
      };
    const answer = server.data;
    if (!answer || answer.query !== q) return none;
    const touched = new Set(answer.nodes);
    // A node whose detail changed since the answer may match now: the page's own search of it counts too.
    for (const n of local.result.touched) touched.add(n);
    const more = answer.nodesTotal - answer.nodes.length;
    const words = countsSummary(answer.counts);
    return {
      result: { ...local.result, touched, count: answer.count },
      error: null,
      summary: more > 0 ? `${words} · ${t("overview.searchMore", { count: more })}` : words,
    };
  }, [local, overview, server.error, server.data, q]);
}
