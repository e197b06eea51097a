// The top of `eni-view report`: where to look, before a thousand lines of tables. The same problem kinds
// and order as the page's problems list (model problems.ts), then the biggest Pending groups.
import { groupPendingPods, indexProblems, type Report, sortEntries } from "@eni-view/model";
import { t } from "../i18n/cliText.ts";
import { terminalSafe } from "./terminalText.ts";
import { wrap } from "./textTable.ts";

// A problem's detail names its own values (ProblemEntry.values); the key is one of report.detail's.
const say = t as unknown as (key: string, values: Record<string, string | number>) => string;

/** Nodes named per kind, and Pending groups, before "+N more". */
const SHOWN = 4;

export function problemsSection(report: Report, short: (name: string) => string): string[] {
  const { byKind } = indexProblems(report.nodes, report.subnets);
  const groups = groupPendingPods(report.pending);
  if (byKind.size === 0 && groups.length === 0) return [t("report.problemsNone")];
  const out = [t("report.problems")];
  for (const [kind, entries] of byKind) {
    const worst = sortEntries(entries, "worst");
    const named = worst
      .slice(0, SHOWN)
      .map((e) => `${short(e.node)} (${say(`report.detail.${e.kind}`, e.values)})`)
      .join(", ");
    const more = worst.length > SHOWN ? t("report.problemMore", { count: worst.length - SHOWN }) : "";
    out.push(
      wrap(
        terminalSafe(
          t("report.problemLine", { title: t(`report.problem.${kind}`), count: entries.length, named, more }),
        ),
        "  ",
        "      ",
      ),
    );
  }
  if (groups.length > 0) {
    const pods = groups.reduce((n, g) => n + g.count, 0);
    const named = groups
      .slice(0, SHOWN)
      .map((g) => `${g.count} × ${g.namespace}/${g.owner ?? t("report.noOwner")} ${g.reason}`)
      .join(", ");
    const more = groups.length > SHOWN ? t("report.pendingMore", { count: groups.length - SHOWN }) : "";
    out.push(wrap(terminalSafe(t("report.pendingLine", { count: pods, named, more })), "  ", "      "));
  }
  return out;
}

/** `report --problems`: keep the nodes that carry at least one problem. */
export function hasProblem(report: Report): (node: { name: string }) => boolean {
  const { byNode } = indexProblems(report.nodes, report.subnets);
  return (node) => byNode.has(node.name);
}
