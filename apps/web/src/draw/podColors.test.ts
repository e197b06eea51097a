import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stableHash } from "../layout/colorKey.ts";
import { lazyPodIndex } from "../layout/podIndex.ts";
import { podColorFn, valueColor } from "./podColors.ts";
import { podPalette, themeFor, themes } from "./theme.ts";

describe("pod colours", () => {
  it("colours a value by a hash of its name, whatever order the values are first drawn in", () => {
    const names = Array.from({ length: 40 }, (_, i) => `ns-${i}`);
    const forward = podColorFn("namespace", lazyPodIndex([]), themes.light);
    const colours = names.map((n) => forward(`${n}/pod`));
    const backward = podColorFn("namespace", lazyPodIndex([]), themes.light);
    const reversed = [...names].reverse().map((n) => backward(`${n}/pod`));
    assert.deepEqual(reversed.reverse(), colours);
    for (const [i, n] of names.entries()) {
      assert.ok(podPalette.includes(colours[i]!));
      assert.equal(colours[i], podPalette[stableHash(n) % podPalette.length]);
    }
    // Forty names spread over the palette rather than piling on a few colours.
    assert.ok(new Set(colours).size >= podPalette.length / 2);
    assert.equal(valueColor("default"), forward("default/x"));
  });

  it("colours a namespace the same across updates, and phases by their fixed colours", () => {
    const first = podColorFn("namespace", lazyPodIndex([]), themes.light);
    const later = podColorFn("namespace", lazyPodIndex([]), themes.light);
    assert.equal(first("web/a"), later("web/b"));
    const pods = lazyPodIndex([
      {
        namespace: "web",
        name: "a",
        node: "n",
        ip: "10.0.0.1",
        eni: null,
        phase: "Pending",
        status: "ContainerCreating",
        owner: null,
        labels: {},
      },
    ]);
    assert.equal(podColorFn("phase", pods, themes.light)("web/a"), themes.light.phase.Pending);
    const colourblind = themeFor("light", "colourblind");
    assert.equal(podColorFn("phase", pods, colourblind)("web/a"), colourblind.phase.Pending);
    assert.notEqual(colourblind.phase.Pending, themes.light.phase.Pending);
  });
});
