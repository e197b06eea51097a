// One node's IPAMD: its datastore (the model's NodePool), the reconcile loop that runs the model's
// warm-pool rules every cycle and carries each decision out on the EC2 state, and the CNI plugin's
// ADD/DEL (assign/release) for kubelet.
import {
  decideWarmPoolAction,
  type InstanceTypeFacts,
  type IpamdSettings,
  type NodePool,
  type PoolCidr,
  type PoolEni,
  settleOneByOne,
  supportsPrefixDelegation,
  type WarmPoolAction,
  type WarmPoolDecision,
} from "@eni-view/model";
import type {
  Ec2State,
  FaultSettings,
  NodeNetworkSpec,
  PodRef,
  SimClock,
  SimEni,
  SimInstance,
  SimRandom,
} from "../contracts.ts";
import { enisAttachedTo } from "../ec2/attachments.ts";
import {
  assignPrefixes,
  assignPrivateIps,
  attachNetworkInterface,
  createNetworkInterface,
  deleteNetworkInterface,
  detachNetworkInterface,
  finishAttach,
  type SecurityGroup,
  unassign,
} from "../ec2/mutations.ts";
import { InsufficientAddressesError } from "../ec2/subnetAddresses.ts";
import { shuffled } from "../random.ts";
import { createPodIps } from "./podIps.ts";
import { subnetForNewEni } from "./subnetDiscovery.ts";

/** FreeENI detaches, waits for the detach to finish, then deletes the ENI. */
export const DETACH_TO_DELETE_MS = 2_000;
const TAG_INSTANCE = "node.k8s.amazonaws.com/instance_id";
const TAG_CREATED = "node.k8s.amazonaws.com/createdAt";
const TAG_NO_MANAGE = "node.k8s.amazonaws.com/no_manage";
const TAG_CLUSTER = "cluster.k8s.amazonaws.com/name";
const TAG_OWNER = "eks:eni:owner";

const RECENT_EVENTS = 50;

export interface IpamdDeps {
  state: Ec2State;
  clock: SimClock;
  random: SimRandom;
  faults: FaultSettings;
  settings: IpamdSettings;
  attachDelayMs: number;
  cycleMs: number;
  group: SecurityGroup;
}

