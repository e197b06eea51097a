import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PendingPodReport, PodReport } from "@eni-view/model";
import { cellMatches, parseQuery, QueryError, search } from "./search.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

const nodeA = t3medium("ip-192-168-1-10.ec2.internal", [eni("eni-0aaa111", 0, slots(11, 5, 2))]);
const nodeB = t3medium(
  "ip-192-168-2-10.ec2.internal",
  [eni("eni-0bbb222", 0, slots(40, 5, 1, "kube-system/coredns"))],
  {
    internalIp: "192.168.2.10",
  },
);
function pod(
  ns: string,
  name: string,
  node: string,
  ip: string,
  eniId: string,
  labels: Record<string, string>,
): PodReport {
  return {
    namespace: ns,
    name,
    node,
    ip,
    eni: eniId,
    phase: "Running",
    status: "Running",
    owner: null,
    labels,
  };
}
const pods = [
  pod("default", "nginx-0", nodeA.name, "192.168.1.11", "eni-0aaa111", { app: "nginx" }),
  pod("default", "nginx-1", nodeA.name, "192.168.1.12", "eni-0aaa111", { app: "nginx" }),
  pod("kube-system", "coredns-0", nodeB.name, "192.168.1.40", "eni-0bbb222", { "k8s-app": "kube-dns" }),
];
const pending: PendingPodReport[] = [
  {
    namespace: "default",
    name: "nginx-7",
    node: null,
    reason: "too-many-pods",
    message: "0/3 nodes are available: 3 Too many pods.",
    status: "Pending",
    owner: null,
    since: null,
  },
];
const report = { nodes: [nodeA, nodeB], pods, pending };

describe("search", () => {
  it("matches a name substring across pods, pending pods and counts them", () => {
    const r = search(report, "nginx");
    assert.deepEqual([...r.pods].sort(), ["default/nginx-0", "default/nginx-1"]);
    assert.deepEqual([...r.pending], ["default/nginx-7"]);
    assert.equal(r.count, 3);
    assert.deepEqual([...r.touched], [nodeA.name]);
  });

  it("filters by namespace= and by label=value", () => {
    assert.deepEqual([...search(report, "namespace=kube-system").pods], ["kube-system/coredns-0"]);
    assert.deepEqual([...search(report, "ns=default app=nginx").pods].sort(), [
      "default/nginx-0",
      "default/nginx-1",
    ]);
    assert.deepEqual([...search(report, "k8s-app=kube-dns").pods], ["kube-system/coredns-0"]);
    assert.equal(search(report, "app=redis").count, 0);
  });

  it("finds a pod by IP, and a CIDR lights pods and warm IPs inside it", () => {
    assert.deepEqual([...search(report, "192.168.1.12").pods], ["default/nginx-1"]);
    const r = search(report, "192.168.1.12/30");
    assert.deepEqual([...r.pods], ["default/nginx-1"]);
    assert.equal(r.nodes.size, 0);
    // 192.168.1.13 is a warm IP of node A inside 192.168.1.12/30 (.12-.15); .16 is outside.
    assert.equal(cellMatches(r, nodeA.name, null, "192.168.1.13"), true);
    assert.equal(cellMatches(r, nodeA.name, null, "192.168.1.16"), false);
  });

  it("matches a node by its internal IP and every cell of it stays lit", () => {
    const r = search(report, "192.168.2.10");
    assert.deepEqual([...r.nodes], [nodeB.name]);
    assert.equal(cellMatches(r, nodeB.name, null, null), true);
    assert.equal(cellMatches(r, nodeA.name, "default/nginx-0", "192.168.1.11"), false);
  });

  it("finds the node and pods of an ENI id or its prefix", () => {
    const r = search(report, "eni-0bbb");
    assert.deepEqual([...r.nodes], [nodeB.name]);
    assert.deepEqual([...r.pods], ["kube-system/coredns-0"]);
  });

  it("rejects malformed terms with a message naming them", () => {
    assert.throws(
      () => parseQuery("namespace="),
      (e: unknown) => e instanceof QueryError && /namespace=/.test(e.message),
    );
    assert.throws(() => parseQuery("10.0.0.0/40"), /between 0 and 32/);
    assert.throws(() => parseQuery("10.0.0.300"), /not an IPv4 address/);
  });

  it("treats hostile text as plain text", () => {
    assert.equal(search(report, "<img src=x onerror=alert(1)>").count, 0);
  });
});
