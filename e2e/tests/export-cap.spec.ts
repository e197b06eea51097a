// The whole-cluster export's size cap (issue 12, point 3): at 5,000 nodes, at the largest scale the page
// offers (4×), the PNG falls back to the heat map and stays under 5 MB, within the largest canvas side.
// Against the synthetic server (the simulator would take minutes to reach 5,000 nodes).
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { startSynthetic } from "../support/syntheticServer.ts";

const NODES = 5000;
const MB = 1024 * 1024;

test("a 5,000-node whole-cluster PNG at 4× is the heat map, under 5 MB", async ({ page }) => {
  test.setTimeout(180_000);
  const synthetic = await startSynthetic(["--nodes", String(NODES), "--pods", "30"]);
  try {
    await page.goto(`${synthetic.url}#theme=light`);
    await page.waitForFunction(() => window.__eniView?.lastFrame?.complete === true, null, {
      timeout: 150_000,
    });
    await page.getByTestId("export-scope").selectOption("cluster");
    const ratios = await page
      .getByTestId("export-ratio")
      .locator("option")
      .evaluateAll((os) => os.map((o) => Number((o as HTMLOptionElement).value)));
    await page.getByTestId("export-ratio").selectOption(String(Math.max(...ratios)));
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 150_000 }),
      page.getByTestId("export-png").click(),
    ]);
    const png = await readFile(await download.path());
    // A PNG: its signature, then the IHDR chunk's width and height.
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(png.length).toBeLessThan(5 * MB);
    expect(Math.max(width, height)).toBeLessThanOrEqual(16_384);
    // The page says it fell back, and with the size it wrote.
    const note = page.getByTestId("toolbar-note");
    await expect(note).toContainText("heat map");
    await expect(note).toContainText(`${width} × ${height} px`);
    test.info().annotations.push({
      type: "measured",
      description: `${NODES} nodes at ${Math.max(...ratios)}×: ${(png.length / MB).toFixed(2)} MB, ${width} × ${height} px`,
    });
  } finally {
    synthetic.stop();
  }
});
