import assert from "node:assert/strict";
import { after, test } from "node:test";
import { buildReport, type ClusterInput } from "@eni-view/model";
import { randomCluster } from "../../../../packages/model/src/testing/randomCluster.ts";
import { i18n } from "../i18n/i18n.ts";
import { reportText } from "./reportWords.ts";

after(() => i18n.changeLanguage("en"));

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

test("every warning and note the model writes for these clusters is recognised, and English stays word for word", async () => {
  await i18n.changeLanguage("en");
  const all = sentences();
  assert.ok(all.length >= 5, `only ${all.length} sentences: the clusters do not exercise the warnings`);
  for (const s of all) assert.deepEqual(reportText(s), { text: s, known: true }, s);
});

test("in Korean the sentence is Korean, its names and numbers kept, a long list's tail translated", async () => {
  await i18n.changeLanguage("ko");
  const s = "15 pod IP(s) found on no ENI: default/web-1 (10.0.1.5), default/web-2 (10.0.1.6) and 13 more";
  const { text, known } = reportText(s);
  assert.ok(known);
  assert.match(text, /파드 IP 15개/);
  assert.match(text, /default\/web-1 \(10\.0\.1\.5\), default\/web-2 \(10\.0\.1\.6\) 외 13개$/);
  assert.deepEqual(reportText("a sentence the model never wrote"), {
    text: "a sentence the model never wrote",
    known: false,
  });
});
