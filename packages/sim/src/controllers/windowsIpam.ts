// The VPC resource controller's Windows IPAM in secondary IP mode (aws/amazon-vpc-resource-controller-k8s,
// docs/windows/secondary_ip_mode_*.md, pkg/provider/ip, pkg/config/loader.go). On EKS it runs in the control
// plane, not as aws-node: with `enable-windows-ipam: "true"` in kube-system's amazon-vpc-cni ConfigMap, each
// node labelled kubernetes.io/os=windows advertises vpc.amazonaws.com/PrivateIPv4Address = IPv4 per ENI - 1
// (the primary ENI only) and keeps secondary IPv4 addresses on its primary ENI: used + warm, at least the
// minimum, never more than that capacity. A Windows pod (the webhook, kube/admission.ts, gave it a request
// for one address) gets a free one, named in its vpc.amazonaws.com/PrivateIPv4Address annotation, where the
// Windows CNI plugin takes it. A freed address cools down 30 s before another pod gets it.
import { capacityFor, formatIpv4, parseIpv4Cidr } from "@eni-view/model";
import type { Ec2State, SimClock, SimEni, SimRandom } from "../contracts.ts";
import { enisAttachedTo } from "../ec2/attachments.ts";
import { assignPrefixes, assignPrivateIps, unassign } from "../ec2/mutations.ts";
import type { ObjectStore } from "../kube/store.ts";
import type { KubeObject, StoreChange } from "../kube/types.ts";
import { type Runner, runSoon } from "./runSoon.ts";

export const PRIVATE_IPV4 = "vpc.amazonaws.com/PrivateIPv4Address";
const CONFIG_MAP = { namespace: "kube-system", name: "amazon-vpc-cni" };
/** pkg/config/type.go CoolDownPeriod: time for kube-proxy to drop an old pod's rules before the IP is reused. */
const COOL_DOWN_MS = 30_000;
/** loader.go IPv4DefaultWinWarmIPTarget, IPv4DefaultWinMinIPTarget. */
const DEFAULT_WARM = 3;
const DEFAULT_MINIMUM = 3;
/** Addresses in a /28 prefix. */
const PREFIX_SIZE = 16;

/** The 16 addresses of a /28, each a pod's. */
function prefixAddresses(prefix: string): string[] {
  const block = parseIpv4Cidr(prefix);
  if (block === null) return [];
  return Array.from({ length: block.size }, (_, i) => formatIpv4(block.base + i));
}

export function isWindowsNode(node: KubeObject | undefined): boolean {
  const labels = node?.metadata.labels ?? {};
  return (labels["kubernetes.io/os"] ?? labels["beta.kubernetes.io/os"]) === "windows";
}

/** The webhook's test (pod_webhook.go hasWindowsNodeSelector): a node selector on either OS label. */
export function hasWindowsNodeSelector(pod: KubeObject): boolean {
  const selector = pod.spec?.nodeSelector ?? {};
  return selector["kubernetes.io/os"] === "windows" || selector["beta.kubernetes.io/os"] === "windows";
}

/** The address the controller gave the pod, from its annotation; null until then. */
export function windowsPodIp(pod: KubeObject): string | null {
  const ip = pod.metadata.annotations?.[PRIVATE_IPV4];
  return typeof ip === "string" && ip !== "" ? ip : null;
}

function configData(store: ObjectStore): Record<string, string> | null {
  return store.get("configmaps", CONFIG_MAP.namespace, CONFIG_MAP.name)?.data ?? null;
}

/** Go's strconv.ParseBool, true side. */
function parseBool(text: string | undefined): boolean {
  return ["1", "t", "T", "true", "TRUE", "True"].includes(text ?? "");
}

/** `enable-windows-ipam`, as the controller reads it. */
export function windowsIpamEnabled(store: ObjectStore): boolean {
  return parseBool(configData(store)?.["enable-windows-ipam"]);
}

function whole(text: string | undefined): number | null {
  if (text === undefined || !/^[+-]?\d+$/.test(text.trim())) return null;
  return Number(text.trim());
}

export interface WindowsTargets {
  /** enable-windows-prefix-delegation: /28 prefixes on the primary ENI instead of secondary IPs. */
  prefixDelegation: boolean;
  warm: number;
  minimum: number;
  /** Prefix delegation only: free /28s to keep, when neither IP target is set. */
  warmPrefix: number;
}

/** ParseWinIPTargetConfigs: warm-ip-target (else windows-warm-ip-target), minimum-ip-target (else
 * windows-minimum-ip-target) and, with prefix delegation, warm-prefix-target (else windows-warm-prefix-target);
 * one that is missing or not a number counts 0. In secondary IP mode a warm target set to 0 is 1 (the pool is
 * never empty) and both 0 mean the defaults 3 and 3; with prefix delegation all three 0 mean warm 1, minimum 3. */
