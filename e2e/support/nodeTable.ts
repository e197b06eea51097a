// The node table as a reader sees it (the Table tab), and the rows /api/topology says it should show.
import { nodeEniText, type Topology } from "@eni-view/model";
import type { Page } from "@playwright/test";

export interface TableRow {
  node: string;
  pods: string;
  enis: string;
  waiting: string;
  eniIds: string[];
}

/** The node rows in the page, in order (a virtual table has only those near the screen in it). */
export async function tableRows(page: Page): Promise<TableRow[]> {
  return page.getByTestId("table-node").evaluateAll((groups) =>
    groups.map((g) => ({
      node: g.getAttribute("data-node") ?? "",
      pods: g.querySelector('[data-testid="table-pods"]')?.textContent ?? "",
      enis: g.querySelector('[data-testid="table-enis"]')?.textContent ?? "",
      waiting: g.querySelector('[data-testid="table-waiting"]')?.textContent ?? "",
      eniIds: [...g.querySelectorAll('[data-testid="table-eni"]')].map(
        (e) => e.getAttribute("data-eni") ?? "",
      ),
    })),
  );
}

/** The rows of these nodes as the topology has them; without their ENI rows when `withEnis` is false. */
export function expectedRows(topo: Topology, order: readonly string[], withEnis = true): TableRow[] {
  const byName = new Map(topo.nodes.map((n) => [n.name, n]));
  return order.map((name) => {
    const n = byName.get(name)!;
    return {
      node: n.name,
      pods: `${n.pods}/${n.maxPods ?? "?"}`,
      enis: nodeEniText(n),
      waiting: String(n.podsWaitingForIp),
      eniIds: withEnis ? n.enis.map((e) => e.id) : [],
    };
  });
}
