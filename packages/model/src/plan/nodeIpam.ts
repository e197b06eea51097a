// One node's IPAMD stepped to where it settles after a plan's change, with the model's warm-pool rules
// (decideWarmPoolAction), pod-IP assignment (createPodIps) and one-by-one settle step, the ones the
// simulator's IPAMD runs, and EC2's address picking (SubnetAddresses). EC2 answers at once; the time it
// would take is counted instead: one IPAMD loop per action, plus the attach delay per new ENI.
import type { IpamdSettings } from "../awsNodeEnv.ts";
import { supportsPrefixDelegation } from "../capacity.ts";
import { MIN_ENI_AGE_MS } from "../ipam/freeEni.ts";
import { createPodIps } from "../ipam/podIps.ts";
import { modeCidrs, type NodePool, type PoolCidr, type PoolEni, poolStats } from "../ipam/pool.ts";
import { settleOneByOne } from "../ipam/settle.ts";
import { resolveTargets } from "../ipam/targets.ts";
import {
  DECREASE_INTERVAL_MS,
  decideWarmPoolAction,
  enisAllowed,
  type WarmPoolAction,
} from "../ipam/warmPool.ts";
import { formatIpv4, parseIpv4, parseIpv4Cidr } from "../ipv4.ts";
import { shuffled } from "../mapOrder.ts";
import type { Random } from "../seeded.ts";
import { type AddressDraw, InsufficientAddressesError, type SubnetAddresses } from "../subnetAddresses.ts";
import type { EniInput, InstanceTypeFacts } from "../types.ts";
import type { Ec2Action } from "./types.ts";

/** A start time far from the epoch: every existing ENI is old and no IP is cooling when the plan begins. */
export const PLAN_START_MS = 1_000_000_000_000;

export interface NodeIpamInput {
  nodeName: string;
  facts: InstanceTypeFacts;
  maxPods: number;
  cordoned: boolean;
  settings: IpamdSettings;
  /** The node's ENIs on card 0 (none for a new node: `primarySubnet` then gets one). */
  enis: readonly EniInput[];
  primarySubnet: string | null;
  /** Pods holding an IP now, by IP. */
  held: ReadonlyMap<string, string>;
  /** IPs of pods the change deletes. */
  released: readonly string[];
  /** Pods to give an IP, in the order they were bound. */
  arriving: readonly string[];
  /** The subnet a new ENI goes to: the ENIConfig's under custom networking, else this picks. */
  eniSubnet: (free: (subnet: string) => number) => string | null;
  book: (subnet: string) => SubnetAddresses | undefined;
  next: Random;
}

export interface NodeIpamLoop {
  /** ms between two visits of the same pool. */
  periodMs: number;
  /** EC2 calls in one turn of the loop. */
  calls: Map<Ec2Action, number>;
}

export interface NodeIpamOutcome {
  pool: NodePool;
  /** Pod key -> IP for the arriving pods that got one. */
  assigned: Map<string, string>;
  /** Arriving pods left without an IP. */
  starved: string[];
  /** Why IPAMD gave them none, when some were starved: every ENI it may use full, the subnet dry,
   * MINIMUM_IP_TARGET without WARM_IP_TARGET (the pool stops at the floor), or custom networking with no
   * ENIConfig for the node (IPAMD attaches no ENI). */
  starvedBy: "eni-limit" | "subnet" | "minimum-ip-target" | "no-eni-config" | null;
  calls: Map<Ec2Action, number>;
  /** ms until the last arriving pod had its IP and the pool was at target, given back included. */
  settleMs: number;
  /** ms until the last address or ENI the pool gave back (0 when it gave none back). */
  givesBackMs: number;
  /** The pool never settles: IPAMD comes back to where it was, over and over. */
  loop: NodeIpamLoop | null;
  /** Subnet and EC2 error code when IPAMD met one. */
  dry: { subnet: string; code: InsufficientAddressesError["code"] } | null;
  /** ENI id -> subnet, for ENIs this plan created. */
  newEnis: Map<string, string>;
  /** ENI id -> primary IP of created ENIs. */
  primaryIps: Map<string, string>;
  prefixDelegation: boolean;
}