export function windowsTargets(data: Record<string, string> | null): WindowsTargets {
  if (data === null)
    return { prefixDelegation: false, warm: DEFAULT_WARM, minimum: DEFAULT_MINIMUM, warmPrefix: 0 };
  const prefixDelegation = parseBool(data["enable-windows-prefix-delegation"]);
  const warmText = data["warm-ip-target"] ?? data["windows-warm-ip-target"];
  const minText = data["minimum-ip-target"] ?? data["windows-minimum-ip-target"];
  let warm = whole(warmText) ?? 0;
  if (!prefixDelegation && warmText !== undefined && whole(warmText) === 0) warm = 1;
  let minimum = whole(minText) ?? 0;
  let warmPrefix = prefixDelegation
    ? (whole(data["warm-prefix-target"] ?? data["windows-warm-prefix-target"]) ?? 0)
    : 0;
  if (warm <= 0 && minimum <= 0) {
    if (!prefixDelegation)
      return { prefixDelegation, warm: DEFAULT_WARM, minimum: DEFAULT_MINIMUM, warmPrefix };
    if (warmPrefix <= 0) [warm, minimum, warmPrefix] = [1, 3, 0];
  }
  return {
    prefixDelegation,
    warm: Math.max(0, warm),
    minimum: Math.max(0, minimum),
    warmPrefix: Math.max(0, warmPrefix),
  };
}

export interface WindowsIpamOptions {
  store: ObjectStore;
  state: Ec2State;
  random: SimRandom;
  clock: SimClock;
}

export class WindowsIpam {
  private readonly o: WindowsIpamOptions;
  private readonly runner: Runner;
  private readonly unsubscribe: () => void;
  /** Addresses cooling down after their pod went, with the time they are free again, by node. */
  private readonly cooling = new Map<string, Map<string, number>>();

  constructor(options: WindowsIpamOptions) {
    this.o = options;
    this.runner = runSoon(options.clock, 500, () => this.pass());
    this.unsubscribe = options.store.subscribe((change) => this.observe(change));
    this.runner.request();
  }

  stop(): void {
    this.unsubscribe();
    this.runner.cancel();
  }

  private observe(change: StoreChange): void {
    const { resource, object } = change;
    if (resource === "configmaps") {
      if (object.metadata.name === CONFIG_MAP.name && object.metadata.namespace === CONFIG_MAP.namespace)
        this.runner.request();
    } else if (resource === "nodes") {
      if (isWindowsNode(object)) this.runner.request();
    } else if (resource === "pods" && object.spec?.nodeName) {
      const ip = windowsPodIp(object);
      if (change.type === "DELETED") {
        if (ip !== null) this.coolDown(object.spec.nodeName, ip);
      } else if (ip === null && wantsAddress(object)) this.runner.request();
    }
  }

  private coolDown(nodeName: string, ip: string): void {
    const { clock } = this.o;
    const node = this.cooling.get(nodeName) ?? new Map<string, number>();
    this.cooling.set(nodeName, node);
    node.set(ip, clock.now() + COOL_DOWN_MS);
    clock.after(COOL_DOWN_MS, () => this.runner.request());
    this.runner.request();
  }

  private pass(): void {
    const { store } = this.o;
    if (!windowsIpamEnabled(store)) return;
    const targets = windowsTargets(configData(store));
    const podsByNode = new Map<string, KubeObject[]>();
    for (const pod of store.all("pods")) {
      const nodeName = pod.spec?.nodeName;
      if (!nodeName || pod.spec?.hostNetwork) continue;
      const list = podsByNode.get(nodeName);
      if (list) list.push(pod);
      else podsByNode.set(nodeName, [pod]);
    }
    for (const node of store.all("nodes")) {
      if (isWindowsNode(node)) this.manage(node, podsByNode.get(node.metadata.name) ?? [], targets);
    }
  }

  private manage(node: KubeObject, pods: KubeObject[], targets: WindowsTargets): void {
    const { state, clock } = this.o;
    const name = node.metadata.name;
    const instanceId = String(node.spec?.providerID ?? "")
      .split("/")
      .pop() as string;
    const instance = state.instances.get(instanceId);
    const primary = enisAttachedTo(state, instanceId).find((e) => e.attachment?.deviceIndex === 0);
    const ipv4PerEni = instance ? capacityFor(instance.instanceType).ipv4PerEni : null;
    if (!primary || ipv4PerEni === null) return;
    // getCapacity: the primary ENI's IPv4 addresses less its own, or that many /28 prefixes' addresses.
    const slots = ipv4PerEni - 1;
    this.advertise(node, targets.prefixDelegation ? slots * PREFIX_SIZE : slots);

    const now = clock.now();
    const cooling = this.cooling.get(name) ?? new Map<string, number>();
    const pool = new Set(
      targets.prefixDelegation ? primary.prefixes.flatMap(prefixAddresses) : primary.secondaryIps,
    );
    for (const [ip, until] of cooling) if (until <= now || !pool.has(ip)) cooling.delete(ip);
    const live = pods.filter((p) => !isGone(p));
    const used = new Set(live.map(windowsPodIp).filter((ip): ip is string => ip !== null));
    const waiting = live.filter((p) => windowsPodIp(p) === null && wantsAddress(p));
    // The pool the controller keeps: every address in use, about to be or cooling down, plus the warm ones,
    // at least the minimum, within the node's capacity.
    const held = used.size + waiting.length + cooling.size;
    const busy = (ip: string) => used.has(ip) || cooling.has(ip);
    if (targets.prefixDelegation) this.sizePrefixes(primary, slots, held, targets, busy);
    else {
      const wanted = Math.min(slots, Math.max(held + targets.warm, targets.minimum + cooling.size));
      const have = primary.secondaryIps.length;
      if (have < wanted) assignPrivateIps(state, this.o.random, primary, wanted - have);
      else if (have > wanted) {
        const spare = primary.secondaryIps.filter((ip) => !busy(ip));
        unassign(state, primary, spare.slice(spare.length - Math.min(spare.length, have - wanted)), []);
      }
    }
    this.hand(primary, waiting, busy, targets.prefixDelegation);
    if (cooling.size > 0) this.cooling.set(name, cooling);
    else this.cooling.delete(name);
  }

