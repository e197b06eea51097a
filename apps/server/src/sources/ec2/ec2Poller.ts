// The EC2 half of a live source: a refresh every interval (15 s by default) and an early one when pods
// start on nodes (that is when IPAMD attaches ENIs and assigns IPs), never two at once. Each refresh
// reads the VPC's subnets and every ENI in the subnets the cluster uses (its nodes', but also load
// balancers', endpoints' ...: the subnet view counts every address); the nodes' instances and the subnets'
// CIDR reservations only when the node list changed, every 4th refresh and for a capture (see
// `described`). Every call is
// filtered and paginated: unfiltered, unpaginated Describes draw on a smaller throttling bucket that
// the VPC CNI itself needs (see the domain notes, section 4). Throttled calls are retried with backoff
// and jitter; a refresh that still fails keeps the last good data and says why.
import type { EC2Client, Filter } from "@aws-sdk/client-ec2";
import type {
  CidrReservationInput,
  EniInput,
  InstanceInput,
  InstanceTypeFacts,
  LoadingStep,
  SourceStatus,
  SubnetInput,
} from "@eni-view/model";
import { lookupInstanceType, parseIpv4, parseIpv4Cidr, sourceEnglish, stepLabel } from "@eni-view/model";
import { Backoff, sleep } from "../backoff.ts";
import { bump, HealthTracker, type SourceCounters } from "../source.ts";
import { CallBudget, defaultBudgetShare } from "./callBudget.ts";
import { IncrementalEc2, type ReadPage } from "./incremental.ts";
import { type Ec2Action, type Ec2Transport, type Mapped, PageItems, type PageRequest } from "./pages.ts";

type Obj = Record<string, unknown>;

/** EC2 allows at most 200 filter values per call. */
export const maxFilterValues = 200;
/** MaxResults ceilings: 1000 for ENIs, instances and subnets; 100 for instance types. */
const pageSize = 1000;
const typePageSize = 100;

export interface Ec2Part {
  enis: EniInput[];
  instances: InstanceInput[];
  subnets: SubnetInput[];
  extraInstanceTypes: InstanceTypeFacts[];
  cidrReservations: CidrReservationInput[];
}

/** The documents as the aws CLI prints them (PascalCase, ISO dates): what a capture folder holds. */
export interface Ec2Raw {
  NetworkInterfaces: Obj[];
  Reservations: Obj[];
  Subnets: Obj[];
  /** Only the types the built-in table lacks, as DescribeInstanceTypes returned them. */
  InstanceTypes: Obj[];
  /** GetSubnetCidrReservations' SubnetIpv4CidrReservations of every subnet in use. */
  SubnetIpv4CidrReservations: Obj[];
}

export interface Ec2PollerOptions {
  /** Built once the region is known; an Error explains why there is no client (no region ...). Pages
   * are then read in the poller's thread. */
  client?: () => EC2Client | Error;
  /** Where pages are read instead (the server's worker thread); takes precedence over `client`. */
  transport?: () => Ec2Transport | Error;
  counters: SourceCounters;
  intervalMs?: number;
  /** Early refreshes are at least this far apart. */
  minGapMs?: number;
  /** Instances are described again at least every this many refreshes (and whenever the nodes change). */
  instancesEvery?: number;
  /** Retries of a throttled call before the refresh gives up. */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  now?: () => number;
  /** Above this many nodes EC2 is read incrementally (changed nodes at once, the rest in a sweep) within
   * the call budget; at or below it every refresh describes everything. */
  incrementalAboveNodes?: number;
  /** The share of EC2's Describe* refill (20 calls a second) the incremental reads may use; 0.1 by default. */
  budgetShare?: number;
  /** While a sweep is under way the poller comes back this soon, not at its interval. */
  sweepTickMs?: number;
  /** A sweep begins no sooner than this after the previous one began. */
  minSweepMs?: number;
}

/** Below this many nodes a full refresh every 15 s costs fewer calls a minute than the default budget
 * (19 calls a refresh at 5,000 nodes, about 96 a minute: bench/results.md). */
export const defaultIncrementalAbove = 5000;

/** One page's request. The instance-type cache keeps its documents: few, asked once, and a capture lists
 * them. */
