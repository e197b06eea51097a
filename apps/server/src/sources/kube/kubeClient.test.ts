import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KubeConfig } from "@kubernetes/client-node";
import { clusterNameOf } from "./kubeClient.ts";

function config(cluster: string, user: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: cluster, server: "https://127.0.0.1:6443", skipTLSVerify: false }],
    users: [{ name: user, token: "t" }],
    contexts: [{ name: "ctx", cluster, user }],
    currentContext: "ctx",
  });
  return kc;
}

describe("the cluster name from the kubeconfig", () => {
  test("EKS ARNs and eksctl names give the cluster's own name", () => {
    assert.equal(
      clusterNameOf(config("arn:aws:eks:ap-northeast-2:123456789012:cluster/myeks", "u")),
      "myeks",
    );
    assert.equal(clusterNameOf(config("myeks.ap-northeast-2.eksctl.io", "u")), "myeks");
    assert.equal(clusterNameOf(config("kops.example.com", "u")), "kops.example.com");
  });

  test("the in-cluster service-account config names no cluster", () => {
    assert.equal(clusterNameOf(config("inCluster", "inClusterUser")), null);
  });
});
