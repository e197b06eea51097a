// The node table (issue 12, point 6): the map's nodes, their ENIs and pods as a real table for phones and
// screen readers, reached from the view tabs, sorted by the problems list's order, each row as the server
// reports the node.
import { indexProblems, sortEntries, type Topology } from "@eni-view/model";
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { kubectl, scaleNginx } from "../support/cluster.ts";
import { expectedRows, tableRows } from "../support/nodeTable.ts";

/** The order the problems list shows nodes in: kind by kind, worst first, each node at its first kind; then
 * the nodes without a problem, by name. */
function problemOrder(topo: Topology): string[] {
  const index = indexProblems(topo.nodes, topo.subnets);
  const seen = new Set<string>();
  for (const list of index.byKind.values()) for (const e of sortEntries(list, "worst")) seen.add(e.node);
  const rest = topo.nodes
    .map((n) => n.name)
    .filter((n) => !seen.has(n))
    .sort(new Intl.Collator("en", { numeric: true }).compare);
  return [...seen, ...rest];
}

test("the table lists every node with its ENIs as /api/topology has them, in the problems list's order", async ({
  page,
}) => {
  await scaleNginx(8);
  const dash = new DashboardPage(page);
  await dash.open("#theme=light");
  await page.getByRole("button", { name: "Table", exact: true }).click();
  await expect(page).toHaveURL(/tab=table/);
  const table = page.getByRole("table");
  await expect(table.getByRole("columnheader", { name: "Problems" })).toHaveAttribute(
    "aria-sort",
    "descending",
  );
  const names = (await dash.topology()).nodes.map((n) => n.name).sort();
  // Cordon the node last by name: the problems order puts it first, where a name order would put it last.
  const cordoned = names[names.length - 1]!;
  await kubectl("cordon", cordoned);
  try {
    await expect(async () => {
      const topo = await dash.topology();
      const order = problemOrder(topo);
      expect(order[0]).toBe(cordoned);
      expect(await tableRows(page)).toEqual(expectedRows(topo, order));
    }).toPass({ timeout: 30_000 });
    const first = page.getByTestId("table-node").first();
    // Its first problem is the cordon (the ENI limit may follow while the scale-down's ENIs are still attached).
    await expect(first.getByTestId("table-problems")).toHaveText(/^cordoned/);
    // A row header per node, a column header per figure: what a screen reader announces with each cell.
    await expect(first.getByRole("rowheader")).toHaveText(cordoned);
    await expect(table.getByRole("columnheader")).toHaveCount(9);

    await page.getByTestId("table-sort-name").click();
    await expect(table.getByRole("columnheader", { name: "Node" })).toHaveAttribute("aria-sort", "ascending");
    await expect(async () => {
      expect(await tableRows(page)).toEqual(expectedRows(await dash.topology(), names));
    }).toPass({ timeout: 20_000 });

    // A node's name opens its panel, as a click on its box does.
    await page.locator(`[data-testid="table-node"][data-node="${cordoned}"]`).getByRole("button").click();
    await expect(dash.nodePanel.getByRole("heading", { level: 2 })).toHaveText(cordoned);
  } finally {
    await kubectl("uncordon", cordoned);
  }
});
