// Every colour the map draws, measured against what it is drawn on, in every theme and palette: WCAG's 4.5:1
// for text (1.4.3) and 3:1 for marks (1.4.11), 7:1 and 4.5:1 in the high-contrast theme; and the colour-blind
// palette's state colours kept apart under simulated protanopia, deuteranopia and tritanopia.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HEAT_STEPS } from "../layout/heat.ts";
import { deficiencies, seenDistance } from "./colourVision.ts";
import { contrastRatio, luminance, over, parseHex } from "./contrast.ts";
import { kindColors } from "./subnetCanvas.ts";
import { paletteNames, phaseNames, podPalette, type Theme, themeFor, themeNames } from "./theme.ts";

interface Ink {
  what: string;
  colour: string | readonly [number, number, number];
  on: string;
}

/** Text on the map, as nodeBox.ts, problemMarks.ts and planMarks.ts draw it. */
function textInks(t: Theme): Ink[] {
  const onBox = (what: keyof Theme) => ({ what, colour: t[what] as string, on: t.boxFill });
  return [
    onBox("text"),
    onBox("textDim"),
    // Status labels (Ready, NotReady, cordoned) and warnings are text in the tone's colour.
    onBox("ok"),
    onBox("bad"),
    onBox("warn"),
    // ENI captions of trunk and branch ENIs, and a plan's "new ENI".
    onBox("trunk"),
    onBox("branch"),
    onBox("planNew"),
    { what: "groupText", colour: t.groupText, on: t.background },
    // The waiting-for-IP badge's count.
    { what: "badgeText", colour: t.badgeText, on: t.bad },
  ];
}

/** Marks on the map: cells, borders, bars, badges and outlines, each on the box (or the page, for the box). */
function markInks(t: Theme): Ink[] {
  const keys = [
    "primaryCell",
    "warmStroke",
    "cooling",
    "freeCell",
    "placeholderCell",
    "hostCell",
    "trunk",
    "branch",
    "ok",
    "bad",
    "warn",
    "full",
    "subnetLow",
    "eniLimit",
    "hover",
    "selected",
    "flash",
    "planNew",
    "planMoved",
    "planReplaced",
  ] as const;
  return [
    ...keys.map((k) => ({ what: k, colour: t[k], on: t.boxFill })),
    ...phaseNames.map((p) => ({ what: `phase ${p}`, colour: t.phase[p], on: t.boxFill })),
    // The box's edge against the page around it.
    { what: "boxStroke", colour: t.boxStroke, on: t.background },
    // Another card's interface: an outline at 0.8 opacity.
    { what: "interface cell", colour: over(t.textDim, 0.8, t.boxFill), on: t.boxFill },
  ];
}

const every = themeNames.flatMap((n) => paletteNames.map((p) => themeFor(n, p)));

function failures(inks: Ink[], min: number): string[] {
  return inks
    .map((i) => ({ ...i, ratio: contrastRatio(i.colour, i.on) }))
    .filter((i) => i.ratio < min)
    .map(
      (i) =>
        `${i.what} ${typeof i.colour === "string" ? i.colour : "blend"} on ${i.on}: ${i.ratio.toFixed(2)}:1`,
    );
}

describe("map colours against their backgrounds", () => {
  for (const t of every) {
    const high = t.name === "contrast";
    it(`${t.name} theme, ${t.palette} palette: text ≥ ${high ? 7 : 4.5}:1, marks ≥ ${high ? 4.5 : 3}:1`, () => {
      assert.deepEqual(failures(textInks(t), high ? 7 : 4.5), []);
      assert.deepEqual(failures(markInks(t), high ? 4.5 : 3), []);
    });
    it(`${t.name} theme: every namespace colour ≥ 3:1 against the box`, () => {
      assert.deepEqual(
        failures(
          podPalette.map((c) => ({ what: "pod", colour: c, on: t.boxFill })),
          3,
        ),
        [],
      );
    });
  }
});

