// Contrast and colour (issue 12, point 6): every text on the page reads at WCAG's 4.5:1 against what is
// really behind it (3:1 for large text), and every input's edge at 3:1, in each theme and palette, measured
// from the rendered styles; the map's own colours are measured in apps/web/src/draw/theme.test.ts. The
// colour-blind palette and the high-contrast theme are picked in the page and kept in the link, and a system
// asking for more contrast gets the high-contrast theme by default.
import { expect, type Page, test } from "@playwright/test";
import { contrastRatio, over, parseHex, type Rgb } from "../../apps/web/src/draw/contrast.ts";
import { podPalette, themeFor } from "../../apps/web/src/draw/theme.ts";
import { boxOf, settled } from "../pages/canvasPixels.ts";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { scaleNginx } from "../support/cluster.ts";
import { type SyntheticServer, startSynthetic } from "../support/syntheticServer.ts";

type Rgba = [number, number, number, number];

interface Sample {
  text: string;
  colour: Rgba;
  /** Backgrounds from the element outwards, up to the first opaque one (the page's, at worst). */
  behind: Rgba[];
  large: boolean;
  kind: "text" | "placeholder" | "edge";
}

/** What the page shows as text (and input edges), with the colours the browser computed for it. */
async function samples(page: Page): Promise<Sample[]> {
  return page.evaluate(() => {
    const parse = (css: string): Rgba => {
      const m = /rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:,? \/? ?([\d.]+))?\)/.exec(css);
      if (!m) return [0, 0, 0, 0];
      return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
    };
    const behind = (el: Element): Rgba[] => {
      const out: Rgba[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) out.push(c);
        if (c[3] >= 1) return out;
      }
      out.push(parse(getComputedStyle(document.documentElement).backgroundColor));
      return out;
    };
    const opacity = (el: Element): number => {
      let o = 1;
      for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const shown = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility === "visible" && opacity(el) > 0.05;
    };
    const out: Sample[] = [];
    const withAlpha = (c: Rgba, el: Element): Rgba => [c[0], c[1], c[2], c[3] * opacity(el)];
    for (const el of document.querySelectorAll("body *")) {
      if (el.closest("svg, canvas, option, script, style") || !shown(el)) continue;
      const s = getComputedStyle(el);
      const own = [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? "")
        .join("")
        .trim();
      const size = Number.parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      if (own)
        out.push({
          text: own.slice(0, 60),
          colour: withAlpha(parse(s.color), el),
          behind: behind(el),
          large,
          kind: "text",
        });
      if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) {
        if (el instanceof HTMLInputElement && el.placeholder && !el.value)
          out.push({
            text: `placeholder "${el.placeholder.slice(0, 40)}"`,
            colour: withAlpha(parse(getComputedStyle(el, "::placeholder").color), el),
            behind: behind(el),
            large: false,
            kind: "placeholder",
          });
        if (el.type !== "checkbox")
          out.push({
            text: `edge of ${el.getAttribute("data-testid") ?? el.getAttribute("aria-label") ?? el.tagName}`,
            colour: withAlpha(parse(s.borderTopColor), el),
            behind: el.parentElement ? behind(el.parentElement) : [],
            large: false,
            kind: "edge",
          });
      }
    }
    return out;
  });
}

/** The colour a stack of translucent layers comes to, painted from the back. */
function flatten(layers: Rgba[]): Rgb {
  let c: Rgb = [255, 255, 255];
  for (const l of [...layers].reverse()) c = over([l[0], l[1], l[2]], l[3], c);
  return c;
}

function failures(list: Sample[], high: boolean): string[] {
  return list.flatMap((s) => {
    const bg = flatten(s.behind);
    const fg = over([s.colour[0], s.colour[1], s.colour[2]], s.colour[3], bg);
    const ratio = contrastRatio(fg, bg);
    const min = s.kind === "edge" ? 3 : s.large ? (high ? 4.5 : 3) : high ? 7 : 4.5;
    return ratio < min ? [`${s.text}: ${ratio.toFixed(2)}:1 (needs ${min})`] : [];
  });
}

test.describe("page text and input edges meet WCAG contrast", () => {
  test.beforeAll(() => scaleNginx(50));
  for (const theme of ["light", "dark", "contrast"] as const)
    for (const palette of ["standard", "colourblind"] as const)
      test(`${theme} theme, ${palette} palette`, async ({ page }) => {
        const dash = new DashboardPage(page);
        // The problems list open and Pending pods in the tray: the page's coloured text on screen at once.
        await dash.open(`#theme=${theme}&palette=${palette}&problems=1`);
        await expect(dash.pendingCount).toHaveText("7", { timeout: 45_000 });
        await expect(page.getByTestId("problem-entry").first()).toBeVisible();
        await dash.clickNode((await dash.topology()).nodes[0]!.name);
        const list = await samples(page);
        expect(list.filter((s) => s.kind === "text").length).toBeGreaterThan(100);
        expect(failures(list, theme === "contrast")).toEqual([]);
      });
});