// An ENI's "a.b.c.d/32" strings, made once however many seeds and questions step its node.
const slashes = new WeakMap<EniInput, string[]>();

function cidrsOf(eni: EniInput): PoolCidr[] {
  let singles = slashes.get(eni);
  if (singles === undefined) {
    singles = eni.secondaryIps.map((ip) => `${ip}/32`);
    slashes.set(eni, singles);
  }
  return [
    ...singles.map((cidr) => ({ cidr, prefix: false, addresses: [] })),
    ...eni.prefixes.map((p) => ({ cidr: p, prefix: true, addresses: [] })),
  ];
}

/** The pool as IPAMD's datastore holds it when it starts: the ENIs, with the pods' addresses marked. */
function startPool(input: NodeIpamInput, now: number): NodePool {
  const bySingle = new Map<string, PoolCidr>();
  const byPrefix = new Map<string, PoolCidr>();
  const enis: PoolEni[] = input.enis.map((e) => {
    const cidrs = cidrsOf(e);
    for (const [i, ip] of e.secondaryIps.entries()) bySingle.set(ip, cidrs[i] as PoolCidr);
    for (const c of cidrs) if (c.prefix) byPrefix.set(c.cidr, c);
    return {
      id: e.id,
      deviceIndex: e.deviceIndex ?? 0,
      primary: e.deviceIndex === 0,
      trunk: e.interfaceType === "trunk",
      efa: e.interfaceType === "efa" && e.deviceIndex !== 0,
      noManage: e.noManage,
      addedAt: now - MIN_ENI_AGE_MS - 1,
      cidrs,
    };
  });
  const release = new Set(input.released);
  for (const [ip, pod] of input.held) {
    let cidr = bySingle.get(ip);
    if (cidr === undefined && byPrefix.size > 0) {
      const value = parseIpv4(ip);
      if (value !== null) cidr = byPrefix.get(`${formatIpv4(value & ~15)}/28`);
    }
    if (cidr === undefined) continue;
    const gone = release.has(ip);
    cidr.addresses.push({ ip, pod: gone ? null : pod, releasedAt: gone ? now : null });
  }
  return { enis, lastDecreaseAt: null, lastInsufficientCidrAt: null };
}

