// Reading what the canvas drew: a node box's place on screen and the colour of one pixel, for specs that
// check the marks a box wears.
import { expect, type Page } from "@playwright/test";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export async function boxOf(page: Page, node: string): Promise<Box> {
  const box = await page.evaluate((n) => window.__eniView?.locateBox?.(n) ?? null, node);
  if (!box) throw new Error(`${node} has no box on the map`);
  return box;
}

/** Waits until everything in view is drawn at its final quality. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__eniView?.lastFrame?.complete === true);
}

/** The canvas's colour at a viewport point, as [r, g, b]. */
export async function pixel(page: Page, x: number, y: number): Promise<[number, number, number]> {
  return page.evaluate(
    ([px, py]) => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="cluster-canvas"]')!;
      const r = c.getBoundingClientRect();
      const dpr = c.width / r.width;
      const d = c
        .getContext("2d")!
        .getImageData(Math.floor((px! - r.left) * dpr), Math.floor((py! - r.top) * dpr), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as [number, number, number];
    },
    [x, y],
  );
}

export function hex(c: string): [number, number, number] {
  const v = Number.parseInt(c.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** The pixel is within `tolerance` of the colour on every channel (scaling blends a little). */
export function expectColor(got: [number, number, number], want: string, tolerance = 24): void {
  const w = hex(want);
  const far = got.some((v, i) => Math.abs(v - w[i]!) > tolerance);
  expect(far, `pixel rgb(${got.join(", ")}) should be ${want}`).toBe(false);
}
