// The EC2 half of a live source: a refresh every interval (15 s by default) and an early one when pods
// start on nodes (that is when IPAMD attaches ENIs and assigns IPs), never two at once. Every call is
// filtered and paginated: unfiltered, unpaginated Describes draw on a smaller throttling bucket that
// the VPC CNI itself needs (see the domain notes, section 4). Throttled calls are retried with backoff
// and jitter; a refresh that still fails keeps the last good data and says why.
import {
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  type EC2Client,
  type Filter,
} from "@aws-sdk/client-ec2";
import type { EniInput, InstanceInput, InstanceTypeFacts, SourceStatus, SubnetInput } from "@eni-view/model";
import { lookupInstanceType } from "@eni-view/model";
import { Backoff, sleep } from "../backoff.ts";
import { bump, HealthTracker, type SourceCounters } from "../source.ts";
import { eniFromEc2, instanceFromEc2, instanceTypeFromEc2, subnetFromEc2 } from "./map.ts";

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
}

/** The documents as the aws CLI prints them (PascalCase, ISO dates): what a capture folder holds. */
export interface Ec2Raw {
  NetworkInterfaces: Obj[];
  Reservations: Obj[];
  Subnets: Obj[];
  /** Only the types the built-in table lacks, as DescribeInstanceTypes returned them. */
  InstanceTypes: Obj[];
}

export interface Ec2PollerOptions {
  /** Built once the region is known; an Error explains why there is no client (no region ...). */
  client: () => EC2Client | Error;
  counters: SourceCounters;
  intervalMs?: number;
  /** Early refreshes are at least this far apart. */
  minGapMs?: number;
  /** Retries of a throttled call before the refresh gives up. */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  now?: () => number;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** SDK output to plain JSON: Dates become ISO strings, as in the CLI's output. */
function plain<T>(value: T): Obj[] {
  return JSON.parse(JSON.stringify(value ?? [])) as Obj[];
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
  if (isThrottle(err)) return "RequestLimitExceeded";
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(e.message ?? "")) {
    return "NoCredentials: no AWS credentials found (set AWS_PROFILE, run aws sso login, or give the pod an IAM role)";
  }
  if (name === "UnauthorizedOperation" || name === "AuthFailure") return `${name}: ${e.message ?? ""}`.trim();
  if (name === "ExpiredToken" || name === "RequestExpired")
    return `${name}: the AWS credentials have expired`;
  const code = e.code ?? (e as { cause?: { code?: string } }).cause?.code;
  if (code && /^E[A-Z]+$/.test(code)) return `${code}: cannot reach the EC2 endpoint (${e.message ?? code})`;
  return `${name}: ${e.message ?? "EC2 call failed"}`;
}

export class Ec2Poller {
  private readonly options: Ec2PollerOptions;
  private readonly health: HealthTracker;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private instanceIds: string[] = [];
  private targetsKnown = false;
  private data: { part: Ec2Part; raw: Ec2Raw } | null = null;
  private readonly typeCache = new Map<string, { facts: InstanceTypeFacts; raw: Obj }>();
  /** Types asked for that EC2 does not know either: not asked again (the model then says "unknown"). */
  private readonly typesNotFound = new Set<string>();
  private readonly abort = new AbortController();
  private wake: (() => void) | null = null;
  private earlyRequested = false;
  private running: Promise<void> | null = null;
  private lastStart = 0;
  private onChange: () => void = () => {};

  constructor(options: Ec2PollerOptions) {
    this.options = options;
    this.intervalMs = options.intervalMs ?? 15_000;
    this.now = options.now ?? Date.now;
    // Stale once a refresh is more than one interval late (plus slack for a slow refresh).
    this.health = new HealthTracker(this.intervalMs * 2 + 5_000, this.now);
  }

  /** The nodes' instance ids, from the Kubernetes half; the first call lets refreshes begin. */
  setTargets(instanceIds: string[]): void {
    const sorted = [...new Set(instanceIds)].sort();
    const changed = !this.targetsKnown || sorted.join() !== this.instanceIds.join();
    this.instanceIds = sorted;
    this.targetsKnown = true;
    if (changed) this.requestEarly();
  }

