import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lazyPodIndex } from "../layout/podIndex.ts";
import { ColorRegistry, podColorFn } from "./podColors.ts";
import { phaseColors, podPalette } from "./theme.ts";

describe("pod colours", () => {
  it("gives the first values distinct palette colours and keeps each one", () => {
    const r = new ColorRegistry();
    const names = Array.from({ length: podPalette.length }, (_, i) => `ns-${i}`);
    const colours = names.map((n) => r.colorOf(n));
    assert.equal(new Set(colours).size, podPalette.length);
    assert.deepEqual(
      names.map((n) => r.colorOf(n)),
      colours,
    );
    assert.ok(podPalette.includes(r.colorOf("one-more")));
  });

  it("colours a namespace the same across updates, and phases by their fixed colours", () => {
    const first = podColorFn("namespace", lazyPodIndex([]));
    const later = podColorFn("namespace", lazyPodIndex([]));
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
    assert.equal(podColorFn("phase", pods)("web/a"), phaseColors.Pending);
  });
});