describe("the heat ramp", () => {
  for (const t of every) {
    const min = t.name === "contrast" ? 4.5 : 3;
    it(`${t.name} theme, ${t.palette} palette: HEAT_STEPS steps, each ≥ ${min}:1 against the page and the box`, () => {
      assert.equal(t.heat.length, HEAT_STEPS);
      assert.deepEqual(
        failures(
          t.heat.flatMap((c, i) => [
            { what: `step ${i}`, colour: c, on: t.background },
            { what: `step ${i}`, colour: c, on: t.boxFill },
          ]),
          min,
        ),
        [],
      );
    });
    it(`${t.name} theme, ${t.palette} palette: ordered in lightness, hot farthest from the paper, steps apart`, () => {
      const paper = luminance(parseHex(t.boxFill));
      const away = t.heat.map((c) => Math.abs(luminance(parseHex(c)) - paper));
      for (let i = 1; i < away.length; i++) {
        assert.ok(away[i]! > away[i - 1]!, `step ${i} is no farther from the paper than step ${i - 1}`);
        // Seen as greyscale too: the order holds without hue.
        const d = seenDistance(t.heat[i]!, t.heat[i - 1]!, null);
        assert.ok(d >= 4, `steps ${i - 1} and ${i} only ${d.toFixed(1)} ΔE00 apart`);
      }
      // "Unknown" is not a step of the ramp.
      for (const c of t.heat) assert.ok(seenDistance(c, t.placeholderCell, null) >= 10, `${c} looks unknown`);
    });
  }
});

describe("the subnet grid's holder colours", () => {
  for (const t of every) {
    const min = t.name === "contrast" ? 4.5 : 3;
    it(`${t.name} theme, ${t.palette} palette: each ≥ ${min}:1 against the panel, each ≥ 8 ΔE00 from the others`, () => {
      const kinds = Object.entries(kindColors(t)).filter(([k]) => k !== "pod");
      assert.deepEqual(
        failures(
          kinds.map(([k, c]) => ({ what: k, colour: c, on: t.boxFill })),
          min,
        ),
        [],
      );
      for (let i = 0; i < kinds.length; i++)
        for (let j = i + 1; j < kinds.length; j++) {
          const d = seenDistance(kinds[i]![1], kinds[j]![1], null);
          assert.ok(d >= 8, `${kinds[i]![0]} and ${kinds[j]![0]} only ${d.toFixed(1)} ΔE00 apart`);
        }
    });
  }
});

/** The smallest CIEDE2000 distance between any two of the colours as seen with the deficiency. */
function closest(colours: Record<string, string>, d: (typeof deficiencies)[number] | null) {
  let min = { distance: Number.POSITIVE_INFINITY, pair: "" };
  const entries = Object.entries(colours);
  for (let i = 0; i < entries.length; i++)
    for (let j = i + 1; j < entries.length; j++) {
      const distance = seenDistance(entries[i]![1], entries[j]![1], d);
      if (distance < min.distance) min = { distance, pair: `${entries[i]![0]}/${entries[j]![0]}` };
    }
  return min;
}

// 10 CIEDE2000 units: well past the 2-3 units at which two flat colour patches stop looking alike.
const APART = 10;

describe("namespace colours", () => {
  it("are each at least 6 ΔE00 from every other, so no two look alike", () => {
    const c = closest(Object.fromEntries(podPalette.map((p) => [p, p])), null);
    assert.ok(c.distance >= 6, `${c.pair} only ${c.distance.toFixed(1)} apart`);
  });
});

describe("the colour-blind palette", () => {
  for (const name of themeNames) {
    const t = themeFor(name, "colourblind");
    const state = {
      ok: t.ok,
      bad: t.bad,
      warn: t.warn,
      full: t.full,
      subnetLow: t.subnetLow,
      eniLimit: t.eniLimit,
    };
    for (const d of [null, ...deficiencies])
      it(`${name} theme: status, problem and phase colours ≥ ${APART} ΔE00 apart with ${d ?? "normal vision"}`, () => {
        for (const group of [state, t.phase]) {
          const c = closest(group, d);
          assert.ok(c.distance >= APART, `${c.pair} only ${c.distance.toFixed(1)} apart`);
        }
      });
  }

  it("tells Running from Failed by lightness too, not by hue alone", () => {
    for (const name of themeNames) {
      const t = themeFor(name, "colourblind");
      assert.ok(contrastRatio(t.phase.Running, t.phase.Failed) >= 1.5, name);
    }
  });
});