  requestEarly(): void {
    this.earlyRequested = true;
    this.wake?.();
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

  status(): SourceStatus {
    return this.health.status();
  }

  part(): Ec2Part | null {
    return this.data?.part ?? null;
  }

  raw(): Ec2Raw | null {
    return this.data?.raw ?? null;
  }

  /** One refresh now: the loop's unit of work, and what tests drive directly. */
  async refresh(): Promise<void> {
    const created = this.options.client();
    if (created instanceof Error) {
      this.health.failed(created.message);
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
    try {
      const data = await this.describeAll(created, call);
      this.data = data;
      this.health.succeeded();
    } catch (err) {
      this.health.failed(describeEc2Error(err));
    } finally {
      const c = this.options.counters;
      c.ec2CallsLastRefresh = calls;
      c.ec2Refreshes++;
      c.refreshSeconds.observe("ec2", (performance.now() - started) / 1000);
    }
  }

  private async describeAll(
    ec2: EC2Client,
    call: <T>(action: string, send: () => Promise<T>) => Promise<T>,
  ): Promise<{ part: Ec2Part; raw: Ec2Raw }> {
    const signal = this.abort.signal;
    const paged = async <O>(
      action: string,
      send: (token: string | undefined) => Promise<O & { NextToken?: string }>,
      collect: (out: O) => void,
    ): Promise<void> => {
      let token: string | undefined;
      do {
        const out = await call(action, () => send(token));
        collect(out);
        token = out.NextToken || undefined;
      } while (token && !signal.aborted);
    };

    const reservations: Obj[] = [];
    for (const ids of chunks(this.instanceIds, maxFilterValues)) {
      const Filters: Filter[] = [{ Name: "instance-id", Values: ids }];
      await paged(
        "DescribeInstances",
        (NextToken) =>
          ec2.send(new DescribeInstancesCommand({ Filters, MaxResults: pageSize, NextToken }), {
            abortSignal: signal,
          }),
        (out) => reservations.push(...plain(out.Reservations)),
      );
    }
    const instancesRaw = reservations.flatMap((r) => (r.Instances as Obj[] | undefined) ?? []);
    const vpcIds = [
      ...new Set(instancesRaw.map((i) => i.VpcId).filter((v): v is string => typeof v === "string")),
    ].sort();

    // A cluster whose instance ids fit in one call asks for its own ENIs plus the detached ones of its
    // VPC (status available: leaked CNI ENIs), so a shared VPC's other ENIs never travel. A bigger cluster
    // asks for the whole VPC: a call per 1000 ENIs instead of a call per 200 nodes.
    const enisRaw: Obj[] = [];
    const describeEnis = async (Filters: Filter[]) =>
      paged(
        "DescribeNetworkInterfaces",
        (NextToken) =>
          ec2.send(new DescribeNetworkInterfacesCommand({ Filters, MaxResults: pageSize, NextToken }), {
            abortSignal: signal,
          }),
        (out) => enisRaw.push(...plain(out.NetworkInterfaces)),
      );
    if (vpcIds.length > 0 && vpcIds.length + this.instanceIds.length <= maxFilterValues) {
      const vpc: Filter = { Name: "vpc-id", Values: vpcIds };
      await describeEnis([vpc, { Name: "attachment.instance-id", Values: this.instanceIds }]);
      await describeEnis([vpc, { Name: "status", Values: ["available"] }]);
    } else {
      for (const vpcs of chunks(vpcIds, maxFilterValues))
        await describeEnis([{ Name: "vpc-id", Values: vpcs }]);
    }

    const subnetIds = new Set<string>();
    for (const e of enisRaw) if (typeof e.SubnetId === "string") subnetIds.add(e.SubnetId);
    for (const i of instancesRaw) if (typeof i.SubnetId === "string") subnetIds.add(i.SubnetId);
    const subnetsRaw: Obj[] = [];
    for (const ids of chunks([...subnetIds].sort(), maxFilterValues)) {
      const Filters: Filter[] = [{ Name: "subnet-id", Values: ids }];
      await paged(
        "DescribeSubnets",
        (NextToken) =>
          ec2.send(new DescribeSubnetsCommand({ Filters, MaxResults: pageSize, NextToken }), {
            abortSignal: signal,
          }),
        (out) => subnetsRaw.push(...plain(out.Subnets)),
      );
    }

    // Only types the built-in table lacks, once each: instance types do not change.
    const missing = [
      ...new Set(instancesRaw.map((i) => i.InstanceType).filter((t): t is string => typeof t === "string")),
    ].filter((t) => !lookupInstanceType(t) && !this.typeCache.has(t) && !this.typesNotFound.has(t));
    for (const types of chunks(missing.sort(), typePageSize)) {
      const Filters: Filter[] = [{ Name: "instance-type", Values: types }];
      await paged(
        "DescribeInstanceTypes",
        (NextToken) =>
          ec2.send(new DescribeInstanceTypesCommand({ Filters, MaxResults: typePageSize, NextToken }), {
            abortSignal: signal,
          }),
        (out) => {
          for (const t of plain(out.InstanceTypes)) {
            const facts = instanceTypeFromEc2(t);
            this.typeCache.set(facts.instanceType, { facts, raw: t });
          }
        },
      );
      for (const t of types) if (!this.typeCache.has(t)) this.typesNotFound.add(t);
    }

    return {
      raw: {
        NetworkInterfaces: enisRaw,
        Reservations: reservations,
        Subnets: subnetsRaw,
        InstanceTypes: [...this.typeCache.values()].map((t) => t.raw),
      },
      part: {
        enis: enisRaw.map((e) => eniFromEc2(e)),
        instances: instancesRaw.map((i) => instanceFromEc2(i)),
        subnets: subnetsRaw.map((s) => subnetFromEc2(s)),
        extraInstanceTypes: [...this.typeCache.values()].map((t) => t.facts),
      },
    };
  }

  private async loop(): Promise<void> {
    const minGap = this.options.minGapMs ?? 2_000;
    while (!this.abort.signal.aborted) {
      if (this.targetsKnown) {
        this.earlyRequested = false;
        this.lastStart = this.now();
        await this.refresh();
        if (this.abort.signal.aborted) return;
        this.onChange();
      }
      // Sleep until the interval is up, or an early refresh is asked for (but not sooner than minGap).
      const due = this.lastStart + this.intervalMs;
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
