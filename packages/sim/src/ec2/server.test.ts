// The simulated EC2 Query API read by the real AWS SDK v3 client: if the SDK parses it, eni-view's EC2
// source and any tool built on the SDK will.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type _InstanceType,
  CreateNetworkInterfaceCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  EC2ServiceException,
  paginateDescribeInstanceTypes,
  paginateDescribeNetworkInterfaces,
} from "@aws-sdk/client-ec2";
import { allInstanceTypes } from "@eni-view/model";
import { seededRandom } from "../ipamd/testClock.ts";
import { type TestCluster, testCluster } from "../ipamd/testCluster.ts";
import { type Ec2Server, startEc2Server } from "./server.ts";

const signed =
  "AWS4-HMAC-SHA256 Credential=x/20260101/ap-northeast-2/ec2/aws4_request, SignedHeaders=host, Signature=00";

let c: TestCluster;
let server: Ec2Server;
let ec2: EC2Client;

async function ec2Error(promise: Promise<unknown>): Promise<EC2ServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof EC2ServiceException) return err;
    throw err;
  }
  throw new Error("the call succeeded but an EC2 error was expected");
}

before(async () => {
  c = testCluster();
  // Node 1 idle (1 ENI), node 2 with 1 pod (2 ENIs), node 3 full (3 ENIs): 6 ENIs in all.
  c.network.settle(c.nodes[1]?.nodeName ?? "", [{ namespace: "default", name: "a" }]);
  c.network.settle(
    c.nodes[2]?.nodeName ?? "",
    Array.from({ length: 15 }, (_, i) => ({ namespace: "default", name: `b${i}` })),
  );
  server = await startEc2Server({ state: c.state, faults: c.faults, random: seededRandom(3) });
  ec2 = new EC2Client({
    endpoint: server.url,
    region: "ap-northeast-2",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
});

after(async () => {
  ec2.destroy();
  await server.close();
});

describe("DescribeNetworkInterfaces", () => {
  it("lists every ENI with attachment, addresses and tags as EC2 shapes them", async () => {
    const out = await ec2.send(new DescribeNetworkInterfacesCommand({}));
    const enis = out.NetworkInterfaces ?? [];
    assert.equal(enis.length, 6);
    const full = c.nodes[2]?.instanceId;
    const second = enis.find((e) => e.Attachment?.InstanceId === full && e.Attachment?.DeviceIndex === 1);
    assert.ok(second);
    assert.equal(second.Status, "in-use");
    assert.equal(second.InterfaceType, "interface");
    assert.equal(second.Description, `aws-K8S-${full}`);
    assert.equal(second.Attachment?.Status, "attached");
    assert.ok(second.Attachment?.AttachTime instanceof Date);
    assert.equal(second.Attachment?.NetworkCardIndex, 0);
    const addresses = second.PrivateIpAddresses ?? [];
    assert.equal(addresses.length, 6, "1 primary + 5 secondary IPs (t3.medium: 6 IPv4 per ENI)");
    assert.equal(addresses.filter((a) => a.Primary).length, 1);
    assert.equal(addresses[0]?.PrivateIpAddress, second.PrivateIpAddress);
    assert.match(addresses[1]?.PrivateDnsName ?? "", /^ip-192-168-3-\d+\.ap-northeast-2\.compute\.internal$/);
    assert.deepEqual(
      second.TagSet?.find((t) => t.Key === "node.k8s.amazonaws.com/instance_id"),
      { Key: "node.k8s.amazonaws.com/instance_id", Value: full },
    );
    assert.equal(second.RequesterManaged, false);
    assert.equal(second.SourceDestCheck, true);
    assert.equal(second.Groups?.[0]?.GroupName, "eks-cluster-sg-sim");
  });

  it("filters by attachment, tag, description and device index", async () => {
    const full = c.nodes[2]?.instanceId ?? "";
    const ids = async (filters: { Name: string; Values: string[] }[]) =>
      ((await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters }))).NetworkInterfaces ?? [])
        .length;
    assert.equal(await ids([{ Name: "attachment.instance-id", Values: [full] }]), 3);
    assert.equal(await ids([{ Name: "tag:node.k8s.amazonaws.com/instance_id", Values: [full] }]), 3);
    assert.equal(await ids([{ Name: "tag-key", Values: ["node.k8s.amazonaws.com/createdAt"] }]), 3);
    assert.equal(await ids([{ Name: "description", Values: ["aws-K8S-*"] }]), 3);
    assert.equal(await ids([{ Name: "attachment.device-index", Values: ["0"] }]), 3);
    assert.equal(
      await ids([
        { Name: "vpc-id", Values: [c.state.vpcId] },
        { Name: "status", Values: ["in-use"] },
        { Name: "attachment.instance-id", Values: [full, "i-0000000000000000"] },
      ]),
      3,
    );
    assert.equal(await ids([{ Name: "subnet-id", Values: ["subnet-nope"] }]), 0);
  });

  it("pages with MaxResults and NextToken through paginateDescribeNetworkInterfaces", async () => {
    const pages: number[] = [];
    const seen: string[] = [];
    for await (const page of paginateDescribeNetworkInterfaces({ client: ec2, pageSize: 5 }, {})) {
      pages.push(page.NetworkInterfaces?.length ?? 0);
      for (const e of page.NetworkInterfaces ?? []) seen.push(e.NetworkInterfaceId ?? "");
    }
    assert.deepEqual(pages, [5, 1]);
    assert.deepEqual(seen.sort(), [...c.state.enis.keys()].sort());
  });

  it("answers DryRun with DryRunOperation (HTTP 412) and a malformed id with ...ID.Malformed", async () => {
    const dry = await ec2Error(ec2.send(new DescribeNetworkInterfacesCommand({ DryRun: true })));
    assert.equal(dry.name, "DryRunOperation");
    assert.equal(dry.$metadata.httpStatusCode, 412);
    const eni = await ec2Error(
      ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ["eni-xyz"] })),
    );
    assert.equal(eni.name, "InvalidNetworkInterfaceID.Malformed");
    assert.match(eni.message, /Invalid id: "eni-xyz"/);
    const instance = await ec2Error(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-12"] })));
    assert.equal(instance.name, "InvalidInstanceID.Malformed");
    const subnet = await ec2Error(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-nope"] })));
    assert.equal(subnet.name, "InvalidSubnetID.Malformed");
    const missing = await ec2Error(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })),
    );
    assert.equal(missing.name, "InvalidInstanceID.NotFound", "well formed but unknown: NotFound");
  });

  it("answers EC2's errors for bad requests", async () => {
    const first = [...c.state.enis.keys()][0] ?? "";
    const combo = await ec2Error(
      ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [first], MaxResults: 5 })),
    );
    assert.equal(combo.name, "InvalidParameterCombination");
    assert.equal(combo.$metadata.httpStatusCode, 400);
    const small = await ec2Error(ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 4 })));
    assert.equal(small.name, "InvalidParameterValue");
    const missing = await ec2Error(
      ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ["eni-0123456789abcdef0"] })),
    );
    assert.equal(missing.name, "InvalidNetworkInterfaceID.NotFound");
    assert.match(missing.message, /eni-0123456789abcdef0/);
    const values = Array.from({ length: 201 }, (_, i) => `i-${i}`);
    const limit = await ec2Error(
      ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [{ Name: "attachment.instance-id", Values: values }],
        }),
      ),
    );
    assert.equal(limit.name, "FilterLimitExceeded");
    assert.match(limit.message, /maximum number of filter values specified on a single call is 200/);
    const unknown = await ec2Error(
      ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "colour", Values: ["red"] }] })),
    );
    assert.equal(unknown.name, "InvalidParameterValue");
    assert.match(unknown.message, /colour/);
    const token = await ec2Error(
      ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 5, NextToken: "junk" })),
    );
    assert.equal(token.name, "InvalidPaginationToken");
  });
});