export function stepNodeIpam(input: NodeIpamInput, attachDelayMs: number, cycleMs: number): NodeIpamOutcome {
  let now = PLAN_START_MS;
  const { facts } = input;
  const settings: IpamdSettings = {
    ...input.settings,
    prefixDelegation: input.settings.prefixDelegation && supportsPrefixDelegation(facts),
    podEni: input.settings.podEni === true && facts.trunkingCompatible === true,
  };
  const pd = settings.prefixDelegation;
  const draw: AddressDraw = { int: (min, max) => min + Math.floor(input.next() * (max - min)) };
  const calls = new Map<Ec2Action, number>();
  const call = (a: Ec2Action) => calls.set(a, (calls.get(a) ?? 0) + 1);
  const newEnis = new Map<string, string>();
  const primaryIps = new Map<string, string>();
  let dry: NodeIpamOutcome["dry"] = null;
  let settleMs = 0;
  const pool = startPool(input, now);
  const subnetOfEni = new Map(input.enis.map((e) => [e.id, e.subnetId]));

  /** An ENI that holds no pool IPs: a new node's primary (RunInstances), or the trunk. */
  const addEmptyEni = (
    id: string,
    deviceIndex: number,
    role: "primary" | "trunk",
    subnet: string,
    ip: string | undefined,
  ) => {
    pool.enis.push({
      id,
      deviceIndex,
      primary: role === "primary",
      trunk: role === "trunk",
      efa: false,
      noManage: false,
      addedAt: now,
      cidrs: [],
    });
    subnetOfEni.set(id, subnet);
    newEnis.set(id, subnet);
    if (ip !== undefined) primaryIps.set(id, ip);
  };

  if (input.enis.length === 0 && input.primarySubnet !== null) {
    // A new node: its instance comes with the primary ENI (RunInstances, not IPAMD).
    const [ip] = input.book(input.primarySubnet)?.allocate(1, draw) ?? [];
    const id = `eni-planned-${input.nodeName}-0`;
    addEmptyEni(id, 0, "primary", input.primarySubnet, ip);
  }

  // ENABLE_POD_ENI: aws-node asks for security groups for pods (the CNINode feature) only while the node
  // has a free ENI slot (tryEnableSecurityGroupsForPods), and the VPC resource controller then attaches a
  // trunk ENI there, in the node's subnet. A node whose ENIs fill every slot never gets one; IPAMD keeps
  // a slot for it meanwhile (warm pool's trunk slot).
  if (settings.podEni && input.primarySubnet !== null && !pool.enis.some((e) => e.trunk)) {
    const managed = pool.enis.filter((e) => !e.noManage).length;
    const unmanaged = pool.enis.length - managed;
    const maxEnis = enisAllowed(settings, facts.maxEnis);
    let ip: string | undefined;
    try {
      [ip] = managed < maxEnis - unmanaged ? (input.book(input.primarySubnet)?.allocate(1, draw) ?? []) : [];
    } catch (err) {
      if (!(err instanceof InsufficientAddressesError)) throw err;
    }
    if (ip !== undefined) {
      const used = new Set(pool.enis.map((e) => e.deviceIndex));
      let deviceIndex = 1;
      while (used.has(deviceIndex)) deviceIndex++;
      addEmptyEni(`eni-planned-${input.nodeName}-trunk`, deviceIndex, "trunk", input.primarySubnet, ip);
    }
  }

  const ips = createPodIps(pool, {
    prefixDelegation: pd,
    cooldownMs: settings.ipCooldownSeconds * 1000,
    next: input.next,
    now: () => now,
  });
  const limits = { maxEnis: facts.maxEnis, ipv4PerEni: facts.ipv4PerEni, maxPods: input.maxPods };
  const decide = () =>
    decideWarmPoolAction({
      pool,
      settings,
      limits,
      now,
      cordoned: input.cordoned,
      mapOrder: (items) => shuffled(input.next, items),
    });
  const ranDry = (subnet: string, err: unknown): boolean => {
    if (!(err instanceof InsufficientAddressesError)) return false;
    pool.lastInsufficientCidrAt = now;
    dry ??= { subnet, code: err.code };
    return true;
  };

  /** Carries the action out on the pool and the subnets; false when EC2 refused it. */
  const apply = (action: WarmPoolAction): boolean => {
    if (action.kind === "assign") {
      const subnet = subnetOfEni.get(action.eniId) ?? "";
      const book = input.book(subnet);
      // One AssignPrivateIpAddresses either way: SecondaryPrivateIpAddressCount, or Ipv4PrefixCount for
      // /28s (awsutils AllocIPAddresses); EC2 has no action of its own for IPv4 prefixes.
      call("AssignPrivateIpAddresses");
      let got: string[] = [];
      try {
        got =
          action.unit === "ip"
            ? (book?.allocate(action.count, draw) ?? [])
            : (book?.allocatePrefixes(action.count, draw) ?? []);
      } catch (err) {
        if (!(err instanceof InsufficientAddressesError)) throw err;
        // tryAssignIPs asks for a single IP when the full request fails.
        try {
          if (action.unit !== "ip" || action.count === 1) throw err;
          got = book?.allocate(1, draw) ?? [];
        } catch (again) {
          if (ranDry(subnet, again)) return false;
          throw again;
        }
      }
      const eni = pool.enis.find((e) => e.id === action.eniId);
      eni?.cidrs.push(
        ...got.map((c) =>
          action.unit === "ip"
            ? { cidr: `${c}/32`, prefix: false, addresses: [] }
            : { cidr: c, prefix: true, addresses: [] },
        ),
      );
      return got.length > 0;
    }
    if (action.kind === "create-eni") {
      const subnet = input.eniSubnet((s) => input.book(s)?.available() ?? 0);
      const book = subnet === null ? undefined : input.book(subnet);
      if (subnet === null || book === undefined) return false;
      // awsutils createENI: with subnet discovery (the default since v1.18) it first lists the VPC's
      // subnets; custom networking takes the ENIConfig's subnet instead.
      if (!settings.customNetworking) call("DescribeSubnets");
      call("CreateNetworkInterface");
      let primary: string;
      let cidrs: PoolCidr[];
      try {
        if (action.unit === "ip") {
          const [p, ...rest] = book.allocate(1 + action.count, draw);
          primary = p as string;
          cidrs = rest.map((ip) => ({ cidr: `${ip}/32`, prefix: false, addresses: [] }));
        } else {
          [primary] = book.allocate(1, draw) as [string];
          try {
            cidrs = book
              .allocatePrefixes(action.count, draw)
              .map((c) => ({ cidr: c, prefix: true, addresses: [] }));
          } catch (err) {
            book.release(primary);
            throw err;
          }
        }
      } catch (err) {
        if (ranDry(subnet, err)) return false;
        throw err;
      }
      // AllocENI: the free device index from DescribeInstances, the attach, then DeleteOnTermination set
      // on the attachment with ModifyNetworkInterfaceAttribute (a mutating call, like the attach).
      call("DescribeInstances");
      call("AttachNetworkInterface");
      call("ModifyNetworkInterfaceAttribute");
      const id = `eni-planned-${input.nodeName}-${action.deviceIndex}`;
      pool.enis.push({
        id,
        deviceIndex: action.deviceIndex,
        primary: false,
        trunk: false,
        efa: false,
        noManage: false,
        addedAt: now,
        cidrs,
      });
      subnetOfEni.set(id, subnet);
      newEnis.set(id, subnet);
      primaryIps.set(id, primary);
      settleMs += attachDelayMs;
      return true;
    }
    if (action.kind === "release") {
      // DeallocCidrs: one UnassignPrivateIpAddresses per ENI the released IPs or /28s are on.
      for (const _ of new Set(action.cidrs.map((c) => c.eniId))) call("UnassignPrivateIpAddresses");
      for (const { eniId, cidr } of action.cidrs) {
        const eni = pool.enis.find((e) => e.id === eniId);
        if (eni === undefined) continue;
        eni.cidrs = eni.cidrs.filter((c) => c.cidr !== cidr);
        const book = input.book(subnetOfEni.get(eniId) ?? "");
        if (action.unit === "ip") book?.release(cidr.replace(/\/32$/, ""));
        else book?.releasePrefix(cidr);
      }
      pool.lastDecreaseAt = now;
      return true;
    }
    if (action.kind === "free-eni") {
      // freeENI: the attachment id from DescribeNetworkInterfaces, detach, then delete.
      call("DescribeNetworkInterfaces");
      call("DetachNetworkInterface");
      call("DeleteNetworkInterface");
      const eni = pool.enis.find((e) => e.id === action.eniId);
      pool.enis = pool.enis.filter((e) => e.id !== action.eniId);
      const book = input.book(subnetOfEni.get(action.eniId) ?? "");
      for (const c of eni?.cidrs ?? []) {
        if (c.prefix) book?.releasePrefix(c.cidr);
        else book?.release(c.cidr.replace(/\/32$/, ""));
      }
      const primary =
        primaryIps.get(action.eniId) ?? input.enis.find((e) => e.id === action.eniId)?.primaryIp;
      if (primary) book?.release(primary);
      newEnis.delete(action.eniId);
      return true;
    }
    return false;
  };

  const grow = (): boolean => {
    const d = decide();
    if (d.action.kind !== "assign" && d.action.kind !== "create-eni") return false;
    settleMs += cycleMs;
    return apply(d.action);
  };
  const got = settleOneByOne(input.arriving, { grow, assign: (pod) => ips.assign(pod) });
  const assigned = new Map<string, string>();
  const starved: string[] = [];
  for (const pod of input.arriving) {
    const ip = got.get(pod);
    if (ip === undefined) starved.push(pod);
    else assigned.set(pod, ip);
  }
  // Then the pool shrinks back to target on IPAMD's clock, from the loop after the last growth: releases
  // at least 30 s apart, idle ENIs freed one per loop once a minute old and none of their IPs cooling
  // down. When no rule fires the clock jumps to the next moment one could. A pool that comes back to a
  // shape it had is one IPAMD keeps undoing and redoing: it never settles (upstream #1451 is one such
  // loop: an ENI freed as extra that the next loop needs again).
  const cooldownMs = settings.ipCooldownSeconds * 1000;
  now = PLAN_START_MS + settleMs + cycleMs;
  let givesBackMs = 0;
  let loop: NodeIpamLoop | null = null;
  const seen = new Map<string, { at: number; calls: Map<Ec2Action, number> }>();
  for (let i = 0; i < SHRINK_STEPS; i++) {
    const d = decide();
    if (d.action.kind === "none") {
      const next = nextWakeUp(pool, now, cooldownMs);
      if (next === null) break;
      now = next;
      continue;
    }
    if (!apply(d.action)) break;
    givesBackMs = now - PLAN_START_MS;
    const shape = poolShape(pool);
    const before = seen.get(shape);
    if (before !== undefined) {
      loop = { periodMs: now - before.at, calls: callsSince(before.calls, calls) };
      break;
    }
    seen.set(shape, { at: now, calls: new Map(calls) });
    now += cycleMs;
  }
  let starvedBy: NodeIpamOutcome["starvedBy"] = null;
  if (starved.length > 0) {
    const t = resolveTargets(settings);
    if (dry !== null) starvedBy = "subnet";
    else if (settings.customNetworking && input.eniSubnet(() => 0) === null) starvedBy = "no-eni-config";
    // datastoreTargetState: short = max(WARM_IP_TARGET - available, MINIMUM_IP_TARGET - total), 0 once
    // the floor is reached with no warm target, however many pods wait.
    else if (t.ipTargets && t.warmIp === 0) starvedBy = "minimum-ip-target";
    else starvedBy = "eni-limit";
  }
  return {
    pool,
    assigned,
    starved,
    starvedBy,
    calls,
    settleMs: Math.max(settleMs, givesBackMs),
    givesBackMs,
    loop,
    dry,
    newEnis,
    primaryIps,
    prefixDelegation: pd,
  };
}

