// What the API server allocates for a Service: a cluster IP from the service CIDR (EKS's default
// 10.100.0.0/16) and, for NodePort and LoadBalancer Services, a node port in 30000-32767. Kept on update.
import type { ObjectStore } from "./store.ts";
import type { KubeObject } from "./types.ts";

// biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended JSON
type Json = any;

function used(store: ObjectStore): { ips: Set<string>; ports: Set<number> } {
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const svc of store.all("services")) {
    if (svc.spec?.clusterIP) ips.add(svc.spec.clusterIP);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
  }
  return { ips, ports };
}

export function allocateService(store: ObjectStore, svc: Json, current?: KubeObject): void {
  const spec = svc.spec;
  if (!spec) return;
  const taken = used(store);
  if (spec.type !== "ExternalName" && !spec.clusterIP) {
    spec.clusterIP = current?.spec?.clusterIP;
    while (!spec.clusterIP || taken.ips.has(spec.clusterIP)) {
      spec.clusterIP = `10.100.${store.random.int(0, 256)}.${store.random.int(1, 255)}`;
    }
  }
  if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  if (spec.type !== "NodePort" && spec.type !== "LoadBalancer") return;
  for (const p of spec.ports ?? []) {
    if (p.nodePort) continue;
    const before = current?.spec?.ports?.find((o: Json) => o.port === p.port && o.protocol === p.protocol);
    p.nodePort = before?.nodePort;
    while (!p.nodePort || taken.ports.has(p.nodePort)) p.nodePort = store.random.int(30000, 32768);
    taken.ports.add(p.nodePort);
  }
}