test("the colour-blind palette and the high-contrast theme are picked in the page and kept in the link", async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await dash.open("#theme=light");
  await page.getByTestId("palette").selectOption("colourblind");
  await dash.theme.selectOption("contrast");
  await expect(page).toHaveURL(/palette=colourblind/);
  await expect(page).toHaveURL(/theme=contrast/);
  await expect(page.locator("html")).toHaveAttribute("data-theme", "contrast");
  await expect(page.locator("html")).toHaveAttribute("data-palette", "colourblind");
  // The link reopens the same colours in a new page.
  const other = await page.context().newPage();
  await other.goto(page.url());
  await expect(other.locator("html")).toHaveAttribute("data-palette", "colourblind");
  await expect(other.getByTestId("theme")).toHaveValue("contrast");
  await other.close();
});

test("a system that asks for more contrast gets the high-contrast theme unless the link picks one", async ({
  browser,
}) => {
  const page = await browser.newPage({ contrast: "more" });
  const dash = new DashboardPage(page);
  await dash.open("");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "contrast");
  await dash.open("#theme=dark");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.close();
});

/** The colours that cover at least `share` of a box on the canvas, with the share each covers. */
async function boxColours(
  page: Page,
  node: string,
  share: number,
): Promise<{ colour: Rgb; share: number }[]> {
  const b = await boxOf(page, node);
  return page.evaluate(
    ({ b, share }) => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="cluster-canvas"]')!;
      const r = c.getBoundingClientRect();
      const dpr = c.width / r.width;
      // Inside the box's edge: the pixels at its rim blend into the page.
      const x = Math.ceil((b.x - r.left) * dpr) + 2;
      const y = Math.ceil((b.y - r.top) * dpr) + 2;
      const w = Math.floor(b.width * dpr) - 4;
      const h = Math.floor(b.height * dpr) - 4;
      const d = c.getContext("2d")!.getImageData(x, y, w, h).data;
      const count = new Map<number, number>();
      for (let i = 0; i < d.length; i += 4) {
        const k = (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!;
        count.set(k, (count.get(k) ?? 0) + 1);
      }
      const all = w * h;
      return [...count]
        .filter(([, n]) => n / all >= share)
        .map(([k, n]) => ({ colour: [(k >> 16) & 255, (k >> 8) & 255, k & 255] as Rgb, share: n / all }));
    },
    { b, share },
  );
}

const near = (a: Rgb, b: Rgb) => a.every((v, i) => Math.abs(v - b[i]!) <= 6);

// The zoomed-out map as Chromium composites it (WCAG 1.4.11): every colour that covers a real part of a box,
// slots, marks, header bands, is at 3:1 against the box (the theme's own colours at 4.5:1 in the high-contrast
// theme), and every box of
// the heat map at 3:1 against the page. The synthetic cluster has every slot state: warm IPs, room on ENIs,
// ENIs not attached, overcommitted nodes and pods waiting. apps/web/src/draw/overviewContrast.test.ts measures
// the same pixel by pixel, in both ways the map draws.
test.describe("the zoomed-out map's slots, marks and heat map meet 3:1 on the canvas", () => {
  let synthetic: SyntheticServer | undefined;
  test.beforeAll(async () => {
    synthetic = await startSynthetic([
      "--nodes",
      "48",
      "--pods",
      "9",
      "--types",
      "t3.medium,m5.large",
      "--overcommit",
      "5",
      "--pending",
      "6",
    ]);
  });
  test.afterAll(() => synthetic?.stop());

  for (const theme of ["light", "dark", "contrast"] as const)
    test(`${theme} theme`, async ({ page }) => {
      const t = themeFor(theme, "standard");
      const min = theme === "contrast" ? 4.5 : 3;
      const box = parseHex(t.boxFill);
      const page_ = parseHex(t.background);
      // The healthy header's faint tint is decoration; the band that matters (NotReady, cordoned) is solid.
      const tint = over(t.ok, 0.18, t.boxFill);
      const dash = new DashboardPage(page, synthetic!.url.replace(/\/$/, ""));
      const names = (await dash.topology()).nodes.map((n) => n.name);
      for (const heat of [false, true]) {
        // A fresh load each time: a hash change alone would leave the first drawing's "complete" flag up.
        await page.goto("about:blank");
        await dash.open(`#theme=${theme}&problems=1${heat ? "&heat=pods" : ""}`);
        await settled(page);
        // Measured until the boxes are painted: the zoomed-out raster fills in steps after the first
        // drawing, and a box not yet filled reads as bare canvas (black, 1.28:1 on the dark theme).
        let seen = 0;
        const measure = async () => {
          const low: string[] = [];
          seen = 0;
          for (const n of names.slice(0, 12)) {
            const colours = await boxColours(page, n, 0.02);
            for (const { colour, share } of colours) {
              if (near(colour, box) || near(colour, page_) || near(colour, tint)) continue;
              seen++;
              const against = heat && share >= 0.3 ? page_ : box;
              const ratio = contrastRatio(colour, against);
              // Namespace colours are one palette for every theme, at 3:1 (theme.test.ts); the high-contrast
              // theme's 4.5:1 is for its own colours.
              const pod = podPalette.some((c) => near(colour, parseHex(c)));
              if (ratio < (pod ? 3 : min))
                low.push(
                  `${n}${heat ? " (heat)" : ""}: rgb(${colour.join(", ")}) over ${(share * 100).toFixed(0)} %: ${ratio.toFixed(2)}:1`,
                );
            }
          }
          return low;
        };
        await expect.poll(measure, { timeout: 10_000 }).toEqual([]);
        expect(seen).toBeGreaterThan(12);
      }
    });
});
