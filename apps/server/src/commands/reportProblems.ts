// The top of `eni-view report`: where to look, before a thousand lines of tables. The same problem kinds
// and order as the page's problems list (model problems.ts), then the biggest Pending groups.
import { groupPendingPods, indexProblems, problemTitles, type Report, sortEntries } from "@eni-view/model";
import { terminalSafe } from "./terminalText.ts";
import { wrap } from "./textTable.ts";

/** Nodes named per kind, and Pending groups, before "+N more". */
const SHOWN = 4;

export function problemsSection(report: Report, short: (name: string) => string): string[] {
  const { byKind } = indexProblems(report.nodes, report.subnets);
  const groups = groupPendingPods(report.pending);
  if (byKind.size === 0 && groups.length === 0) return ["Problems: none"];
  const out = ["Problems"];
  for (const [kind, entries] of byKind) {
    const worst = sortEntries(entries, "worst");
    const named = worst
      .slice(0, SHOWN)
      .map((e) => `${short(e.node)} (${e.detail})`)
      .join(", ");
    const more = worst.length > SHOWN ? ` (+${worst.length - SHOWN} more)` : "";
    out.push(
      wrap(terminalSafe(`${problemTitles[kind]} (${entries.length}): ${named}${more}`), "  ", "      "),
    );
  }
  if (groups.length > 0) {
    const pods = groups.reduce((n, g) => n + g.count, 0);
    const named = groups
      .slice(0, SHOWN)
      .map((g) => `${g.count} × ${g.namespace}/${g.owner ?? "(no owner)"} ${g.reason}`)
      .join(", ");
    const more = groups.length > SHOWN ? ` (+${groups.length - SHOWN} more groups)` : "";
    out.push(wrap(terminalSafe(`Pending pods (${pods}): ${named}${more}`), "  ", "      "));
  }
  return out;
}

/** `report --problems`: keep the nodes that carry at least one problem. */
export function hasProblem(report: Report): (node: { name: string }) => boolean {
  const { byNode } = indexProblems(report.nodes, report.subnets);
  return (node) => byNode.has(node.name);
}
