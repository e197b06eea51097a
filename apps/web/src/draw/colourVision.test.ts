import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ciede2000, lab, seenDistance, simulate } from "./colourVision.ts";
import { contrastRatio, over, parseHex } from "./contrast.ts";

describe("contrastRatio", () => {
  it("is 21:1 for black on white and 1:1 for a colour on itself", () => {
    assert.equal(contrastRatio("#000000", "#ffffff"), 21);
    assert.equal(contrastRatio("#777777", "#777777"), 1);
  });
  it("gives WCAG's figure for #767676 on white, the lightest grey passing 4.5:1", () => {
    assert.ok(Math.abs(contrastRatio("#767676", "#ffffff") - 4.54) < 0.01);
  });
  it("judges a colour painted with alpha as it lands on its background", () => {
    assert.deepEqual(over("#000000", 0.5, "#ffffff"), [127.5, 127.5, 127.5]);
  });
});

describe("ciede2000", () => {
  // Sharma, Wu & Dalal (2005), "The CIEDE2000 Color-Difference Formula: Implementation Notes, Supplementary
  // Test Data, and Mathematical Observations", table 1: pairs 1, 7, 17 and 25 with their published ΔE00.
  const pairs: [[number, number, number], [number, number, number], number][] = [
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 0, 0], [50, -1, 2], 2.3669],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
  ];
  for (const [a, b, want] of pairs)
    it(`gives ${want} for Lab(${a.join(", ")}) against Lab(${b.join(", ")})`, () => {
      assert.ok(Math.abs(ciede2000(a, b) - want) < 1e-4, `${ciede2000(a, b)}`);
    });
  it("puts sRGB white at L* 100 and black at 0", () => {
    assert.ok(Math.abs(lab(simulate("#ffffff", null))[0] - 100) < 1e-3);
    assert.equal(lab(simulate("#000000", null))[0], 0);
  });
});

describe("simulate (Machado et al. 2009, severity 1)", () => {
  it("leaves greys grey: each matrix row sums to 1", () => {
    for (const d of ["protanopia", "deuteranopia", "tritanopia"] as const) {
      const g = simulate("#808080", d);
      const n = simulate("#808080", null);
      for (let i = 0; i < 3; i++) assert.ok(Math.abs(g[i]! - n[i]!) < 0.002);
    }
  });
  it("makes pure red and green close for red-green deficiencies but not for tritanopia", () => {
    const red = "#d00000";
    const green = "#008f00";
    assert.ok(seenDistance(red, green, null) > 40);
    assert.ok(seenDistance(red, green, "deuteranopia") < seenDistance(red, green, null) / 2);
    assert.ok(seenDistance(red, green, "protanopia") < seenDistance(red, green, null) / 2);
    assert.ok(seenDistance(red, green, "tritanopia") > 30);
  });
  it("parses #rgb as #rrggbb", () => {
    assert.deepEqual(parseHex("#fa0"), [255, 170, 0]);
  });
});
