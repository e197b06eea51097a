// Services of type LoadBalancer, as the AWS Load Balancer Controller (NLB: `aws-load-balancer-type:
// external` with an `nlb-target-type`, or `loadBalancerClass: service.k8s.aws/nlb`) and the in-tree cloud
// provider (`aws-load-balancer-type: nlb`, otherwise a Classic ELB) provision them: one load balancer ENI
// in each AZ's subnet of the scheme (tagged kubernetes.io/role/elb, or internal-elb for an internal
// scheme), taking a subnet IP each, then the load balancer's hostname in the Service's status. The ENIs
// go when the Service does or stops being a LoadBalancer.
import type { Ec2State, ServiceInterfaceType, SimClock, SimRandom, SimSubnet } from "../contracts.ts";
import { deleteNetworkInterface } from "../ec2/mutations.ts";
import { subnetAddresses } from "../ec2/subnetAddresses.ts";
import type { ObjectStore } from "../kube/store.ts";
import type { KubeObject, StoreChange } from "../kube/types.ts";
import { serviceEni } from "../scenarios/neighbours.ts";
import type { EventRecorder } from "./events.ts";

const A = "service.beta.kubernetes.io/";

interface Provisioned {
  enis: string[];
  cancel: (() => void) | null;
}

/** Which load balancer a LoadBalancer Service gets, and from whom. */
export function loadBalancerKind(svc: KubeObject): { type: "nlb" | "clb"; lbc: boolean } {
  const a: Record<string, string> = svc.metadata.annotations ?? {};
  const lbc =
    svc.spec?.loadBalancerClass === "service.k8s.aws/nlb" ||
    a[`${A}aws-load-balancer-type`] === "external" ||
    a[`${A}aws-load-balancer-type`] === "nlb-ip";
  if (lbc || a[`${A}aws-load-balancer-type`] === "nlb") return { type: "nlb", lbc };
  return { type: "clb", lbc: false };
}

export interface LoadBalancerOptions {
  store: ObjectStore;
  state: Ec2State;
  random: SimRandom;
  clock: SimClock;
  events: EventRecorder;
  clusterName: string;
  /** Simulated ms from the Service to an active load balancer. */
  provisionMs?: number;
}

export class LoadBalancers {
  private readonly o: LoadBalancerOptions;
  private readonly byService = new Map<string, Provisioned>();
  private readonly unsubscribe: () => void;

  constructor(options: LoadBalancerOptions) {
    this.o = options;
    this.unsubscribe = options.store.subscribe((change) => this.observe(change));
  }

  stop(): void {
    this.unsubscribe();
    for (const p of this.byService.values()) p.cancel?.();
  }

  private observe(change: StoreChange): void {
    if (change.resource !== "services") return;
    const svc = change.object;
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const wanted = change.type !== "DELETED" && svc.spec?.type === "LoadBalancer";
    if (!wanted) {
      this.release(key);
      return;
    }
    if (!this.byService.has(key)) this.provision(key, svc);
  }

  private subnets(svc: KubeObject): SimSubnet[] {
    const scheme = svc.metadata.annotations?.[`${A}aws-load-balancer-scheme`];
    const internal =
      scheme === "internal" ||
      (scheme === undefined && loadBalancerKind(svc).lbc) ||
      svc.metadata.annotations?.[`${A}aws-load-balancer-internal`] === "true";
    const role = internal ? "kubernetes.io/role/internal-elb" : "kubernetes.io/role/elb";
    const byZone = new Map<string, SimSubnet>();
    for (const s of [...this.o.state.subnets.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      if (s.tags[role] !== undefined && !byZone.has(s.zone)) byZone.set(s.zone, s);
    }
    return [...byZone.values()];
  }

  private provision(key: string, svc: KubeObject): void {
    const { store, state, random, clock, events } = this.o;
    const kind = loadBalancerKind(svc);
    const subnets = this.subnets(svc);
    const component = kind.lbc ? { component: "service" } : { component: "service-controller" };
    if (subnets.length === 0) {
      const role =
        svc.metadata.annotations?.[`${A}aws-load-balancer-scheme`] === "internet-facing"
          ? "elb"
          : "internal-elb";
      events.record(
        svc,
        "Warning",
        kind.lbc ? "FailedBuildModel" : "SyncLoadBalancerFailed",
        `Failed build model due to unable to resolve at least one subnet (0 match VPC and tags: [kubernetes.io/role/${role}])`,
        component,
      );
      return;
    }
    const ns = svc.metadata.namespace as string;
    // The controller's name: k8s-<namespace:8>-<name:8>-<10 hex>, each part stripped to [a-z0-9].
    const part = (text: string) =>
      text
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "")
        .slice(0, 8);
    const name = kind.lbc ? `k8s-${part(ns)}-${part(svc.metadata.name)}-${random.hex(10)}` : random.hex(32);
    const id = random.hex(16);
    const description = kind.type === "nlb" ? `ELB net/${name}/${id}` : `ELB ${name}`;
    const interfaceType: ServiceInterfaceType | "interface" =
      kind.type === "nlb" ? "network_load_balancer" : "interface";
    const provisioned: Provisioned = { enis: [], cancel: null };
    this.byService.set(key, provisioned);
    for (const subnet of subnets) {
      const [ip] = subnetAddresses(state, subnet.id).allocate(1, random);
      if (ip === undefined) continue;
      const eni = serviceEni(
        state,
        random,
        subnet.id,
        { interfaceType: interfaceType as ServiceInterfaceType, description, requesterId: "amazon-elb" },
        [ip],
      );
      state.enis.set(eni.id, eni);
      provisioned.enis.push(eni.id);
    }
    const hostname =
      kind.type === "nlb"
        ? `${name}-${id}.elb.${state.region}.amazonaws.com`
        : `${name}-${random.int(1_000_000_000, 2_000_000_000)}.${state.region}.elb.amazonaws.com`;
    provisioned.cancel = clock.after(this.o.provisionMs ?? 30_000, () => {
      provisioned.cancel = null;
      if (!store.get("services", ns, svc.metadata.name)) return;
      const updated = store.update("services", ns, svc.metadata.name, (s) => {
        s.status = { ...s.status, loadBalancer: { ingress: [{ hostname }] } };
      });
      events.record(
        updated,
        "Normal",
        kind.lbc ? "SuccessfullyReconciled" : "EnsuredLoadBalancer",
        kind.lbc ? "Successfully reconciled" : "Ensured load balancer",
        component,
      );
    });
  }

  private release(key: string): void {
    const provisioned = this.byService.get(key);
    if (!provisioned) return;
    this.byService.delete(key);
    provisioned.cancel?.();
    for (const id of provisioned.enis) {
      const eni = this.o.state.enis.get(id);
      if (eni) deleteNetworkInterface(this.o.state, eni);
    }
  }
}
