// EC2 reads for a cluster too big to describe whole at every refresh. Two kinds of call, both within a
// CallBudget: the ENIs of the nodes that changed (pods started or went, nodes joined or left), by the
// `attachment.instance-id` filter, 200 ids a call, at every refresh; and a sweep that reads everything a
// full refresh reads (subnets, instances by VPC, every ENI of the subnets in use, CIDR reservations), one
// page at a time, carried on from refresh to refresh so that it spreads over as long as the budget needs.
// Each item keeps when it was last read: an ENI no read has returned since a sweep began is gone when that
// sweep ends, so after one complete sweep the ENIs held are those a full describe returns.
import type { Filter } from "@aws-sdk/client-ec2";
import type { CidrReservationInput, EniInput, InstanceInput, SubnetInput } from "@eni-view/model";
import { parseIpv4, parseIpv4Cidr } from "@eni-view/model";
import type { CallBudget } from "./callBudget.ts";
import type { Ec2Action, Mapped } from "./pages.ts";

/** EC2 allows at most 200 filter values per call. */
const maxValues = 200;

/** One page read: the mapped items and the token of the next page. */
export type ReadPage = (
  action: Ec2Action,
  filters: Filter[],
  token: string | undefined,
  subnetId?: string,
) => Promise<{ items: Mapped[]; nextToken: string | undefined }>;

/** What the Kubernetes half says about the cluster at this refresh. */
export interface SweepTargets {
  /** The nodes' instance ids, sorted. */
  instanceIds: readonly string[];
  /** Subnets the ENIConfigs name, and those holding Fargate nodes' addresses. */
  podSubnets: readonly string[];
  fargateAddresses: readonly string[];
}

export interface SweepStatus {
  /** When the last complete sweep began and ended (ms), null before the first one ends. */
  lastBegan: number | null;
  lastEnded: number | null;
  /** When the oldest ENI held was read (ms); null when none is held. */
  oldestReadAt: number | null;
  /** Pages read by the sweep under way, and how many it had when it began (it can grow). */
  pagesRead: number;
}

interface Held<T> {
  item: T;
  at: number;
}

/** One step of a sweep: a filtered Describe read page by page, or the steps that depend on what the
 * steps before found (the VPC, the subnets in use), planned when it is reached. */
type Step =
  | { action: Ec2Action; filters: Filter[]; subnetId?: string; token?: string }
  | { plan: (targets: SweepTargets) => Step[] };

interface Sweep {
  began: number;
  steps: Step[];
  subnets: SubnetInput[];
  reservations: CidrReservationInput[];
  pages: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function idOrder<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface IncrementalOptions {
  budget: CallBudget;
  now: () => number;
  /** A new sweep begins no sooner than this after the previous one began. */
  minSweepMs?: number;
  /** Called as a sweep begins: the pages of one sweep are one generation for the page reader. */
  onSweepBegin?: () => void;
}

export class IncrementalEc2 {
  private readonly budget: CallBudget;
  private readonly now: () => number;
  private readonly minSweepMs: number;
  private readonly onSweepBegin: () => void;
  private readonly enis = new Map<string, Held<EniInput>>();
  private readonly instances = new Map<string, Held<InstanceInput>>();
  private subnets: SubnetInput[] = [];
  private reservations: CidrReservationInput[] = [];
  /** Instance ids whose instance is still to be described (new nodes). */
  private readonly newInstances = new Set<string>();
  /** Instance ids whose ENIs are to be described at the next refresh. */
  private readonly changed = new Set<string>();
  private known: readonly string[] = [];
  private sweep: Sweep | null = null;
  private last: { began: number; ended: number } | null = null;

  constructor(options: IncrementalOptions) {
    this.budget = options.budget;
    this.now = options.now;
    this.minSweepMs = options.minSweepMs ?? 60_000;
    this.onSweepBegin = options.onSweepBegin ?? (() => {});
  }

  /** The ENIs of these instances are described at the next refresh (pods started or went on them). */
  markChanged(instanceIds: Iterable<string>): void {
    for (const id of instanceIds) this.changed.add(id);
  }

  /** A sweep is under way (the poller comes back soon rather than at its interval). */
  get sweeping(): boolean {
    return this.sweep !== null;
  }

  /** At least one sweep has ended: every item has been read once. */
  get complete(): boolean {
    return this.last !== null;
  }

  status(): SweepStatus {
    let oldest: number | null = null;
    for (const { at } of this.enis.values()) if (oldest === null || at < oldest) oldest = at;
    return {
      lastBegan: this.last?.began ?? null,
      lastEnded: this.last?.ended ?? null,
      oldestReadAt: oldest,
      pagesRead: this.sweep?.pages ?? 0,
    };
  }