  /** Prefix delegation (docs/windows/prefix_delegation_config_options.md): with an IP target, enough /28s for
   * the addresses held plus warm-ip-target, at least minimum-ip-target; else the held addresses' /28s plus
   * warm-prefix-target; never more than the ENI's slots. Only wholly free prefixes are released. */
  private sizePrefixes(
    primary: SimEni,
    slots: number,
    held: number,
    targets: WindowsTargets,
    busy: (ip: string) => boolean,
  ): void {
    const { state, random } = this.o;
    const byIp = targets.warm > 0 || targets.minimum > 0;
    const wanted = Math.min(
      slots,
      byIp
        ? Math.ceil(Math.max(held + targets.warm, targets.minimum) / PREFIX_SIZE)
        : Math.ceil(held / PREFIX_SIZE) + targets.warmPrefix,
    );
    const have = primary.prefixes.length;
    if (have < wanted) assignPrefixes(state, random, primary, wanted - have);
    else if (have > wanted) {
      const free = primary.prefixes.filter((p) => !prefixAddresses(p).some(busy));
      unassign(state, primary, [], free.slice(free.length - Math.min(free.length, have - wanted)));
    }
  }

  /** Each waiting pod gets a free address of the pool, named in its annotation. */
  private hand(
    primary: SimEni,
    waiting: KubeObject[],
    busy: (ip: string) => boolean,
    prefixes: boolean,
  ): void {
    const pool = prefixes ? primary.prefixes.flatMap(prefixAddresses) : primary.secondaryIps;
    const free = pool.filter((ip) => !busy(ip));
    for (const pod of waiting) {
      const ip = free.shift();
      if (ip === undefined) break;
      this.o.store.update("pods", pod.metadata.namespace, pod.metadata.name, (p) => {
        p.metadata.annotations = { ...p.metadata.annotations, [PRIVATE_IPV4]: ip };
      });
    }
  }

  /** UpdateResourceCapacity: the node's capacity and allocatable of PrivateIPv4Address, once. */
  private advertise(node: KubeObject, capacity: number): void {
    const value = String(capacity);
    if (node.status?.allocatable?.[PRIVATE_IPV4] === value && node.status?.capacity?.[PRIVATE_IPV4] === value)
      return;
    this.o.store.update("nodes", undefined, node.metadata.name, (n) => {
      n.status.capacity = { ...n.status.capacity, [PRIVATE_IPV4]: value };
      n.status.allocatable = { ...n.status.allocatable, [PRIVATE_IPV4]: value };
    });
  }
}

function isGone(pod: KubeObject): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

/** A pod that asks for an address: the webhook's request on one of its containers. */
function wantsAddress(pod: KubeObject): boolean {
  return (pod.spec?.containers ?? []).some(
    (c: { resources?: { requests?: Record<string, string> } }) =>
      c.resources?.requests?.[PRIVATE_IPV4] !== undefined,
  );
}

/** The webhook (pod_webhook.go HandleWindowsPod): with Windows IPAM on, a pod with a Windows node selector
 * (and not on the host network) gets one PrivateIPv4Address in its first container's requests and limits. */
export function windowsIpamWebhook(store: ObjectStore, pod: KubeObject): void {
  const first = pod.spec?.containers?.[0];
  if (!first || pod.spec?.hostNetwork || !hasWindowsNodeSelector(pod) || !windowsIpamEnabled(store)) return;
  pod.spec = { ...pod.spec, containers: structuredClone(pod.spec.containers) };
  const c = pod.spec.containers[0];
  c.resources ??= {};
  c.resources.requests = { ...c.resources.requests, [PRIVATE_IPV4]: "1" };
  c.resources.limits = { ...c.resources.limits, [PRIVATE_IPV4]: "1" };
}