describe("DescribeInstances", () => {
  it("returns each node with its state, placement and nested ENIs", async () => {
    const out = await ec2.send(new DescribeInstancesCommand({}));
    const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    assert.equal(instances.length, 3);
    const full = instances.find((i) => i.InstanceId === c.nodes[2]?.instanceId);
    assert.equal(full?.InstanceType, "t3.medium");
    assert.equal(full?.State?.Name, "running");
    assert.equal(full?.State?.Code, 16);
    assert.equal(full?.Placement?.AvailabilityZone, "ap-northeast-2c");
    assert.deepEqual(
      full?.NetworkInterfaces?.map((n) => n.Attachment?.DeviceIndex),
      [0, 1, 2],
    );
    assert.equal(full?.NetworkInterfaces?.[0]?.PrivateIpAddress, full?.PrivateIpAddress);
    assert.equal(full?.Tags?.find((t) => t.Key === "Name")?.Value, "lab-node-3");
    const one = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [c.nodes[0]?.instanceId ?? ""] }));
    assert.equal(one.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces?.length, 1);
    const byType = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: "instance-type", Values: ["t3.*"] }], MaxResults: 5 }),
    );
    assert.equal(byType.Reservations?.length, 3);
    assert.equal(byType.NextToken, undefined);
  });
});