export interface NodeIpamd {
  readonly pool: NodePool;
  /** The instance type's limits IPAMD works with. */
  readonly facts: InstanceTypeFacts;
  readonly instanceId: string;
  /** The latest decisions and EC2 errors, newest last: what ipamd.log would say. */
  readonly events: string[];
  lastDecision(): WarmPoolDecision | null;
  /** True while a new ENI is attaching: IPAMD waits for it before anything else. */
  attaching(): boolean;
  update(spec: NodeNetworkSpec): void;
  /** aws-node restarted with new settings: the datastore (IPs and prefixes in use) is kept, the warm pool
   * follows the new targets from the next cycle on. `eniSubnetId` (custom networking's ENIConfig subnet
   * as read at this start; null: the node's own subnet; absent: unchanged) is where new ENIs go from now
   * on; the ENIs already attached stay where they are. */
  reconfigure(next: IpamdSettings, eniSubnetId?: string | null): void;
  /** Custom networking: the node's ENIConfig changed to this subnet; new ENIs go there from now on. */
  useEniSubnet(subnetId: string): void;
  /** An ENI attached by someone else (a trunk): into the datastore, holding no pod IPs. */
  adopt(eniId: string): void;
  cycle(): void;
  stop(): void;
  assign(pod: PodRef): string | null;
  release(pod: PodRef): void;
  settle(pods: PodRef[]): Map<string, string>;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function poolEniFrom(eni: SimEni, now: number): PoolEni {
  return {
    id: eni.id,
    deviceIndex: eni.attachment?.deviceIndex ?? 0,
    primary: eni.attachment?.deviceIndex === 0,
    trunk: eni.interfaceType === "trunk",
    efa: eni.interfaceType === "efa",
    noManage: eni.tags[TAG_NO_MANAGE] === "true",
    addedAt: now,
    cidrs: [
      ...eni.secondaryIps.map((ip) => ({ cidr: `${ip}/32`, prefix: false, addresses: [] })),
      ...eni.prefixes.map((p) => ({ cidr: p, prefix: true, addresses: [] })),
    ],
  };
}

export function createNodeIpamd(deps: IpamdDeps, spec: NodeNetworkSpec, facts: InstanceTypeFacts): NodeIpamd {
  const { state, clock, random, faults } = deps;
  let current = spec;
  // The CNI falls back to secondary IPs where the instance cannot take prefixes.
  const forInstance = (wanted: IpamdSettings): IpamdSettings => ({
    ...wanted,
    prefixDelegation: wanted.prefixDelegation && supportsPrefixDelegation(facts),
    // hasRoomForEni keeps the trunk's slot only where the instance type can have a trunk.
    podEni: wanted.podEni === true && facts.trunkingCompatible === true,
  });
  let settings = forInstance(deps.settings);
  const found = state.instances.get(spec.instanceId);
  if (found === undefined)
    throw new RangeError(`node ${spec.nodeName}: no instance ${spec.instanceId} in EC2`);
  const instance: SimInstance = found;
  const now0 = clock.now();
  // IPAMD manages network card 0 only (ENABLE_MULTI_NIC aside): EFA interfaces on other cards are not its ENIs.
  const attached = enisAttachedTo(state, instance.id).filter(
    (e) => e.attachment?.status === "attached" && e.attachment.networkCardIndex === 0,
  );
  const pool: NodePool = {
    enis: attached.map((e) => poolEniFrom(e, now0)).sort((a, b) => a.deviceIndex - b.deviceIndex),
    lastDecreaseAt: null,
    lastInsufficientCidrAt: null,
  };
  // buildENITags: the instance id, and with CLUSTER_NAME the cluster and owner.
  const eniTags = (): Record<string, string> => ({
    [TAG_INSTANCE]: instance.id,
    ...(settings.clusterName ? { [TAG_CLUSTER]: settings.clusterName, [TAG_OWNER]: "amazon-vpc-cni" } : {}),
  });
  // IPAMD tags every ENI it manages, the primary ENI included (TagENI at start).
  const tagManaged = () => {
    for (const e of enisAttachedTo(state, instance.id)) {
      if (e.tags[TAG_NO_MANAGE] !== "true" && e.interfaceType === "interface")
        Object.assign(e.tags, eniTags());
    }
  };
  tagManaged();

  const podIpOptions = {
    prefixDelegation: settings.prefixDelegation,
    cooldownMs: settings.ipCooldownSeconds * 1000,
    random,
    now: clock.now,
  };
  const podIps = createPodIps(pool, podIpOptions);
  const { assign, release } = podIps;
  const events: string[] = [];
  let decision: WarmPoolDecision | null = null;
  let attachingEni: string | null = null;
  let stopped = false;

  const note = (text: string) => {
    events.push(`${rfc3339(clock.now())} ${text}`);
    if (events.length > RECENT_EVENTS) events.shift();
  };
  const simEni = (id: string): SimEni => {
    const eni = state.enis.get(id);
    if (eni === undefined) throw new Error(`IPAMD of ${current.nodeName}: ENI ${id} vanished from EC2`);
    return eni;
  };
  const poolEni = (id: string): PoolEni => {
    const eni = pool.enis.find((e) => e.id === id);
    if (eni === undefined) throw new Error(`IPAMD of ${current.nodeName}: ENI ${id} is not in its datastore`);
    return eni;
  };
  /** Every EC2 call may meet RequestLimitExceeded when the faults say so; IPAMD retries next cycle. */
  const throttled = (call: string): boolean => {
    if (faults.ec2ThrottleRate > 0 && random.next() < faults.ec2ThrottleRate) {
      note(`${call}: RequestLimitExceeded: Request limit exceeded.`);
      return true;
    }
    return false;
  };
  const subnetDry = (call: string, err: unknown): boolean => {
    if (!(err instanceof InsufficientAddressesError)) return false;
    pool.lastInsufficientCidrAt = clock.now();
    note(`${call}: ${err.code}: ${err.message}`);
    return true;
  };
  const newCidrs = (ips: string[], prefixes: string[]): PoolCidr[] => [
    ...ips.map((ip) => ({ cidr: `${ip}/32`, prefix: false, addresses: [] })),
    ...prefixes.map((p) => ({ cidr: p, prefix: true, addresses: [] })),
  ];

  function assignToEni(action: Extract<WarmPoolAction, { kind: "assign" }>): void {
    const call = "AssignPrivateIpAddresses"; // Ipv4PrefixCount for /28s: EC2 has no prefix action of its own
    if (throttled(call)) return;
    const eni = simEni(action.eniId);
    const grant = (count: number) =>
      action.unit === "ip"
        ? assignPrivateIps(state, random, eni, count)
        : assignPrefixes(state, random, eni, count);
    let got: string[];
    try {
      got = grant(action.count);
    } catch (err) {
      if (!(err instanceof InsufficientAddressesError)) throw err;
      // tryAssignIPs asks for a single IP when the full request fails.
      try {
        if (action.unit !== "ip" || action.count === 1) throw err;
        got = grant(1);
      } catch (again) {
        if (subnetDry(call, again)) return;
        throw again;
      }
    }
    poolEni(action.eniId).cidrs.push(...(action.unit === "ip" ? newCidrs(got, []) : newCidrs([], got)));
  }

  function createEni(action: Extract<WarmPoolAction, { kind: "create-eni" }>, instant: boolean): void {
    if (throttled("CreateNetworkInterface")) return;
    const now = clock.now();
    let eni: SimEni;
    try {
      eni = createNetworkInterface(state, random, {
        // Custom networking puts every new ENI in the node's ENIConfig subnet instead.
        subnetId: current.eniSubnetId ?? subnetForNewEni(state, instance),
        description: `aws-K8S-${current.instanceId}`,
        group: deps.group,
        secondaryIps: action.unit === "ip" ? action.count : 0,
        prefixes: action.unit === "prefix" ? action.count : 0,
        tags: { ...eniTags(), [TAG_CREATED]: rfc3339(now) },
      });
    } catch (err) {
      if (subnetDry("CreateNetworkInterface", err)) return;
      throw err;
    }
    attachNetworkInterface(state, random, eni, current.instanceId, action.deviceIndex, now);
    const ready = () => {
      finishAttach(eni);
      pool.enis.push(poolEniFrom(eni, clock.now()));
      attachingEni = null;
    };
    if (instant) {
      ready();
      return;
    }
    attachingEni = eni.id;
    note(`attaching ${eni.id} at device ${action.deviceIndex}`);
    clock.after(deps.attachDelayMs, ready);
  }

  function releaseCidrs(action: Extract<WarmPoolAction, { kind: "release" }>): void {
    if (throttled("UnassignPrivateIpAddresses")) return;
    for (const { eniId, cidr } of action.cidrs) {
      const eni = poolEni(eniId);
      eni.cidrs = eni.cidrs.filter((c) => c.cidr !== cidr);
      if (action.unit === "ip") unassign(state, simEni(eniId), [cidr.replace(/\/32$/, "")], []);
      else unassign(state, simEni(eniId), [], [cidr]);
    }
    pool.lastDecreaseAt = clock.now();
  }

  function freeEni(action: Extract<WarmPoolAction, { kind: "free-eni" }>): void {
    if (throttled("DetachNetworkInterface")) return;
    pool.enis = pool.enis.filter((e) => e.id !== action.eniId);
    const eni = simEni(action.eniId);
    detachNetworkInterface(eni);
    clock.after(DETACH_TO_DELETE_MS, () => deleteNetworkInterface(state, eni));
  }

  function apply(action: WarmPoolAction, instant: boolean): void {
    if (action.kind === "assign") assignToEni(action);
    else if (action.kind === "create-eni") createEni(action, instant);
    else if (action.kind === "release") releaseCidrs(action);
    else if (action.kind === "free-eni") freeEni(action);
  }

  function decide(): WarmPoolDecision {
    decision = decideWarmPoolAction({
      pool,
      settings,
      limits: { maxEnis: facts.maxEnis, ipv4PerEni: facts.ipv4PerEni, maxPods: current.maxPods },
      now: clock.now(),
      cordoned: current.cordoned,
      mapOrder: (items) => shuffled(random, items),
    });
    return decision;
  }

  function cycle(): void {
    if (stopped || attachingEni !== null) return;
    const d = decide();
    if (d.action.kind !== "none") note(d.reason);
    apply(d.action, false);
  }

  const grows = (d: WarmPoolDecision) => d.action.kind === "assign" || d.action.kind === "create-eni";

  /** Pods arrive one by one and IPAMD answers each at once: the state a slow scale-up ends in. */
  function settle(list: PodRef[]): Map<string, string> {
    const growOnce = (): boolean => {
      const d = decide();
      if (!grows(d)) return false;
      const before = pool.enis.length + pool.enis.reduce((n, e) => n + e.cidrs.length, 0);
      apply(d.action, true);
      return pool.enis.length + pool.enis.reduce((n, e) => n + e.cidrs.length, 0) > before;
    };
    const got = settleOneByOne(list, { grow: growOnce, assign, blocked: () => attachingEni !== null });
    return new Map([...got].map(([pod, ip]) => [`${pod.namespace}/${pod.name}`, ip]));
  }

  return {
    pool,
    facts,
    instanceId: instance.id,
    events,
    lastDecision: () => decision,
    attaching: () => attachingEni !== null,
    update(next) {
      if (next.instanceId !== current.instanceId) {
        throw new RangeError(
          `node ${next.nodeName}: instance id cannot change (${current.instanceId} -> ${next.instanceId})`,
        );
      }
      // The ENIConfig subnet comes from aws-node's start and ENIConfig changes: a node update (a cordon)
      // keeps it.
      current =
        next.eniSubnetId === undefined && current.eniSubnetId !== undefined
          ? { ...next, eniSubnetId: current.eniSubnetId }
          : next;
    },
    reconfigure(next, eniSubnetId) {
      settings = forInstance(next);
      if (eniSubnetId === null) {
        const { eniSubnetId: _, ...rest } = current;
        current = rest;
      } else if (eniSubnetId !== undefined) current = { ...current, eniSubnetId };
      podIpOptions.prefixDelegation = settings.prefixDelegation;
      podIpOptions.cooldownMs = settings.ipCooldownSeconds * 1000;
      tagManaged();
      note(`restarted with ${JSON.stringify(settings)}`);
    },
    useEniSubnet(subnetId) {
      if (current.eniSubnetId === subnetId) return;
      current = { ...current, eniSubnetId: subnetId };
      note(`ENIConfig: new ENIs go to ${subnetId}`);
    },
    adopt(eniId) {
      if (pool.enis.some((e) => e.id === eniId)) return;
      pool.enis.push(poolEniFrom(simEni(eniId), clock.now()));
      pool.enis.sort((a, b) => a.deviceIndex - b.deviceIndex);
    },
    cycle,
    // An attach or delete already asked of EC2 still completes; only the loop stops.
    stop() {
      stopped = true;
    },
    assign,
    release,
    settle,
  };
}
