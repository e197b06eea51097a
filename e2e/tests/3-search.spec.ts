import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";

test("search: / focuses it, namespace=, an IP and a CIDR count matches; a bad CIDR says what is wrong", async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await dash.open();
  const topo = await dash.topology();

  await dash.search("namespace=kube-system");
  // CoreDNS' 2 pods hold VPC IPs; aws-node and kube-proxy are hostNetwork: found too, counted apart.
  const coreDns = topo.pods.filter((p) => p.namespace === "kube-system").length;
  const host = topo.nodes
    .flatMap((n) => n.hostNetworkPods)
    .filter((p) => p.namespace === "kube-system").length;
  await expect(dash.matchCount).toHaveText(`${coreDns + host} matches`);
  await expect(page.getByTestId("match-summary")).toContainText(`${coreDns} pods · ${host} hostNetwork`);
  await expect(page).toHaveURL(/q=namespace%3Dkube-system/);

  const pod = topo.pods.find((p) => p.namespace === "default")!;
  await dash.search(pod.ip);
  await expect(dash.matchCount).toHaveText("1 match");

  await dash.search("nginx");
  const nginx = topo.pods.filter((p) => p.name.includes("nginx")).length + topo.pending.length;
  await expect(dash.matchCount).toHaveText(`${nginx} matches`);

  await dash.search("10.0.0.0/99");
  await expect(page.getByTestId("search-error")).toContainText("between 0 and 32");
});

test("hostile text typed into search stays text", async ({ page }) => {
  const dash = new DashboardPage(page);
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  await dash.open();
  await dash.search("<img src=x onerror=alert(1)>");
  await expect(dash.searchBox).toHaveValue("<img src=x onerror=alert(1)>");
  // Not a term the search understands: said under the box, as text.
  await expect(page.getByTestId("search-error")).toContainText('"<img" has an operator');
  await expect(page.locator("img")).toHaveCount(0);
  expect(dialogs).toBe(0);
});