describe("DescribeInstanceTypes", () => {
  it("gives the ENI and IPv4 limits of the lab types", async () => {
    const out = await ec2.send(
      new DescribeInstanceTypesCommand({ InstanceTypes: ["t3.medium", "c5d.large"] }),
    );
    const byName = new Map((out.InstanceTypes ?? []).map((t) => [t.InstanceType, t.NetworkInfo]));
    assert.equal(byName.get("t3.medium")?.MaximumNetworkInterfaces, 3);
    assert.equal(byName.get("t3.medium")?.Ipv4AddressesPerInterface, 6);
    assert.equal(byName.get("c5d.large")?.MaximumNetworkInterfaces, 3);
    assert.equal(byName.get("c5d.large")?.Ipv4AddressesPerInterface, 10);
  });

  it("matches instance-type wildcards and pages at most 100 at a time", async () => {
    const t3 = await ec2.send(
      new DescribeInstanceTypesCommand({ Filters: [{ Name: "instance-type", Values: ["t3.*"] }] }),
    );
    const names = (t3.InstanceTypes ?? []).map((t) => t.InstanceType ?? "");
    assert.ok(names.includes("t3.medium"));
    assert.ok(names.every((n) => n.startsWith("t3.")));
    let count = 0;
    let pages = 0;
    for await (const page of paginateDescribeInstanceTypes({ client: ec2 }, {})) {
      pages++;
      assert.ok((page.InstanceTypes?.length ?? 0) <= 100);
      count += page.InstanceTypes?.length ?? 0;
    }
    assert.equal(count, allInstanceTypes().length);
    assert.equal(pages, Math.ceil(count / 100));
    const bad = await ec2Error(
      ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["t9.huge" as _InstanceType] })),
    );
    assert.equal(bad.name, "InvalidInstanceType");
  });
});

describe("DescribeSubnets", () => {
  it("counts free addresses as AWS does: size - 5 reserved - addresses in use", async () => {
    const out = await ec2.send(new DescribeSubnetsCommand({}));
    const counts = (out.Subnets ?? []).map((s) => [
      s.CidrBlock,
      s.AvailableIpAddressCount,
      s.AvailabilityZone,
    ]);
    // node 1: node IP + 5; node 2: 2 ENIs x 6; node 3: 3 ENIs x 6.
    assert.deepEqual(counts, [
      ["192.168.1.0/24", 256 - 5 - 6, "ap-northeast-2a"],
      ["192.168.2.0/24", 256 - 5 - 12, "ap-northeast-2b"],
      ["192.168.3.0/24", 256 - 5 - 18, "ap-northeast-2c"],
    ]);
    const one = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "availability-zone", Values: ["ap-northeast-2b"] }] }),
    );
    assert.equal(one.Subnets?.[0]?.Tags?.[0]?.Value, "lab-public-2b");
  });
});

describe("the API itself", () => {
  it("requires a SigV4 Authorization header (any key will do)", async () => {
    const res = await fetch(`${server.url}/?Action=DescribeSubnets&Version=2016-11-15`);
    assert.equal(res.status, 401);
    assert.match(await res.text(), /<Code>AuthFailure<\/Code>/);
  });

  it("answers GET queries as well as POST forms", async () => {
    const res = await fetch(
      `${server.url}/?Action=DescribeSubnets&Version=2016-11-15&SubnetId.1=subnet-01aaaaaaaaaaaaaaa`,
      {
        headers: {
          authorization: signed,
        },
      },
    );
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /<DescribeSubnetsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/">/);
    assert.match(text, /<subnetSet><item><subnetId>subnet-01aaaaaaaaaaaaaaa<\/subnetId>/);
  });

  it("refuses changes: only the simulated CNI changes ENIs", async () => {
    const err = await ec2Error(
      ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: "subnet-01aaaaaaaaaaaaaaa" })),
    );
    assert.equal(err.name, "UnauthorizedOperation");
    assert.equal(err.$metadata.httpStatusCode, 403);
  });

  it("throttles with RequestLimitExceeded (HTTP 503) when the faults say so", async () => {
    c.faults.ec2ThrottleRate = 1;
    try {
      const err = await ec2Error(ec2.send(new DescribeSubnetsCommand({})));
      assert.equal(err.name, "RequestLimitExceeded");
      assert.equal(err.$metadata.httpStatusCode, 503);
    } finally {
      c.faults.ec2ThrottleRate = 0;
    }
    const ok = await ec2.send(new DescribeSubnetsCommand({}));
    assert.equal(ok.Subnets?.length, 3);
  });

  it("adds the configured latency to every call", async () => {
    c.faults.ec2LatencyMs = 40;
    try {
      const start = performance.now();
      const out = await ec2.send(new DescribeSubnetsCommand({}));
      assert.ok(performance.now() - start >= 40, "the answer came before the injected latency");
      assert.equal(out.Subnets?.length, 3);
    } finally {
      c.faults.ec2LatencyMs = 0;
    }
  });

  it("names the actions it answers when asked for another", async () => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: signed,
      },
      body: "Action=DescribeVpcs&Version=2016-11-15",
    });
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.match(text, /<Code>InvalidAction<\/Code>/);
    assert.match(text, /DescribeNetworkInterfaces/);
  });

  it("says which parameter is missing, and refuses a header that is not SigV4 for ec2", async () => {
    const noVersion = await fetch(`${server.url}/?Action=DescribeSubnets`, {
      headers: { authorization: signed },
    });
    assert.equal(noVersion.status, 400);
    assert.match(await noVersion.text(), /<Code>MissingParameter<\/Code><Message>[^<]*Version</);
    const basic = await fetch(`${server.url}/?Action=DescribeSubnets&Version=2016-11-15`, {
      headers: { authorization: "Basic eDp4" },
    });
    assert.equal(basic.status, 403);
    assert.match(await basic.text(), /AuthFailure/);
  });
});
