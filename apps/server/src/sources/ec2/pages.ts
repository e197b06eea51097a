// One page of an EC2 Describe call, read and mapped where the SDK runs (in the poller's worker thread,
// or in the poller's own thread for tests), and handed back as model inputs. The SDK's XML parsing is
// the costly part of a refresh on a big cluster, so it stays on that side, and only what changed since
// the previous refresh crosses back: an item whose mapped form is unchanged travels as its id and the
// poller hands over the object it already holds (the model reuses its work for inputs that are ===).
import {
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  type EC2Client,
  type Filter,
} from "@aws-sdk/client-ec2";
import type { EniInput, InstanceInput, InstanceTypeFacts, SubnetInput } from "@eni-view/model";
import { eniFromEc2, instanceFromEc2, instanceTypeFromEc2, subnetFromEc2 } from "./map.ts";

type Obj = Record<string, unknown>;

export type Ec2Action =
  | "DescribeInstances"
  | "DescribeNetworkInterfaces"
  | "DescribeSubnets"
  | "DescribeInstanceTypes";

export type Mapped = EniInput | InstanceInput | SubnetInput | InstanceTypeFacts;

export interface PageRequest {
  action: Ec2Action;
  filters: Filter[];
  maxResults: number;
  nextToken?: string;
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

/** SDK output to plain JSON: Dates become ISO strings, as in the CLI's output. */
function plain(value: unknown): Obj[] {
  return JSON.parse(JSON.stringify(value ?? [])) as Obj[];
}

/** The id an item is known by across refreshes; instance types are not deduplicated (few, read once). */
function idOf(action: Ec2Action, item: Mapped): string | null {
  switch (action) {
    case "DescribeNetworkInterfaces":
    case "DescribeInstances":
    case "DescribeSubnets":
      return (item as { id: string }).id;
    default:
      return null;
  }
}

function command(request: PageRequest) {
  const input = {
    Filters: request.filters,
    MaxResults: request.maxResults,
    NextToken: request.nextToken,
  };
  switch (request.action) {
    case "DescribeInstances":
      return new DescribeInstancesCommand(input);
    case "DescribeNetworkInterfaces":
      return new DescribeNetworkInterfacesCommand(input);
    case "DescribeSubnets":
      return new DescribeSubnetsCommand(input);
    case "DescribeInstanceTypes":
      return new DescribeInstanceTypesCommand(input);
  }
}

/** What both sides remember of the previous refresh, switched on the first page of a new one that
 * comes back. Both switch on the same results in the same order (a failed call produces none), so an id
 * the reader sends in place of an item is always one the poller holds. */
class Generations<T> {
  private refresh = -1;
  previous = new Map<string, T>();
  current = new Map<string, T>();

  enter(refresh: number): void {
    if (refresh === this.refresh) return;
    this.refresh = refresh;
    this.previous = this.current;
    this.current = new Map();
  }
}

/** Reads pages with the SDK and maps them; remembers each item's mapped JSON of the previous refresh. */
export class PageReader {
  private readonly ec2: EC2Client;
  private readonly seen = new Generations<string>();

  constructor(ec2: EC2Client) {
    this.ec2 = ec2;
  }

  async read(request: PageRequest, signal: AbortSignal): Promise<PageResult> {
    // biome-ignore lint/suspicious/noExplicitAny: the four commands share one send; their outputs differ.
    const out: any = await this.ec2.send(command(request) as any, { abortSignal: signal });
    let docs: Obj[];
    let raw: Obj[] | null = null;
    let mapped: Mapped[];
    switch (request.action) {
      case "DescribeInstances": {
        const reservations = (out.Reservations ?? []) as Obj[];
        docs = reservations.flatMap((r) => (r.Instances as Obj[] | undefined) ?? []);
        mapped = docs.map((d) => instanceFromEc2(d));
        if (request.keepRaw) raw = plain(reservations);
        break;
      }
      case "DescribeNetworkInterfaces":
        docs = (out.NetworkInterfaces ?? []) as Obj[];
        mapped = docs.map((d) => eniFromEc2(d));
        if (request.keepRaw) raw = plain(docs);
        break;
      case "DescribeSubnets":
        docs = (out.Subnets ?? []) as Obj[];
        mapped = docs.map((d) => subnetFromEc2(d));
        if (request.keepRaw) raw = plain(docs);
        break;
      case "DescribeInstanceTypes":
        docs = (out.InstanceTypes ?? []) as Obj[];
        mapped = docs.map((d) => instanceTypeFromEc2(d));
        if (request.keepRaw) raw = plain(docs);
        break;
    }
    // Everything above can throw; only a page that comes back whole is remembered.
    this.seen.enter(request.refresh);
    const items = mapped.map((item): Mapped | string => {
      const id = idOf(request.action, item);
      if (id === null) return item;
      const key = `${request.action}\0${id}`;
      const json = JSON.stringify(item);
      this.seen.current.set(key, json);
      return this.seen.previous.get(key) === json ? id : item;
    });
    return { items, raw, nextToken: (out.NextToken as string | undefined) || null };
  }
}

/** The poller's side: turns ids back into the objects it handed over at the previous refresh. */
export class PageItems {
  private readonly held = new Generations<Mapped>();

  resolve(request: PageRequest, result: PageResult): Mapped[] {
    this.held.enter(request.refresh);
    return result.items.map((item) => {
      if (typeof item === "string") {
        const key = `${request.action}\0${item}`;
        const kept = this.held.previous.get(key);
        if (kept === undefined) throw new Error(`EC2 page names ${item}, which the previous refresh lacked`);
        this.held.current.set(key, kept);
        return kept;
      }
      const id = idOf(request.action, item);
      if (id !== null) this.held.current.set(`${request.action}\0${id}`, item);
      return item;
    });
  }
}

/** Pages read in the calling thread: the poller's tests and test doubles give it an EC2Client. */
export class InThreadTransport implements Ec2Transport {
  private readonly reader: PageReader;

  constructor(ec2: EC2Client) {
    this.reader = new PageReader(ec2);
  }

  read(request: PageRequest, signal: AbortSignal): Promise<PageResult> {
    return this.reader.read(request, signal);
  }

  async close(): Promise<void> {}
}
