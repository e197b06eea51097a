// Reads EC2 pages with the AWS SDK and maps them to model inputs: the worker thread's work
// (ec2Worker.ts), or the calling thread's when the poller is given an EC2Client (tests, test doubles).
import {
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  type EC2Client,
  GetSubnetCidrReservationsCommand,
} from "@aws-sdk/client-ec2";
import {
  cidrReservationFromEc2,
  eniFromEc2,
  instanceFromEc2,
  instanceTypeFromEc2,
  subnetFromEc2,
} from "./map.ts";
import {
  type Ec2Transport,
  Generations,
  idOf,
  type Mapped,
  type PageRequest,
  type PageResult,
} from "./pages.ts";

type Obj = Record<string, unknown>;

/** SDK output to plain JSON: Dates become ISO strings, as in the CLI's output. */
function plain(value: unknown): Obj[] {
  return JSON.parse(JSON.stringify(value ?? [])) as Obj[];
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
    case "GetSubnetCidrReservations":
      return new GetSubnetCidrReservationsCommand({ ...input, SubnetId: request.subnetId });
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
      case "GetSubnetCidrReservations":
        docs = (out.SubnetIpv4CidrReservations ?? []) as Obj[];
        mapped = docs.map((d) => cidrReservationFromEc2(d));
        if (request.keepRaw) raw = plain(docs);
        break;
    }
    // Everything above can throw; only a page that comes back whole is remembered.
    const seen = this.seen.enter(request.action, request.refresh);
    const items = mapped.map((item): Mapped | string => {
      const id = idOf(request.action, item);
      if (id === null) return item;
      const json = JSON.stringify(item);
      seen.current.set(id, json);
      return seen.previous.get(id) === json ? id : item;
    });
    return { items, raw, nextToken: (out.NextToken as string | undefined) || null };
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
