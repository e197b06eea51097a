// One page of an EC2 Describe call, read and mapped where the SDK runs (in the poller's worker thread,
// or in the poller's own thread for tests: pageReader.ts), and handed back as model inputs. The SDK's
// XML parsing is the costly part of a refresh on a big cluster, so it stays on that side, and only what
// changed since the previous refresh crosses back: an item whose mapped form is unchanged travels as its
// id and the poller hands over the object it already holds (the model reuses its work for inputs that
// are ===). This module stays free of the SDK, which costs about 95 MB to load: the server's thread
// never needs it.
import type { Filter } from "@aws-sdk/client-ec2";
import type {
  CidrReservationInput,
  EniInput,
  InstanceInput,
  InstanceTypeFacts,
  SubnetInput,
} from "@eni-view/model";

type Obj = Record<string, unknown>;

export type Ec2Action =
  | "DescribeInstances"
  | "DescribeNetworkInterfaces"
  | "DescribeSubnets"
  | "DescribeInstanceTypes"
  | "GetSubnetCidrReservations";

export type Mapped = EniInput | InstanceInput | SubnetInput | InstanceTypeFacts | CidrReservationInput;

export interface PageRequest {
  action: Ec2Action;
  filters: Filter[];
  maxResults: number;
  nextToken?: string;
  /** GetSubnetCidrReservations asks for one subnet at a time. */
  subnetId?: string;
  /** The refresh this page belongs to: pages of one refresh share a number, the next refresh's is higher. */
  refresh: number;
  /** Also return the documents as the aws CLI prints them (a capture, or the instance-type cache). */
  keepRaw: boolean;
}

export interface PageResult {
  /** Mapped items in EC2's order; one mapped exactly as in the previous refresh is sent as its id. */
  items: (Mapped | string)[];
  /** With keepRaw: NetworkInterfaces, Reservations, Subnets or InstanceTypes as plain JSON. */
  raw: Obj[] | null;
  nextToken: string | null;
}

/** Where pages are read: a worker thread in the server, the calling thread in tests. */
export interface Ec2Transport {
  read(request: PageRequest, signal: AbortSignal): Promise<PageResult>;
  close(): Promise<void>;
}

/** The id an item is known by across refreshes; instance types are not deduplicated (few, read once). */
export function idOf(action: Ec2Action, item: Mapped): string | null {
  switch (action) {
    case "DescribeNetworkInterfaces":
    case "DescribeInstances":
    case "DescribeSubnets":
    case "GetSubnetCidrReservations":
      return (item as { id: string }).id;
    default:
      return null;
  }
}

/** What both sides remember of one action's items as the previous refresh that read it gave them. A
 * refresh need not read every action (instances are not described at every refresh), so each action
 * switches on the first page of a newer refresh that reads it. Both sides switch on the same results in
 * the same order (a failed call produces none), so an id the reader sends in place of an item is always
 * one the poller holds. */
export class Generations<T> {
  private readonly byAction = new Map<Ec2Action, Generation<T>>();

  enter(action: Ec2Action, refresh: number): Generation<T> {
    const held = this.byAction.get(action);
    if (held?.refresh === refresh) return held;
    const next = { refresh, previous: held?.current ?? new Map<string, T>(), current: new Map<string, T>() };
    this.byAction.set(action, next);
    return next;
  }
}

export interface Generation<T> {
  refresh: number;
  previous: Map<string, T>;
  current: Map<string, T>;
}

/** The poller's side: turns ids back into the objects it handed over at the previous refresh. */
export class PageItems {
  private readonly held = new Generations<Mapped>();

  resolve(request: PageRequest, result: PageResult): Mapped[] {
    const held = this.held.enter(request.action, request.refresh);
    return result.items.map((item) => {
      if (typeof item === "string") {
        const kept = held.previous.get(item);
        if (kept === undefined) throw new Error(`EC2 page names ${item}, which the previous refresh lacked`);
        held.current.set(item, kept);
        return kept;
      }
      const id = idOf(request.action, item);
      if (id !== null) held.current.set(id, item);
      return item;
    });
  }
}
