import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultViewState, parseViewState, serializeViewState } from "./viewState.ts";

describe("view state in the URL", () => {
  it("honours kube-ops-view's #scale=1.5 as 1.5 times the fitted size", () => {
    const { state, problems } = parseViewState("#scale=1.5");
    assert.deepEqual(problems, []);
    assert.equal(state.zoom, 1.5);
    assert.equal(state.view, null);
    assert.equal(serializeViewState(state), "#scale=1.5");
    // Our own links carry x and y: an absolute view.
    assert.deepEqual(parseViewState("#scale=0.5&x=10&y=20").state.view, { x: 10, y: 20, k: 0.5 });
  });

  it("reads kube-ops-view's ;-separated hashes, #dashboard=true as kiosk, and declines #reload on screen", () => {
    const { state, problems } = parseViewState("#dashboard=true;scale=2;reload=60");
    assert.equal(state.kiosk, true);
    assert.equal(state.zoom, 2);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.describe(), /^reload=60 is not needed: this page updates live/);
  });

  it("round-trips every field through the hash", () => {
    const s = {
      group: "instanceType" as const,
      color: "owner" as const,
      q: "namespace=kube-system app=web",
      zoom: null,
      view: { x: -120.5, y: 33, k: 0.75 },
      node: "ip-192-168-1-10.ap-northeast-2.compute.internal",
      theme: "contrast" as const,
      palette: "colourblind" as const,
      kiosk: true,
      heat: "waiting" as const,
      problemsOnly: true,
      sort: "utilisation" as const,
      problemsList: true,
      tab: "subnets" as const,
      subnet: "subnet-0abc",
      lang: "ko" as const,
      lab: { id: "raise-limit", step: 2 },
      plan: "scale=default/nginx-deployment=50&set=ENABLE_PREFIX_DELEGATION=true&roll=*",
      planView: "before" as const,
    };
    assert.deepEqual(parseViewState(serializeViewState(s)).state, s);
  });

  it("writes nothing for the defaults", () => {
    assert.equal(serializeViewState(defaultViewState), "");
    assert.deepEqual(parseViewState("").state, defaultViewState);
  });

  it("reports bad values by name and keeps the defaults", () => {
    const { state, problems } = parseViewState("#group=rack&scale=abc&theme=pink");
    assert.equal(state.group, "zone");
    assert.equal(state.view, null);
    assert.equal(state.theme, "system");
    assert.deepEqual(
      problems.map((p) => p.describe()),
      [
        "group=rack is not one of zone, nodeGroup, instanceType, none",
        "theme=pink is not one of system, light, dark, contrast",
        "scale=abc is not a number between 0.01 and 16",
      ],
    );
  });

  it("carries the language only once it was picked, and refuses one the page does not have", () => {
    assert.doesNotMatch(serializeViewState({ ...defaultViewState, lang: null }), /lang/);
    assert.equal(serializeViewState({ ...defaultViewState, lang: "ko" }), "#lang=ko");
    const { state, problems } = parseViewState("#lang=fr");
    assert.equal(state.lang, null);
    assert.deepEqual(
      problems.map((p) => p.describe()),
      ["lang=fr is not one of en, ko"],
    );
  });

  it("opens a teacher's link at the lab and step it names, and says what it cannot open", () => {
    assert.equal(
      serializeViewState({ ...defaultViewState, lab: { id: "scale", step: 4 } }),
      "#lab=scale&step=4",
    );
    assert.deepEqual(parseViewState("#lab=scale&step=4").state.lab, { id: "scale", step: 4 });
    assert.deepEqual(parseViewState("#lab=scale").state.lab, { id: "scale", step: 1 });
    const past = parseViewState("#lab=scale&step=9");
    assert.deepEqual(past.state.lab, { id: "scale", step: 5 });
    assert.deepEqual(
      past.problems.map((p) => p.describe()),
      ["step=9: the scale lab has 5 steps; showing the last"],
    );
    const unknown = parseViewState("#lab=bgp&step=2");
    assert.equal(unknown.state.lab, null);
    assert.match(unknown.problems[0]!.describe(), /^lab=bgp is not one of max-pods, warm-pool, scale, /);
    assert.deepEqual(
      parseViewState("#lab=scale&step=0").problems.map((p) => p.describe()),
      ["step=0 is not a number between 1 and 1000000"],
    );
  });

  it("keeps hostile text in the search as text", () => {
    const q = "<img src=x onerror=alert(1)>&x=1#";
    assert.equal(parseViewState(serializeViewState({ ...defaultViewState, q })).state.q, q);
  });
});