  /** What is held: ENIs and instances in id order. */
  part(targets: readonly string[]): {
    enis: EniInput[];
    instances: InstanceInput[];
    subnets: SubnetInput[];
    cidrReservations: CidrReservationInput[];
  } {
    const enis = [...this.enis.values()].map((h) => h.item).sort(idOrder);
    const instances: InstanceInput[] = [];
    for (const id of targets) {
      const held = this.instances.get(id);
      if (held) instances.push(held.item);
    }
    return { enis, instances, subnets: this.subnets, cidrReservations: this.reservations };
  }

  /** One refresh: new nodes' instances, changed nodes' ENIs, then as much of the sweep as the budget
   * allows. Returns false when the budget stopped it before the changed nodes were all read. */
  async refresh(targets: SweepTargets, read: ReadPage): Promise<boolean> {
    this.follow(targets.instanceIds);
    if (this.last === null && this.sweep === null) {
      // The first sweep reads every node: only nodes that come or change after it began are read apart.
      this.sweep = this.beginSweep(targets);
      this.newInstances.clear();
      this.changed.clear();
    }
    // New and changed nodes first: a pod that just started is what a viewer waits for. They may use the
    // whole bucket; the sweep leaves a reserve for them.
    for (const ids of chunks([...this.newInstances].sort(), maxValues)) {
      const found = await this.readAll(read, "DescribeInstances", [{ Name: "instance-id", Values: ids }], 0);
      if (found === null) return false;
      const at = this.now();
      for (const i of found as InstanceInput[]) this.instances.set(i.id, { item: i, at });
      for (const id of ids) this.newInstances.delete(id);
    }
    for (const ids of chunks([...this.changed].sort(), maxValues)) {
      const filters: Filter[] = [{ Name: "attachment.instance-id", Values: ids }];
      const found = await this.readAll(read, "DescribeNetworkInterfaces", filters, 0);
      if (found === null) return false;
      this.replaceAttachedTo(new Set(ids), found as EniInput[]);
      for (const id of ids) this.changed.delete(id);
    }
    await this.continueSweep(targets, read);
    return true;
  }

  /** New instance ids are described; ENIs of nodes that came or went are read again. */
  private follow(ids: readonly string[]): void {
    if (ids === this.known) return;
    const now = new Set(ids);
    for (const id of ids) {
      if (!this.instances.has(id)) {
        this.newInstances.add(id);
        this.changed.add(id);
      }
    }
    for (const id of this.known) {
      if (!now.has(id)) {
        this.instances.delete(id);
        this.newInstances.delete(id);
        // A node that left: what is still attached to its instance (terminating) is read again.
        this.changed.add(id);
      }
    }
    this.known = ids;
  }

  /** Every page of one filtered call, or null when the budget ran out before the last page. */
  private async readAll(
    read: ReadPage,
    action: Ec2Action,
    filters: Filter[],
    reserve: number,
  ): Promise<Mapped[] | null> {
    const out: Mapped[] = [];
    let token: string | undefined;
    do {
      if (!this.budget.take(reserve)) return null;
      const page = await read(action, filters, token);
      out.push(...page.items);
      token = page.nextToken;
    } while (token);
    return out;
  }

  /** The answer for these instances replaces every ENI held as attached to one of them. */
  private replaceAttachedTo(ids: Set<string>, found: EniInput[]): void {
    for (const [id, held] of this.enis) {
      if (held.item.instanceId !== null && ids.has(held.item.instanceId)) this.enis.delete(id);
    }
    const at = this.now();
    for (const e of found) this.enis.set(e.id, { item: e, at });
  }

  private vpcs(): string[] {
    const all = [...this.instances.values()].map((h) => h.item.vpcId);
    return [...new Set(all.filter((v): v is string => typeof v === "string"))].sort();
  }

