// The dashboard as a user sees it: the controls, the panels and the canvas, located by what they show.

import type { Topology } from "@eni-view/model";
import { type Download, expect, type Locator, type Page } from "@playwright/test";
import { env } from "../support/cluster.ts";

export class DashboardPage {
  readonly page: Page;
  /** The server this page talks to: the shared simulator's unless a spec starts its own. */
  readonly baseUrl: string;
  readonly canvas: Locator;
  readonly searchBox: Locator;
  readonly matchCount: Locator;
  readonly pendingTray: Locator;
  readonly pendingItems: Locator;
  readonly pendingCount: Locator;
  readonly tooltip: Locator;
  readonly nodePanel: Locator;
  readonly group: Locator;
  readonly theme: Locator;

  constructor(page: Page, baseUrl = env("E2E_BASE_URL")) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.canvas = page.getByTestId("cluster-canvas");
    this.searchBox = page.getByTestId("search");
    this.matchCount = page.getByTestId("match-count");
    this.pendingTray = page.getByTestId("pending-tray");
    this.pendingItems = page.getByTestId("pending-item");
    this.pendingCount = page.getByTestId("pending-count");
    this.tooltip = page.getByTestId("tooltip");
    this.nodePanel = page.getByTestId("node-panel");
    this.group = page.getByTestId("group");
    this.theme = page.getByTestId("theme");
  }

  async open(hash = ""): Promise<void> {
    await this.page.goto(`${this.baseUrl}/${hash}`);
    await this.waitDrawn();
  }

  /** Waits until the canvas has drawn everything in view at least once. */
  async waitDrawn(): Promise<void> {
    await this.page.waitForFunction(() => window.__eniView?.firstCompleteAt != null, null, {
      timeout: 60_000,
    });
  }

  stat(name: "nodes" | "pods" | "ips" | "enis"): Locator {
    return this.page.getByTestId(`stat-${name}`).locator(".stat-value");
  }

  /** The topology the page is drawing, read the way the page reads it. */
  async topology(): Promise<Topology> {
    const res = await this.page.request.get(`${this.baseUrl}/api/topology`);
    expect(res.ok()).toBe(true);
    return (await res.json()) as Topology;
  }

  async pointAt(target: string): Promise<{ x: number; y: number }> {
    const pos = await this.page.evaluate((t) => window.__eniView?.locate?.(t) ?? null, target);
    if (!pos) throw new Error(`${target} is not drawn on the canvas`);
    return pos;
  }

  /** Points at a pod, IP or node until its tooltip shows (saying `says`, when given), as a user moves the
   * mouse again: a live update can redraw the map under a pointer that has stopped. */
  async hover(target: string, says?: string): Promise<void> {
    await expect(async () => {
      const { x, y } = await this.pointAt(target);
      await this.page.mouse.move(x - 1, y - 1);
      await this.page.mouse.move(x, y);
      if (says === undefined) await expect(this.tooltip).toBeVisible({ timeout: 2_000 });
      else await expect(this.tooltip).toContainText(says, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
  }

  /** Clicks the node's box until its panel opens, as a user clicks again when the view moved under the
   * pointer (a live update can resize or re-fit the boxes between finding the node and clicking it). The
   * panel must name that very node, so a click that lands on another box still fails. */
  async clickNode(node: string): Promise<void> {
    await expect(async () => {
      const { x, y } = await this.pointAt(node);
      await this.page.mouse.click(x, y);
      await expect(this.nodePanel.getByRole("heading", { level: 2 })).toHaveText(node, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
  }

  async search(q: string): Promise<void> {
    // "/" from the page, as a user presses it: typed into a box that still has the focus, it would be text.
    await this.searchBox.blur();
    await this.page.locator("body").press("/");
    await expect(this.searchBox).toBeFocused();
    await this.searchBox.fill(q);
  }

  async download(button: "export-png" | "export-svg"): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent("download"),
      this.page.getByTestId(button).click(),
    ]);
    return download;
  }
}