/** Enough for any pool to give back what it holds (one action per loop), and to find a loop. */
const SHRINK_STEPS = 1000;

/** The next moment a warm-pool rule may answer differently: a decrease allowed again, an ENI a minute old,
 * an IP out of cooldown. null when none is ahead. */
function nextWakeUp(pool: NodePool, now: number, cooldownMs: number): number | null {
  let next = Number.POSITIVE_INFINITY;
  const consider = (t: number) => {
    if (t > now && t < next) next = t;
  };
  if (pool.lastDecreaseAt !== null) consider(pool.lastDecreaseAt + DECREASE_INTERVAL_MS + 1);
  for (const eni of pool.enis) {
    consider(eni.addedAt + MIN_ENI_AGE_MS);
    for (const c of eni.cidrs)
      for (const a of c.addresses)
        if (a.pod === null && a.releasedAt !== null) consider(a.releasedAt + cooldownMs + 1);
  }
  return Number.isFinite(next) ? next : null;
}

/** What a loop compares: each ENI's device and how many IPs and prefixes it holds. */
function poolShape(pool: NodePool): string {
  return pool.enis
    .map(
      (e) =>
        `${e.deviceIndex}:${e.cidrs.filter((c) => !c.prefix).length}:${e.cidrs.filter((c) => c.prefix).length}`,
    )
    .sort()
    .join(",");
}

function callsSince(
  then: ReadonlyMap<Ec2Action, number>,
  now: ReadonlyMap<Ec2Action, number>,
): Map<Ec2Action, number> {
  const out = new Map<Ec2Action, number>();
  for (const [a, n] of now) if (n > (then.get(a) ?? 0)) out.set(a, n - (then.get(a) ?? 0));
  return out;
}

/** ENIs, secondary IPs or prefixes, IPs in use and free of a settled pool. */
export function poolFigures(
  pool: NodePool,
  pd: boolean,
): { enis: number; assigned: number; used: number; warm: number } {
  const stats = poolStats(pool, pd, Number.MAX_SAFE_INTEGER, 0);
  let used = 0;
  for (const eni of pool.enis)
    for (const c of eni.cidrs) for (const a of c.addresses) if (a.pod !== null) used++;
  let assigned = 0;
  for (const eni of pool.enis) if (!eni.noManage) assigned += modeCidrs(eni, pd).length;
  return { enis: pool.enis.length, assigned, used, warm: stats.available };
}

export function cidrBase(cidr: string): string | null {
  const b = parseIpv4Cidr(cidr);
  return b === null ? null : formatIpv4(b.base);
}
