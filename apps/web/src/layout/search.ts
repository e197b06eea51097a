// The search box, read like a kubectl selector (model search.ts says how each term reads); here the page's
// side of it: a term it cannot read said in the page's language, and the counts beside the box.
import {
  type Report,
  parseQuery as readQuery,
  type SearchCounts,
  type SearchErrorKey,
  SearchQueryError,
  type SearchResult,
  searchCounts,
  search as searchReport,
} from "@eni-view/model";
import type en from "../i18n/en.json";
import { t } from "../i18n/i18n.ts";

export { cellMatches, ipToNumber, type SearchResult, type Term, tokenize } from "@eni-view/model";

/** The words of each reason the model may give: a reason without them fails the typecheck. */
export type SearchErrorWords = (typeof en.search.error)[SearchErrorKey];

// i18next types each key's variables; a key chosen at run time among search.error's has them as a plain
// record.
const sayError = t as unknown as (
  key: `search.error.${SearchErrorKey}`,
  values: Record<string, string>,
) => string;

/** A term the search cannot read; the message is in the page's language when it was thrown, `describe()`
 * says it again in the current one. */
export class QueryError extends Error {
  readonly code = "BAD_QUERY";
  readonly key: SearchErrorKey;
  readonly values: Record<string, string>;
  constructor(key: SearchErrorKey, values: Record<string, string>) {
    super(sayError(`search.error.${key}`, values));
    this.key = key;
    this.values = values;
  }
  describe(): string {
    return sayError(`search.error.${this.key}`, this.values);
  }
}

function worded<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof SearchQueryError) throw new QueryError(e.key, e.values);
    throw e;
  }
}

export function parseQuery(q: string) {
  return worded(() => readQuery(q));
}

export function search(report: Pick<Report, "nodes" | "pods" | "pending">, q: string): SearchResult {
  return worded(() => searchReport(report, q));
}

/** The counts a search shows beside its box: pods, and the nodes, ENIs and IPs lit by their own address. */
export function matchSummary(r: SearchResult): string {
  return countsSummary(searchCounts(r));
}

/** The same words from counts alone (the server's, when the page holds only the overview). */
export function countsSummary(c: SearchCounts): string {
  const parts: string[] = [];
  if (c.pods > 0) parts.push(t("search.summary.pods", { count: c.pods }));
  if (c.pending > 0) parts.push(t("search.summary.pending", { count: c.pending }));
  if (c.host > 0) parts.push(t("search.summary.host", { count: c.host }));
  if (c.nodes > 0) parts.push(t("search.summary.nodes", { count: c.nodes }));
  if (c.enis > 0) parts.push(t("search.summary.enis", { count: c.enis }));
  if (c.warm > 0) parts.push(t("search.summary.warm", { count: c.warm }));
  return parts.join(" · ");
}
