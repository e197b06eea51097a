import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PendingPodReport, PodReport } from "@eni-view/model";
import { cellMatches, matchSummary, parseQuery, QueryError, search } from "./search.ts";
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
    owner: "Deployment/nginx",
    since: null,
    labels: { app: "nginx" },
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
    // hostNetwork pods (aws-node, kube-proxy) are found by namespace and name too, and counted apart.
    const system = search(report, "namespace=kube-system");
    assert.deepEqual([...system.pods].sort(), [
      "kube-system/aws-node-abcde",
      "kube-system/coredns-0",
      "kube-system/kube-proxy-fghij",
    ]);
    assert.equal(system.hostPods.size, 2);
    assert.equal(matchSummary(system), "1 pod · 2 hostNetwork");
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

  it("an IP finds the node whose own address it is, without lighting the node's pods", () => {
    const r = search(report, "192.168.2.10");
    assert.deepEqual([...r.nodeIps], [nodeB.name]);
    assert.deepEqual([...r.touched].sort(), [nodeB.name]);
    assert.equal(cellMatches(r, nodeB.name, "kube-system/coredns-0", "192.168.1.40"), false);
  });

  it("a CIDR counts pods, nodes, ENIs and warm IPs by their own addresses, each apart", () => {
    // nodeA: node IP and ENI primary 192.168.1.10, pods .11 .12, warm .13-.15.
    const r = search(report, "192.168.1.8/29");
    // aws-node and kube-proxy run on the node's own IP (hostNetwork): found by it, counted apart.
    assert.deepEqual([...r.pods].sort(), [
      "default/nginx-0",
      "default/nginx-1",
      "kube-system/aws-node-abcde",
      "kube-system/kube-proxy-fghij",
    ]);
    assert.deepEqual([...r.nodeIps].sort(), [nodeA.name]);
    // Both fixture nodes' primary ENIs have primary IP 192.168.1.10.
    assert.deepEqual([...r.enis].sort(), ["eni-0aaa111", "eni-0bbb222"]);
    assert.deepEqual([...r.warm].sort(), ["192.168.1.13", "192.168.1.14", "192.168.1.15"]);
    assert.equal(matchSummary(r), "2 pods · 2 hostNetwork · 1 node · 2 ENIs · 3 warm IPs");
    // Node A's other pods are not lit because its own IP is in the range.
    assert.equal(cellMatches(r, nodeA.name, null, "192.168.1.15"), true);
  });

  it("finds the node and pods of an ENI id or its prefix", () => {
    const r = search(report, "eni-0bbb");
    assert.deepEqual([...r.enis], ["eni-0bbb222"]);
    assert.deepEqual([...r.touched], [nodeB.name]);
    assert.deepEqual([...r.pods], ["kube-system/coredns-0"]);
    // Every IP of that ENI stays lit, a warm one too.
    assert.equal(cellMatches(r, nodeB.name, null, "192.168.1.44"), true);
  });

  it("rejects malformed terms with a message naming them", () => {
    assert.throws(
      () => parseQuery("namespace="),
      (e: unknown) => e instanceof QueryError && /namespace=/.test(e.message),
    );
    assert.throws(() => parseQuery("10.0.0.0/40"), /between 0 and 32/);
    assert.throws(() => parseQuery("10.0.0.300"), /not an IPv4 address/);
  });

  it("says what it does not understand rather than matching nothing, hostile text included", () => {
    assert.throws(() => parseQuery("<img src=x onerror=alert(1)>"), QueryError);
    assert.throws(() => parseQuery("app=~web"), /operator eni-view does not know/);
    assert.throws(() => parseQuery("app in web"), QueryError);
    assert.throws(() => parseQuery("app in (web"), /without "\)"/);
    assert.throws(() => parseQuery("=web"), /needs a key/);
    assert.equal(search(report, "nothing-like-this").count, 0);
  });

  it("reads kubectl's selectors: =, ==, !=, in, notin, existence", () => {
    const keys = (q: string) => [...search(report, q).pods, ...search(report, q).pending].sort();
    assert.deepEqual(keys("app==nginx"), keys("app=nginx"));
    // != keeps pods without the label, as kubectl does; hostNetwork pods' labels are unknown: left out.
    assert.deepEqual(keys("app!=nginx"), ["kube-system/coredns-0"]);
    assert.deepEqual(keys("app in (nginx, web)"), ["default/nginx-0", "default/nginx-1", "default/nginx-7"]);
    assert.deepEqual(keys("k8s-app notin (kube-dns),namespace=kube-system"), []);
    assert.deepEqual(keys("!app namespace=kube-system"), [
      "kube-system/aws-node-abcde",
      "kube-system/coredns-0",
      "kube-system/kube-proxy-fghij",
    ]);
    assert.deepEqual(keys("k8s-app"), ["kube-system/coredns-0"]);
  });

  it("finds Pending pods by label, phase and owner; fields by phase, node, instance and subnet", () => {
    assert.deepEqual([...search(report, "app=nginx phase=Pending").pending], ["default/nginx-7"]);
    assert.equal(search(report, "app=nginx phase=Pending").pods.size, 0);
    assert.deepEqual([...search(report, "owner=Deployment/nginx").pending], ["default/nginx-7"]);
    assert.deepEqual([...search(report, "phase=running node=ip-192-168-2").pods], ["kube-system/coredns-0"]);
    assert.equal(search(report, "i-0123456789").nodes.size, 2);
    assert.equal(search(report, "subnet-0aaa").enis.size, 2);
  });
});