function pageRequest(
  action: Ec2Action,
  filters: Filter[],
  nextToken: string | undefined,
  subnetId: string | undefined,
  refresh: number,
  keepRaw: boolean,
): PageRequest {
  return {
    action,
    filters,
    maxResults: action === "DescribeInstanceTypes" ? typePageSize : pageSize,
    nextToken,
    ...(subnetId === undefined ? {} : { subnetId }),
    refresh,
    keepRaw: keepRaw || action === "DescribeInstanceTypes",
  };
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function errorName(err: unknown): string {
  const e = err as { name?: string; code?: string; Code?: string; message?: string };
  return e.Code ?? e.name ?? e.code ?? "Error";
}

export function isThrottle(err: unknown): boolean {
  const name = errorName(err);
  return name === "RequestLimitExceeded" || name === "Throttling" || name === "ThrottlingException";
}

/** Short text for SourceStatus.error. */
export function describeEc2Error(err: unknown): string {
  const e = err as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = errorName(err);
  if (isThrottle(err)) return sourceEnglish("ec2.throttled");
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(e.message ?? "")) {
    return sourceEnglish("ec2.noCredentials");
  }
  if (name === "UnauthorizedOperation" || name === "AuthFailure") return `${name}: ${e.message ?? ""}`.trim();
  if (name === "ExpiredToken" || name === "RequestExpired")
    return sourceEnglish("ec2.expired", { code: name });
  const code = e.code ?? (e as { cause?: { code?: string } }).cause?.code;
  if (code && /^E[A-Z]+$/.test(code))
    return sourceEnglish("ec2.unreachable", { code, error: e.message ?? code });
  return `${name}: ${e.message ?? "EC2 call failed"}`;
}

/** Reservations keeping only the nodes' instances (a VPC-wide answer also lists other instances). */
function onlyTargets(reservations: Obj[], targets: Set<string>): Obj[] {
  const out: Obj[] = [];
  for (const r of reservations) {
    const kept = ((r.Instances as Obj[] | undefined) ?? []).filter((i) =>
      targets.has(i.InstanceId as string),
    );
    if (kept.length > 0) out.push({ ...r, Instances: kept });
  }
  return out;
}

