import assert from "node:assert/strict";
import { test } from "node:test";
import { buildReport } from "../report.ts";
import { randomCluster } from "../testing/randomCluster.ts";
import { translator } from "../testing/translator.ts";
import type { ClusterInput } from "../types.ts";
import { reportMessages, reportText } from "./reportText.ts";

const english = translator(reportMessages.en, "en");
const korean = translator(reportMessages.ko, "ko");

/** The model's own sentences for a few random clusters, some without aws-node and some with ENIs gone. */
function sentences(): string[] {
  const out = new Set<string>();
  for (let seed = 1; seed <= 12; seed++) {
    let input: ClusterInput = randomCluster(seed, { nodes: 6, prefixDelegation: seed % 3 === 0 });
    if (seed % 2 === 0) input = { ...input, cni: { ...input.cni, detected: false } };
    // EC2 lagging behind the pods: an ENI the pods' IPs are on is not listed yet.
    if (seed % 4 === 1) input = { ...input, enis: input.enis.filter((e) => e.deviceIndex !== 1) };
    const r = buildReport(input);
    for (const w of r.warnings) out.add(w);
    for (const n of r.nodes) for (const s of [...n.warnings, ...n.notes]) out.add(s);
  }
  return [...out];
}

test("every warning and note the model writes for these clusters is recognised, and said again word for word", () => {
  const all = sentences();
  assert.ok(all.length >= 20, `only ${all.length} sentences: the clusters do not exercise the warnings`);
  for (const s of all) assert.deepEqual(reportText(s, english), { text: s, known: true }, s);
});

test("in Korean a sentence keeps its names and numbers, and a long list's tail is said in Korean", () => {
  const s = "15 pod IP(s) found on no ENI: default/web-1 (10.0.1.5), default/web-2 (10.0.1.6) and 13 more";
  const { text, known } = reportText(s, korean);
  assert.ok(known);
  assert.match(text, /파드 IP 15개/);
  assert.match(text, /default\/web-1 \(10\.0\.1\.5\), default\/web-2 \(10\.0\.1\.6\) 외 13개$/);
  assert.deepEqual(reportText("a sentence the model never wrote", korean), {
    text: "a sentence the model never wrote",
    known: false,
  });
});
