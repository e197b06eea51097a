// The kube-system workloads every EKS cluster runs, shaped like the EKS add-ons: aws-node (the VPC CNI,
// whose env is the scenario's CNI configuration), kube-proxy and CoreDNS.
import type { WorkloadSpec } from "./workloads.ts";

function ecr(region: string, repo: string, tag: string): string {
  return `602401143452.dkr.ecr.${region}.amazonaws.com/${repo}:${tag}`;
}

/** aws-node's env as the add-on manifest sets it, with the scenario's values laid over the defaults. */
export function awsNodeEnv(overrides: Record<string, string>): Record<string, string> {
  return {
    ADDITIONAL_ENI_TAGS: "{}",
    ANNOTATE_POD_IP: "false",
    AWS_VPC_CNI_NODE_PORT_SUPPORT: "true",
    AWS_VPC_ENI_MTU: "9001",
    AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "false",
    AWS_VPC_K8S_CNI_EXTERNALSNAT: "false",
    AWS_VPC_K8S_CNI_LOGLEVEL: "DEBUG",
    AWS_VPC_K8S_CNI_LOG_FILE: "/host/var/log/aws-routed-eni/ipamd.log",
    AWS_VPC_K8S_CNI_RANDOMIZESNAT: "prng",
    AWS_VPC_K8S_CNI_VETHPREFIX: "eni",
    AWS_VPC_K8S_PLUGIN_LOG_FILE: "/var/log/aws-routed-eni/plugin.log",
    AWS_VPC_K8S_PLUGIN_LOG_LEVEL: "DEBUG",
    CLUSTER_ENDPOINT: "https://127.0.0.1",
    DISABLE_INTROSPECTION: "false",
    DISABLE_METRICS: "false",
    DISABLE_NETWORK_RESOURCE_PROVISIONING: "false",
    ENABLE_IPv4: "true",
    ENABLE_IPv6: "false",
    ENABLE_POD_ENI: "false",
    ENABLE_PREFIX_DELEGATION: "false",
    ENABLE_SUBNET_DISCOVERY: "true",
    NETWORK_POLICY_ENFORCING_MODE: "standard",
    VPC_CNI_VERSION: "v1.19.2",
    WARM_ENI_TARGET: "1",
    WARM_PREFIX_TARGET: "1",
    ...overrides,
  };
}

/** Required node affinity on Linux nodes of the CPU types the images are built for, leaving out the compute
 * types given (EKS's add-on manifests: aws-node config/master/aws-k8s-cni.yaml, kube-proxy, CoreDNS). So
 * none of them runs on a Windows node. */
function linuxAffinity(notComputeTypes: string[]): Record<string, unknown> {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
              { key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] },
              ...(notComputeTypes.length > 0
                ? [{ key: "eks.amazonaws.com/compute-type", operator: "NotIn", values: notComputeTypes }]
                : []),
            ],
          },
        ],
      },
    },
  };
}

export function awsNodeSpec(region: string, env: Record<string, string>, version: string): WorkloadSpec {
  return {
    namespace: "kube-system",
    name: "aws-node",
    labels: { "k8s-app": "aws-node" },
    hostNetwork: true,
    affinity: linuxAffinity(["fargate", "hybrid", "auto"]),
    priorityClassName: "system-node-critical",
    serviceAccountName: "aws-node",
    containers: [
      {
        name: "aws-node",
        image: ecr(region, "amazon-k8s-cni", version),
        ports: [{ containerPort: 61678, name: "metrics" }],
        requests: { cpu: "25m" },
        env,
      },
      {
        name: "aws-eks-nodeagent",
        image: ecr(region, "amazon/aws-network-policy-agent", "v1.1.6-eksbuild.1"),
        args: ["--enable-ipv6=false", "--enable-network-policy=false", "--enable-cloudwatch-logs=false"],
        requests: { cpu: "25m" },
      },
    ],
  };
}

export function kubeProxySpec(region: string): WorkloadSpec {
  return {
    namespace: "kube-system",
    name: "kube-proxy",
    labels: { "k8s-app": "kube-proxy" },
    hostNetwork: true,
    // Fargate has no kube-proxy pod and Auto Mode runs it as part of the node; hybrid nodes run this one.
    affinity: linuxAffinity(["fargate", "auto"]),
    priorityClassName: "system-node-critical",
    serviceAccountName: "kube-proxy",
    containers: [
      {
        name: "kube-proxy",
        image: ecr(region, "eks/kube-proxy", "v1.31.3-minimal-eksbuild.2"),
        args: ["--v=2", "--config=/var/lib/kube-proxy-config/config", "--hostname-override=$(NODE_NAME)"],
        requests: { cpu: "100m" },
      },
    ],
  };
}

export function corednsSpec(region: string): WorkloadSpec {
  return {
    namespace: "kube-system",
    name: "coredns",
    labels: { "k8s-app": "kube-dns", "eks.amazonaws.com/component": "coredns" },
    affinity: linuxAffinity([]),
    priorityClassName: "system-cluster-critical",
    serviceAccountName: "coredns",
    containers: [
      {
        name: "coredns",
        image: ecr(region, "eks/coredns", "v1.11.4-eksbuild.2"),
        args: ["-conf", "/etc/coredns/Corefile"],
        ports: [
          { containerPort: 53, name: "dns", protocol: "UDP" },
          { containerPort: 53, name: "dns-tcp" },
          { containerPort: 9153, name: "metrics" },
        ],
        requests: { cpu: "100m", memory: "70Mi" },
        limits: { memory: "170Mi" },
      },
    ],
  };
}
