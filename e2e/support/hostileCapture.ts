// A capture folder (the dump source) whose names are hostile. Kubernetes itself would refuse most of them
// (names cannot hold "<" or quotes), but a capture folder is just files anyone can edit or hand over, so
// the page must treat every name as text. Built from the server's lab-2-replicas fixture (3 nodes, one
// pod Pending), renaming things in the parsed JSON so every reference stays consistent.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const fixture = new URL("../../apps/server/src/fixtures/lab-2-replicas/", import.meta.url).pathname;

export const hostile = {
  /** A running pod on the first node. */
  pod: "<img src=x onerror=alert(1)>",
  podNamespace: "default",
  /** The Pending pod: a namespace with both quotes and a name that closes an attribute. */
  pendingNamespace: `team-"quoted"-'ns'`,
  pendingName: `"><script>alert(2)</script>`,
  /** The third node's name: drawn in its box header on the canvas and in the SVG export (short enough
   * to fit the header uncut). */
  node: "<svg onload=f()>",
  /** CLUSTER_NAME in aws-node: the toolbar and the export's title line. */
  cluster: "</title><script>alert(4)</script>",
  /** A node-group label with quotes (group titles, tooltips). */
  nodeGroup: `ng-"1"-'a'`,
  /** A very long label value with quotes on the second nginx pod. */
  longLabel: `${'very-long-"label"-'.repeat(40)}end`,
};

const firstPod = "nginx-deployment-7c79c4bf97-aaaaa";
const pendingPod = "nginx-deployment-7c79c4bf97-ccccc";
const thirdNode = "ip-192-168-3-10.ap-northeast-2.compute.internal";

type Json = Record<string, unknown>;

/** Replaces a string wherever it occurs as a whole JSON string value. */
function renameValue(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => renameValue(v, from, to));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renameValue(v, from, to)]));
  return value;
}

export function writeHostileCapture(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(fixture)) {
    let doc = JSON.parse(readFileSync(join(fixture, file), "utf8")) as Json;
    doc = renameValue(doc, thirdNode, hostile.node) as Json;
    if (file === "pods.json") {
      for (const item of doc.items as Json[]) {
        const meta = item.metadata as Json & { labels?: Record<string, string> };
        if (meta.name === firstPod) meta.name = hostile.pod;
        if (meta.name === pendingPod) {
          meta.name = hostile.pendingName;
          meta.namespace = hostile.pendingNamespace;
        }
        if (meta.name === "nginx-deployment-7c79c4bf97-bbbbb")
          meta.labels = { ...meta.labels, note: hostile.longLabel };
      }
    }
    if (file === "nodes.json") {
      for (const item of doc.items as Json[]) {
        const labels = (item.metadata as Json).labels as Record<string, string>;
        if (labels["eks.amazonaws.com/nodegroup"]) labels["eks.amazonaws.com/nodegroup"] = hostile.nodeGroup;
      }
    }
    if (file === "aws-node.json") {
      const spec = (doc.spec as Json).template as Json;
      const container = ((spec.spec as Json).containers as Json[])[0]!;
      (container.env as Json[]).push({ name: "CLUSTER_NAME", value: hostile.cluster });
    }
    writeFileSync(join(dir, file), JSON.stringify(doc, null, 1));
  }
  return dir;
}