  private beginSweep(targets: SweepTargets): Sweep {
    this.onSweepBegin();
    const byId = (ids: readonly string[]): Step => ({
      action: "DescribeInstances",
      filters: [{ Name: "instance-id", Values: [...ids] }],
    });
    const byVpc = (action: Ec2Action) =>
      chunks(this.vpcs(), maxValues).map((v): Step => ({ action, filters: [{ Name: "vpc-id", Values: v }] }));
    // The subnets in use, planned once the subnets are read: every ENI in them, and their reservations.
    const enisAndReservations: Step = {
      plan: (t) => {
        const inUse = this.subnetsInUse(t);
        return [
          ...chunks(inUse, maxValues).map(
            (ids): Step => ({
              action: "DescribeNetworkInterfaces",
              filters: [{ Name: "subnet-id", Values: ids }],
            }),
          ),
          ...inUse.map((subnetId): Step => ({ action: "GetSubnetCidrReservations", filters: [], subnetId })),
        ];
      },
    };
    const steps: Step[] =
      this.vpcs().length > 0
        ? [...byVpc("DescribeSubnets"), ...byVpc("DescribeInstances"), enisAndReservations]
        : [
            // Nothing known yet: the first 200 instances by id tell the VPC; the rest by VPC, 1,000 a page,
            // and by id those found in no VPC known.
            byId(targets.instanceIds.slice(0, maxValues)),
            {
              plan: () => [
                ...byVpc("DescribeSubnets"),
                ...byVpc("DescribeInstances"),
                {
                  plan: (later) =>
                    chunks(
                      later.instanceIds.filter((id) => !this.instances.has(id)),
                      maxValues,
                    ).map(byId),
                },
              ],
            },
            enisAndReservations,
          ];
    return { began: this.now(), steps, subnets: [], reservations: [], pages: 0 };
  }

  /** The subnets whose every ENI a sweep reads: the nodes', the nodes' ENIs', the ENIConfigs', the
   * discovery-tagged ones and those holding Fargate addresses (as a full refresh reads). */
  private subnetsInUse(targets: SweepTargets): string[] {
    const inUse = new Set<string>(targets.podSubnets);
    for (const { item } of this.instances.values()) if (item.subnetId) inUse.add(item.subnetId);
    const nodes = new Set(targets.instanceIds);
    for (const { item } of this.enis.values())
      if (item.instanceId !== null && nodes.has(item.instanceId)) inUse.add(item.subnetId);
    for (const s of this.subnets) if (s.cniDiscovery) inUse.add(s.id);
    const addresses = targets.fargateAddresses.map(parseIpv4).filter((a): a is number => a !== null);
    for (const s of this.subnets) {
      const block = parseIpv4Cidr(s.cidr);
      if (block && addresses.some((a) => a >= block.base && a < block.base + block.size)) inUse.add(s.id);
    }
    return [...inUse].sort();
  }

  private async continueSweep(targets: SweepTargets, read: ReadPage): Promise<void> {
    if (this.sweep === null) {
      if (this.last !== null && this.now() - this.last.began < this.minSweepMs) return;
      this.sweep = this.beginSweep(targets);
    }
    const sweep = this.sweep;
    // Half the bucket stays for changed nodes, except before the first sweep has ended (nothing to show).
    const reserve = this.last === null ? 0 : Math.floor(this.budget.capacity / 2);
    while (sweep.steps.length > 0) {
      const step = sweep.steps[0]!;
      if ("plan" in step) {
        sweep.steps.splice(0, 1, ...step.plan(targets));
        continue;
      }
      if (!this.budget.take(reserve)) return;
      const page = await read(step.action, step.filters, step.token, step.subnetId);
      sweep.pages++;
      step.token = page.nextToken;
      this.fold(sweep, step.action, page.items, targets);
      if (step.token !== undefined) continue;
      sweep.steps.shift();
      const next = sweep.steps[0];
      if (
        step.action === "DescribeSubnets" &&
        !(next && "action" in next && next.action === "DescribeSubnets")
      )
        this.subnets = sweep.subnets;
    }
    this.endSweep(sweep);
  }

  private fold(sweep: Sweep, action: Ec2Action, items: Mapped[], targets: SweepTargets): void {
    const at = this.now();
    switch (action) {
      case "DescribeSubnets":
        sweep.subnets.push(...(items as SubnetInput[]));
        break;
      case "DescribeInstances": {
        const nodes = new Set(targets.instanceIds);
        for (const i of items as InstanceInput[])
          if (nodes.has(i.id)) this.instances.set(i.id, { item: i, at });
        break;
      }
      case "DescribeNetworkInterfaces":
        for (const e of items as EniInput[]) this.enis.set(e.id, { item: e, at });
        break;
      case "GetSubnetCidrReservations":
        sweep.reservations.push(...(items as CidrReservationInput[]));
        break;
      default:
        break;
    }
  }

  private endSweep(sweep: Sweep): void {
    // Not read since the sweep began, by the sweep or by a changed node's read: gone.
    for (const [id, held] of this.enis) if (held.at < sweep.began) this.enis.delete(id);
    for (const [id, held] of this.instances) if (held.at < sweep.began) this.instances.delete(id);
    this.reservations = sweep.reservations;
    this.last = { began: sweep.began, ended: this.now() };
    this.sweep = null;
  }
}
