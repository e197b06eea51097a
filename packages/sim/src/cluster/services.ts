// The two Services every EKS cluster has: the API server's `kubernetes` in default and CoreDNS's
// `kube-dns` in kube-system (EKS's default service CIDR is 10.100.0.0/16).
import type { NewObject } from "../kube/types.ts";

export function systemServices(withCoredns: boolean): NewObject[] {
  const services: NewObject[] = [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "kubernetes",
        namespace: "default",
        labels: { component: "apiserver", provider: "kubernetes" },
      },
      spec: {
        type: "ClusterIP",
        clusterIP: "10.100.0.1",
        clusterIPs: ["10.100.0.1"],
        ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 443 }],
        sessionAffinity: "None",
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        internalTrafficPolicy: "Cluster",
      },
      status: { loadBalancer: {} },
    },
  ];
  if (withCoredns) {
    services.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "kube-dns",
        namespace: "kube-system",
        labels: {
          "k8s-app": "kube-dns",
          "kubernetes.io/cluster-service": "true",
          "kubernetes.io/name": "CoreDNS",
        },
      },
      spec: {
        type: "ClusterIP",
        clusterIP: "10.100.0.10",
        clusterIPs: ["10.100.0.10"],
        selector: { "k8s-app": "kube-dns" },
        ports: [
          { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
          { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
          { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 },
        ],
        sessionAffinity: "None",
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        internalTrafficPolicy: "Cluster",
      },
      status: { loadBalancer: {} },
    });
  }
  return services;
}