/** The ids of the subnets whose CIDR holds one of `ips`. */
function subnetsHolding(subnets: readonly SubnetInput[], ips: readonly string[]): string[] {
  if (ips.length === 0) return [];
  const addresses = ips.map(parseIpv4).filter((a): a is number => a !== null);
  const out: string[] = [];
  for (const s of subnets) {
    const block = parseIpv4Cidr(s.cidr);
    if (block !== null && addresses.some((a) => a >= block.base && a < block.base + block.size))
      out.push(s.id);
  }
  return out;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Every item the same object as before (PageItems hands over the held object for an unchanged one). */
function sameParts(a: Ec2Part | null, b: Ec2Part): boolean {
  return (
    a !== null &&
    sameList(a.enis, b.enis) &&
    sameList(a.instances, b.instances) &&
    sameList(a.subnets, b.subnets) &&
    sameList(a.extraInstanceTypes, b.extraInstanceTypes) &&
    sameList(a.cidrReservations, b.cidrReservations)
  );
}

export class Ec2Poller {
  private readonly options: Ec2PollerOptions;
  private readonly health: HealthTracker;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private instanceIds: string[] = [];
  private targetsKnown = false;
  /** The VPCs the nodes were found in at the last refresh: a big cluster's instances are asked by VPC. */
  private knownVpcs: string[] = [];
  private part_: Ec2Part | null = null;
  /** Only while a capture wants them: the documents of the last good refresh. */
  private raw_: Ec2Raw | null = null;
  private keepRaw_ = false;
  private readonly typeCache = new Map<string, { facts: InstanceTypeFacts; raw: Obj }>();
  /** Types asked for that EC2 does not know either: not asked again (the model then says "unknown"). */
  private readonly typesNotFound = new Set<string>();
  private readonly abort = new AbortController();
  private wake: (() => void) | null = null;
  private earlyRequested = false;
  private running: Promise<void> | null = null;
  private lastStart = 0;
  /** How long the last refresh took: early refreshes wait a few of these, so a big cluster's refreshes
   * do not run back to back on every pod start. */
  private lastDurationMs = 0;
  private refreshes = 0;
  /** Items each action has returned in the refresh under way (the first one is shown as progress). */
  private readonly counted = new Map<Ec2Action, number>();
  private readonly items = new PageItems();
  /** The instances of the last refresh that described them, and what it was asked for. Instances carry
   * only a node's type, zone, state and addresses, which change when nodes come and go; their pages also
   * carry every ENI with all its IPs again, as much XML as the ENI pages. So they are described when the
   * node list changed, every `instancesEvery` refreshes (an instance stopped under a node that is still
   * there), for a capture, and otherwise taken from here. */
  private described: {
    ids: string[];
    refresh: number;
    instances: InstanceInput[];
    reservations: Obj[] | null;
  } | null = null;
  /** The subnet CIDR reservations as last read, and for which subnets (read on the instances' schedule:
   * they change as seldom, and cost a call per subnet). */
  private reserved: { key: string; refresh: number; list: CidrReservationInput[]; raw: Obj[] | null } | null =
    null;
  /** Subnets the Kubernetes half names (ENIConfigs): their ENIs are described too. */
  private podSubnets: string[] = [];
  private fargateAddresses: string[] = [];
  /** The subnets the nodes' ENIs were found in at the last refresh. */
  private nodeEniSubnets: string[] = [];
  private inThread: { client: EC2Client; transport: Ec2Transport } | null = null;
  private onChange: () => void = () => {};
  private readonly budget: CallBudget;
  private incremental: IncrementalEc2 | null = null;
  /** The last refresh read incrementally. */
  private incrementalNow = false;
  /** The generation incremental pages are read under: one per sweep (see Generations in pages.ts). */
  private generation = 0;

  constructor(options: Ec2PollerOptions) {
    this.options = options;
    this.intervalMs = options.intervalMs ?? 15_000;
    this.now = options.now ?? Date.now;
    // Stale once a refresh is more than one interval late (plus slack for a slow refresh).
    this.health = new HealthTracker(this.intervalMs * 2 + 5_000, this.now);
    this.budget = CallBudget.ofShare(options.budgetShare ?? defaultBudgetShare, this.now);
    options.counters.ec2Budget = () => {
      const sweep = this.incrementalNow ? this.incremental?.status() : undefined;
      const now = this.now();
      return {
        perMinute: this.budget.perMinute,
        callsLastMinute: this.budget.callsLastMinute(),
        incremental: this.incrementalNow,
        lastSweepSeconds: sweep?.lastEnded != null ? (sweep.lastEnded - sweep.lastBegan!) / 1000 : null,
        oldestDataSeconds: sweep?.oldestReadAt != null ? (now - sweep.oldestReadAt) / 1000 : null,
      };
    };
  }

  /** Nodes (instance ids) whose pods started or went: on a big cluster their ENIs are read at the next
   * refresh, ahead of the sweep. */
  markChanged(instanceIds: string[]): void {
    this.incremental?.markChanged(instanceIds);
  }

  /** The nodes' instance ids, from the Kubernetes half; the first call lets refreshes begin. */
  setTargets(instanceIds: string[]): void {
    const sorted = [...new Set(instanceIds)].sort();
    // The same list keeps its array: a refresh compares it with the one its instances were described for.
    if (this.targetsKnown && sameList(sorted, this.instanceIds)) return;
    this.instanceIds = sorted;
    this.targetsKnown = true;
    this.requestEarly();
  }

  /** Subnets named by the cluster (ENIConfigs' pod subnets): every ENI in them is described. */
  setPodSubnets(subnetIds: string[]): void {
    const sorted = [...new Set(subnetIds)].sort();
    if (sameList(sorted, this.podSubnets)) return;
    this.podSubnets = sorted;
    this.requestEarly();
  }

  /** Fargate nodes' addresses: each is its pod's ENI's, attached to no instance of the account, so the
   * subnets holding them are read too (a Fargate profile's private subnets may hold no node's ENI). */
  setFargateAddresses(ips: string[]): void {
    const sorted = [...new Set(ips)].sort();
    if (sameList(sorted, this.fargateAddresses)) return;
    this.fargateAddresses = sorted;
    this.requestEarly();
  }

  requestEarly(): void {
    this.earlyRequested = true;
    this.wake?.();
  }

  /** From now on the next refreshes also keep the documents as EC2 sent them (for `capture`). */
  keepRaw(): void {
    this.keepRaw_ = true;
  }

  start(onChange: () => void): void {
    this.onChange = onChange;
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.running;
  }

  get answered(): boolean {
    return this.health.answered;
  }

  /** Why the last refresh failed, null when it did not. */
  get error(): string | null {
    return this.health.error;
  }

  /** The first refresh's describes, with the items each has returned so far. */
  progress(): LoadingStep[] {
    const complete = this.health.answered;
    const error = complete ? null : this.health.error;
    return (
      [
        ["DescribeInstances", "loading.step.describeInstances"],
        ["DescribeNetworkInterfaces", "loading.step.describeNetworkInterfaces"],
        ["DescribeSubnets", "loading.step.describeSubnets"],
      ] as const
    ).map(([action, key]) => ({
      ...stepLabel(key),
      count: this.counted.get(action) ?? 0,
      total: null,
      complete,
      // A failure belongs to the refresh, not to one action: it is told once, on the first step.
      error: action === "DescribeInstances" ? error : null,
    }));
  }

  status(): SourceStatus {
    const base = this.health.status();
    if (!this.incrementalNow || this.incremental === null) return base;
    const s = this.incremental.status();
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const lastSweepMs = s.lastEnded !== null && s.lastBegan !== null ? s.lastEnded - s.lastBegan : null;
    // Data older than two sweeps (and the pause between them) means the sweep is not keeping up.
    const bound = 2 * Math.max(this.options.minSweepMs ?? 60_000, lastSweepMs ?? 0) + this.intervalMs;
    const behind = s.oldestReadAt !== null && this.now() - s.oldestReadAt > bound;
    return {
      ...base,
      stale: base.stale || behind,
      sweep: {
        budgetPerMinute: this.budget.perMinute,
        lastSweepSeconds: lastSweepMs === null ? null : lastSweepMs / 1000,
        lastSweepEnded: iso(s.lastEnded),
        oldestReadAt: iso(s.oldestReadAt),
      },
    };
  }

  /** The same object until a refresh finds something different: the model input is then reused as is. */
  part(): Ec2Part | null {
    return this.part_;
  }

  /** Null unless keepRaw() was called before the last good refresh. */
  raw(): Ec2Raw | null {
    return this.raw_;
  }

  private async transport(): Promise<Ec2Transport | Error> {
    if (this.options.transport) return this.options.transport();
    const client = this.options.client?.() ?? new Error("no EC2 client");
    if (client instanceof Error) return client;
    if (this.inThread?.client !== client) {
      // Loaded only here: a server reads its pages in the worker and never loads the SDK in this thread.
      const { InThreadTransport } = await import("./pageReader.ts");
      this.inThread = { client, transport: new InThreadTransport(client) };
    }
    return this.inThread.transport;
  }

  /** One refresh now: the loop's unit of work, and what tests drive directly. */
  async refresh(): Promise<void> {
    const transport = await this.transport();
    if (transport instanceof Error) {
      this.health.failed(transport.message);
      return;
    }
    const started = performance.now();
    let calls = 0;
    const call = async <T>(action: string, send: () => Promise<T>): Promise<T> => {
      const backoff = new Backoff({
        baseMs: this.options.backoffBaseMs ?? 200,
        maxMs: this.options.backoffMaxMs ?? 5_000,
        random: this.options.random,
      });
      const retries = this.options.retries ?? 4;
      for (let attempt = 0; ; attempt++) {
        calls++;
        this.budget.record();
        bump(this.options.counters.ec2Calls, action);
        try {
          return await send();
        } catch (err) {
          bump(this.options.counters.ec2Errors, action);
          if (isThrottle(err)) bump(this.options.counters.ec2Throttles, action);
          if (!isThrottle(err) || attempt >= retries || this.abort.signal.aborted) throw err;
          await sleep(backoff.next(), this.abort.signal);
        }
      }
    };
    // A capture wants every document as one refresh read it: it always describes everything.
    this.incrementalNow =
      !this.keepRaw_ &&
      this.instanceIds.length > (this.options.incrementalAboveNodes ?? defaultIncrementalAbove);
    try {
      if (this.incrementalNow) {
        const part = await this.readIncrementally(transport, call);
        // Null until the first sweep has ended: no half-read cluster is shown.
        if (part !== null) {
          this.part_ = sameParts(this.part_, part) ? this.part_ : part;
          this.raw_ = null;
          this.health.succeeded();
        }
      } else {
        const { part, raw } = await this.describeAll(transport, call);
        this.part_ = sameParts(this.part_, part) ? this.part_ : part;
        this.raw_ = raw;
        this.health.succeeded();
      }
    } catch (err) {
      this.health.failed(describeEc2Error(err));
    } finally {
      const c = this.options.counters;
      c.ec2CallsLastRefresh = calls;
      c.ec2Refreshes++;
      this.lastDurationMs = performance.now() - started;
      c.refreshSeconds.observe({ source: "ec2" }, this.lastDurationMs / 1000);
    }
  }

  /** One incremental refresh (see incremental.ts); the part once a first sweep has ended, else null. */
  private async readIncrementally(
    transport: Ec2Transport,
    call: <T>(action: string, send: () => Promise<T>) => Promise<T>,
  ): Promise<Ec2Part | null> {
    const signal = this.abort.signal;
    this.incremental ??= new IncrementalEc2({
      budget: this.budget,
      now: this.now,
      minSweepMs: this.options.minSweepMs,
      onSweepBegin: () => {
        this.generation = ++this.refreshes;
      },
    });
    if (this.generation === 0) this.generation = ++this.refreshes;
    const read: ReadPage = async (action, filters, token, subnetId) => {
      const request = pageRequest(action, filters, token, subnetId, this.generation, false);
      const out = await call(action, () => transport.read(request, signal));
      const items = this.items.resolve(request, out);
      this.counted.set(action, (this.counted.get(action) ?? 0) + items.length);
      if (action === "DescribeInstanceTypes") this.keepTypes(items as InstanceTypeFacts[], out.raw);
      return { items, nextToken: out.nextToken ?? undefined };
    };
    const inc = this.incremental;
    await inc.refresh(
      { instanceIds: this.instanceIds, podSubnets: this.podSubnets, fargateAddresses: this.fargateAddresses },
      read,
    );
    if (!inc.complete) return null;
    const held = inc.part(this.instanceIds);
    // Types the table lacks are read once each, outside the budget (a handful, ever).
    for (const types of chunks(this.missingTypes(held.instances), typePageSize)) {
      await read("DescribeInstanceTypes", [{ Name: "instance-type", Values: types }], undefined);
      for (const t of types) if (!this.typeCache.has(t)) this.typesNotFound.add(t);
    }
    return { ...held, extraInstanceTypes: [...this.typeCache.values()].map((t) => t.facts) };
  }

  /** Instance types neither the built-in table nor an earlier DescribeInstanceTypes knows. */
  private missingTypes(instances: readonly InstanceInput[]): string[] {
    return [...new Set(instances.map((i) => i.instanceType))]
      .filter((t) => !lookupInstanceType(t) && !this.typeCache.has(t) && !this.typesNotFound.has(t))
      .sort();
  }

  private keepTypes(items: readonly InstanceTypeFacts[], raw: Obj[] | null): void {
    items.forEach((facts, k) => {
      this.typeCache.set(facts.instanceType, { facts, raw: raw?.[k] ?? {} });
    });
  }

  private async describeAll(
    transport: Ec2Transport,
    call: <T>(action: string, send: () => Promise<T>) => Promise<T>,
  ): Promise<{ part: Ec2Part; raw: Ec2Raw | null }> {
    const signal = this.abort.signal;
    const refresh = ++this.refreshes;
    const keepRaw = this.keepRaw_;
    this.counted.clear();
    const paged = async (
      action: Ec2Action,
      filters: Filter[],
      collect: (items: Mapped[], raw: Obj[] | null) => void,
      subnetId?: string,
    ): Promise<void> => {
      let token: string | undefined;
      do {
        const request = pageRequest(action, filters, token, subnetId, refresh, keepRaw);
        const out = await call(action, () => transport.read(request, signal));
        const items = this.items.resolve(request, out);
        this.counted.set(action, (this.counted.get(action) ?? 0) + items.length);
        collect(items, out.raw);
        token = out.nextToken ?? undefined;
      } while (token && !signal.aborted);
    };

    // The nodes as this refresh began: setTargets may replace the list while its calls are out.
    const targetIds = this.instanceIds;
    const described = this.described;
    const instancesDue =
      described === null ||
      described.ids !== targetIds ||
      refresh - described.refresh >= (this.options.instancesEvery ?? 4) ||
      (keepRaw && described.reservations === null);
    // Instances: by instance id, 200 to a call, for a cluster that fits in one call or whose VPC is not
    // known yet; a bigger one is asked by VPC, 1,000 to a page, keeping only its nodes' instances (a
    // node found in none of those VPCs is then asked for by id).
    const targets = new Set(targetIds);
    let instances: InstanceInput[] = [];
    let reservations: Obj[] = [];
    const found = new Set<string>();
    const collectInstances = (items: Mapped[], raw: Obj[] | null) => {
      for (const i of items as InstanceInput[]) {
        if (!targets.has(i.id) || found.has(i.id)) continue;
        found.add(i.id);
        instances.push(i);
      }
      if (raw) reservations.push(...onlyTargets(raw, targets));
    };
    if (!instancesDue) {
      instances = described.instances;
      reservations = described.reservations ?? [];
    } else {
      if (targetIds.length > maxFilterValues && this.knownVpcs.length > 0) {
        for (const vpcs of chunks(this.knownVpcs, maxFilterValues))
          await paged("DescribeInstances", [{ Name: "vpc-id", Values: vpcs }], collectInstances);
      }
      const unseen = targetIds.filter((id) => !found.has(id));
      for (const ids of chunks(unseen, maxFilterValues))
        await paged("DescribeInstances", [{ Name: "instance-id", Values: ids }], collectInstances);
      this.described = {
        ids: targetIds,
        refresh,
        instances,
        reservations: keepRaw ? reservations : null,
      };
    }
    const vpcIds = [
      ...new Set(instances.map((i) => i.vpcId).filter((v): v is string => typeof v === "string")),
    ].sort();
    this.knownVpcs = vpcIds;

    // Subnets: the VPCs' all (a call per 1,000), so the CNI's discovery tag is seen on subnets no node
    // uses yet; before any VPC is known, none.
    const subnets: SubnetInput[] = [];
    const subnetsRaw: Obj[] = [];
    for (const vpcs of chunks(vpcIds, maxFilterValues)) {
      await paged("DescribeSubnets", [{ Name: "vpc-id", Values: vpcs }], (items, raw) => {
        subnets.push(...(items as SubnetInput[]));
        if (raw) subnetsRaw.push(...raw);
      });
    }
    // The subnets in use: the nodes', the ENIConfigs', the discovery-tagged ones and those the nodes' ENIs
    // were in last time. Every ENI in them is described, 200 subnets to a call and 1,000 ENIs to a page.
    const inUse = new Set<string>([...this.podSubnets, ...this.nodeEniSubnets]);
    for (const i of instances) if (i.subnetId) inUse.add(i.subnetId);
    for (const s of subnets) if (s.cniDiscovery) inUse.add(s.id);
    for (const id of subnetsHolding(subnets, this.fargateAddresses)) inUse.add(id);
    const subnetIds = [...inUse].sort();
    const enis: EniInput[] = [];
    const enisRaw: Obj[] = [];
    const seen = new Set<string>();
    const describeEnis = (filters: Filter[]) =>
      paged("DescribeNetworkInterfaces", filters, (items, raw) => {
        (items as EniInput[]).forEach((e, k) => {
          if (seen.has(e.id)) return;
          seen.add(e.id);
          enis.push(e);
          if (raw?.[k]) enisRaw.push(raw[k]);
        });
      });
    for (const ids of chunks(subnetIds, maxFilterValues))
      await describeEnis([{ Name: "subnet-id", Values: ids }]);
    // With its instances, a cluster whose instance ids fit in one call also asks for its nodes' ENIs
    // wherever they are (a pod subnet no ENIConfig names yet: the next refreshes then read that subnet)
    // and the detached ones of its VPC (status available: leaked CNI ENIs).
    if (instancesDue && vpcIds.length > 0 && vpcIds.length + targetIds.length <= maxFilterValues) {
      const vpc: Filter = { Name: "vpc-id", Values: vpcIds };
      await describeEnis([vpc, { Name: "attachment.instance-id", Values: targetIds }]);
      await describeEnis([vpc, { Name: "status", Values: ["available"] }]);
    }
    this.nodeEniSubnets = [
      ...new Set(
        enis.filter((e) => e.instanceId !== null && targets.has(e.instanceId)).map((e) => e.subnetId),
      ),
    ].sort();

    // CIDR reservations: one call per subnet in use (EC2 takes one SubnetId a call), when the subnets in
    // use change and as seldom as the instances, but not in the same refresh: the two never add up in one.
    const key = subnetIds.join(",");
    const held = this.reserved;
    const every = this.options.instancesEvery ?? 4;
    const reservationsDue =
      held === null ||
      held.key !== key ||
      (keepRaw && held.raw === null) ||
      (refresh - held.refresh >= every && (!instancesDue || every <= 1));
    let cidrReservations: CidrReservationInput[];
    let reservationsRaw: Obj[] | null;
    if (!reservationsDue) {
      cidrReservations = held!.list;
      reservationsRaw = held!.raw;
    } else {
      cidrReservations = [];
      reservationsRaw = keepRaw ? [] : null;
      for (const subnetId of subnetIds) {
        await paged(
          "GetSubnetCidrReservations",
          [],
          (items, raw) => {
            cidrReservations.push(...(items as CidrReservationInput[]));
            if (raw && reservationsRaw) reservationsRaw.push(...raw);
          },
          subnetId,
        );
      }
      this.reserved = { key, refresh, list: cidrReservations, raw: reservationsRaw };
    }

    // Only types the built-in table lacks, once each: instance types do not change.
    for (const types of chunks(this.missingTypes(instances), typePageSize)) {
      await paged("DescribeInstanceTypes", [{ Name: "instance-type", Values: types }], (items, raw) =>
        this.keepTypes(items as InstanceTypeFacts[], raw),
      );
      for (const t of types) if (!this.typeCache.has(t)) this.typesNotFound.add(t);
    }

    return {
      raw: keepRaw
        ? {
            NetworkInterfaces: enisRaw,
            Reservations: reservations,
            Subnets: subnetsRaw,
            InstanceTypes: [...this.typeCache.values()].map((t) => t.raw),
            SubnetIpv4CidrReservations: reservationsRaw ?? [],
          }
        : null,
      part: {
        enis,
        instances,
        subnets,
        extraInstanceTypes: [...this.typeCache.values()].map((t) => t.facts),
        cidrReservations,
      },
    };
  }

  private async loop(): Promise<void> {
    const minGapMs = this.options.minGapMs ?? 2_000;
    while (!this.abort.signal.aborted) {
      if (this.targetsKnown) {
        this.earlyRequested = false;
        this.lastStart = this.now();
        await this.refresh();
        if (this.abort.signal.aborted) return;
        this.onChange();
      }
      // Sleep until the interval is up, or an early refresh is asked for (but not sooner than minGap).
      // A refresh that took 5 s (a big cluster) is not started again early before 15 s have passed: pods
      // start all the time there, and the regular interval then sets the pace.
      const minGap = Math.max(minGapMs, 3 * this.lastDurationMs);
      // A sweep under way goes on soon: the budget, not the interval, sets its pace.
      const sweeping = this.incrementalNow && this.incremental?.sweeping === true;
      const due = this.lastStart + (sweeping ? (this.options.sweepTickMs ?? 2_000) : this.intervalMs);
      while (!this.abort.signal.aborted) {
        const now = this.now();
        if (this.targetsKnown && now >= due) break;
        if (this.targetsKnown && this.earlyRequested && now >= this.lastStart + minGap) break;
        const until = this.earlyRequested ? Math.min(due, this.lastStart + minGap) : due;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(10, until - now));
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }
}
