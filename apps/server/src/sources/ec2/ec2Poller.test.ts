import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EC2Client } from "@aws-sdk/client-ec2";
import type {
  Ec2State,
  FaultSettings,
  SimEni,
  SimInstance,
  SimSubnet,
} from "../../../../../packages/sim/src/contracts.ts";
import { noFaults } from "../../../../../packages/sim/src/contracts.ts";
import { startEc2Server } from "../../../../../packages/sim/src/ec2/server.ts";
import { createRandom } from "../../../../../packages/sim/src/random.ts";
import { emptyCounters } from "../source.ts";
import { Ec2Poller } from "./ec2Poller.ts";
import { WorkerTransport } from "./workerTransport.ts";

// The simulator's EC2 Query API (the real protocol, parsed by the real SDK) over a VPC holding 250
// t3.medium nodes (primary ENI + one CNI ENI each) in three subnets, one detached CNI ENI, 600
// load-balancer ENIs, a prefix CIDR reservation, and a fourth subnet no node uses with an endpoint's ENI.

const vpcId = "vpc-0sim";
const zones = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];

function buildState(): Ec2State {
  const subnets = new Map<string, SimSubnet>();
  zones.forEach((zone, i) => {
    const id = `subnet-0${i + 1}`;
    subnets.set(id, {
      id,
      vpcId,
      cidr: `192.168.${i * 64}.0/18`,
      zone,
      zoneId: `apne2-az${i + 1}`,
      name: id,
      tags: {},
    });
  });
  subnets.set("subnet-04", {
    id: "subnet-04",
    vpcId,
    cidr: "192.168.192.0/18",
    zone: zones[0]!,
    zoneId: "apne2-az1",
    name: "subnet-04",
    tags: {},
  });
  const enis = new Map<string, SimEni>();
  const instances = new Map<string, SimInstance>();
  const eni = (
    id: string,
    subnetId: string,
    zone: string,
    primaryIp: string,
    more: Partial<SimEni>,
  ): SimEni => ({
    id,
    subnetId,
    vpcId,
    zone,
    description: "",
    status: "in-use",
    interfaceType: "interface",
    macAddress: "02:00:00:00:00:01",
    ownerId: "111122223333",
    requesterManaged: false,
    sourceDestCheck: true,
    groups: [{ id: "sg-1", name: "nodes" }],
    attachment: null,
    primaryIp,
    privateDnsName: `ip-${primaryIp.replaceAll(".", "-")}.ap-northeast-2.compute.internal`,
    secondaryIps: [],
    prefixes: [],
    tags: {},
    ...more,
  });
  const attach = (instanceId: string, deviceIndex: number): SimEni["attachment"] => ({
    id: `eni-attach-${instanceId}-${deviceIndex}`,
    instanceId,
    deviceIndex,
    networkCardIndex: 0,
    status: "attached",
    attachTime: "2026-11-23T09:00:00.000Z",
    deleteOnTermination: true,
  });
  for (let n = 0; n < 250; n++) {
    const zi = n % 3;
    const subnetId = `subnet-0${zi + 1}`;
    const id = `i-${String(n).padStart(17, "0")}`;
    const ip = (k: number) => `192.168.${zi * 64 + Math.floor(n / 10)}.${(n % 10) * 20 + k + 10}`;
    instances.set(id, {
      id,
      instanceType: "t3.medium",
      zone: zones[zi]!,
      state: "running",
      privateIp: ip(1),
      privateDnsName: `ip-${ip(1).replaceAll(".", "-")}.ap-northeast-2.compute.internal`,
      subnetId,
      vpcId,
      imageId: "ami-1",
      launchTime: "2026-11-23T09:00:00.000Z",
      tags: {},
    });
    enis.set(
      `eni-a${id}`,
      eni(`eni-a${id}`, subnetId, zones[zi]!, ip(1), {
        attachment: attach(id, 0),
        secondaryIps: [2, 3, 4, 5, 6].map(ip),
      }),
    );
    enis.set(
      `eni-b${id}`,
      eni(`eni-b${id}`, subnetId, zones[zi]!, ip(7), {
        attachment: attach(id, 1),
        description: `aws-K8S-${id}`,
        secondaryIps: [8, 9, 10, 11, 12].map(ip),
        tags: { "node.k8s.amazonaws.com/instance_id": id },
      }),
    );
  }
  enis.set(
    "eni-detached",
    eni("eni-detached", "subnet-01", zones[0]!, "192.168.63.250", {
      status: "available",
      description: "aws-K8S-i-gone",
      tags: { "node.k8s.amazonaws.com/instance_id": "i-gone" },
    }),
  );
  for (let k = 0; k < 600; k++) {
    const id = `eni-lb${String(k).padStart(4, "0")}`;
    enis.set(
      id,
      eni(id, "subnet-02", zones[1]!, `192.168.${64 + 40 + Math.floor(k / 200)}.${(k % 200) + 10}`, {
        description: "ELB app/web",
        interfaceType: "interface",
        requesterManaged: true,
      }),
    );
  }
  enis.set(
    "eni-endpoint",
    eni("eni-endpoint", "subnet-04", zones[0]!, "192.168.192.10", {
      description: "VPC Endpoint Interface vpce-1",
      interfaceType: "vpc_endpoint",
      requesterId: "727561393803",
      requesterManaged: true,
    }),
  );
  const cidrReservations = new Map([
    [
      "scr-01",
      {
        id: "scr-01",
        subnetId: "subnet-01",
        cidr: "192.168.48.0/20",
        type: "prefix" as const,
        description: "pods",
      },
    ],
  ]);
  return {
    region: "ap-northeast-2",
    accountId: "111122223333",
    vpcId,
    vpcCidr: "192.168.0.0/16",
    subnets,
    enis,
    instances,
    cidrReservations,
  };
}

describe("the EC2 poller against the simulator's EC2 API", () => {
  const state = buildState();
  const faults: FaultSettings = { ...noFaults, forbidden: [] };
  let server: { url: string; close(): Promise<void> };
  let client: EC2Client;
  const instanceIds = [...state.instances.keys()];

  before(async () => {
    server = await startEc2Server({ state, faults, random: createRandom(7) });
    client = new EC2Client({
      region: "ap-northeast-2",
      endpoint: server.url,
      maxAttempts: 1,
      credentials: { accessKeyId: "AKIATEST", secretAccessKey: "test" },
    });
  });
  after(async () => {
    client.destroy();
    await server.close();
  });

  it("describes 250 nodes with 8 filtered, paginated calls: every ENI of their subnets and the reservations", async () => {
    const counters = emptyCounters();
    const poller = new Ec2Poller({ client: () => client, counters });
    poller.keepRaw();
    poller.setTargets(instanceIds);
    await poller.refresh();
    assert.equal(poller.status().error, null);
    assert.equal(poller.status().stale, false);
    // DescribeInstances: 250 ids in filters of at most 200 values -> 2 calls. DescribeSubnets: the VPC's
    // 4 subnets -> 1 call. DescribeNetworkInterfaces: the 1,101 ENIs of the 3 subnets the nodes use, at
    // 1,000 a page -> 2 calls. GetSubnetCidrReservations: one per subnet in use -> 3 calls.
    assert.deepEqual(counters.ec2Calls, {
      DescribeInstances: 2,
      DescribeNetworkInterfaces: 2,
      DescribeSubnets: 1,
      GetSubnetCidrReservations: 3,
    });
    assert.equal(counters.ec2CallsLastRefresh, 8);
    const part = poller.part()!;
    assert.equal(part.instances.length, 250);
    assert.equal(part.enis.length, 1101);
    assert.equal(part.subnets.length, 4);
    assert.ok(!part.enis.some((e) => e.id === "eni-endpoint"), "no ENI of a subnet the cluster does not use");
    assert.deepEqual(part.cidrReservations, [
      { id: "scr-01", subnetId: "subnet-01", cidr: "192.168.48.0/20", type: "prefix", description: "pods" },
    ]);
    const detached = part.enis.find((e) => e.id === "eni-detached")!;
    assert.equal(detached.status, "available");
    assert.equal(detached.instanceId, null);
    const cniEni = part.enis.find((e) => e.id === `eni-b${instanceIds[0]}`)!;
    assert.equal(cniEni.deviceIndex, 1);
    assert.equal(cniEni.secondaryIps.length, 5);
    // The raw documents are what the aws CLI prints: PascalCase, dates as strings.
    const raw = poller.raw()!;
    assert.equal(raw.SubnetIpv4CidrReservations.length, 1);
    // An ENI of a subnet only an ENIConfig names is described once the Kubernetes half names it.
    poller.setPodSubnets(["subnet-04"]);
    await poller.refresh();
    const endpoint = poller.part()!.enis.find((e) => e.id === "eni-endpoint");
    assert.deepEqual([endpoint?.typeName, endpoint?.requesterId], ["vpc_endpoint", "727561393803"]);
    // A Fargate node's address names its subnet too: its pod's ENI is in no node's subnet.
    poller.setPodSubnets([]);
    await poller.refresh();
    assert.ok(!poller.part()!.enis.some((e) => e.id === "eni-endpoint"));
    poller.setFargateAddresses(["192.168.200.7"]);
    await poller.refresh();
    assert.ok(
      poller.part()!.enis.some((e) => e.id === "eni-endpoint"),
      "the subnet 192.168.192.0/18 is read",
    );
    assert.equal(raw.NetworkInterfaces.length, 1101);
    assert.equal(
      typeof (raw.NetworkInterfaces[0]!.Attachment as { AttachTime?: unknown } | undefined)?.AttachTime,
      "string",
    );
  });

  it("asks a big cluster's instances by VPC once the VPC is known, keeping only the nodes' instances", async () => {
    const counters = emptyCounters();
    const poller = new Ec2Poller({ client: () => client, counters, instancesEvery: 1 });
    const targets = instanceIds.slice(0, 201);
    poller.setTargets(targets);
    await poller.refresh();
    // The first refresh does not know the VPC yet: 201 ids in filters of 200 values -> 2 calls.
    assert.equal(counters.ec2Calls.DescribeInstances, 2);
    const first = poller.part()!;
    await poller.refresh();
    // Then by vpc-id: the VPC's 250 instances fit in one page of 1,000.
    assert.equal(counters.ec2Calls.DescribeInstances, 3);
    assert.equal(
      counters.ec2CallsLastRefresh,
      7,
      "1 DescribeInstances, 2 DescribeNetworkInterfaces, 1 DescribeSubnets, 3 GetSubnetCidrReservations",
    );
    assert.equal(poller.status().error, null);
    const second = poller.part()!;
    assert.deepEqual(second.instances.map((i) => i.id).sort(), [...targets].sort());
    assert.deepEqual(
      [...second.instances].sort((a, b) => a.id.localeCompare(b.id)),
      [...first.instances].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it("asks for a node outside the known VPCs by its instance id", async () => {
    const stray = "i-0stray00000000000";
    const counters = emptyCounters();
    const poller = new Ec2Poller({ client: () => client, counters });
    poller.setTargets(instanceIds.slice(0, 201));
    await poller.refresh();
    state.instances.set(stray, { ...state.instances.get(instanceIds[0]!)!, id: stray, vpcId: "vpc-0other" });
    try {
      poller.setTargets([...instanceIds.slice(0, 201), stray]);
      const before = counters.ec2Calls.DescribeInstances ?? 0;
      await poller.refresh();
      // One call by vpc-0sim (201 nodes), one by id for the node it did not list.
      assert.equal((counters.ec2Calls.DescribeInstances ?? 0) - before, 2);
      assert.equal(poller.part()!.instances.length, 202);
      assert.equal(poller.part()!.instances.find((i) => i.id === stray)?.vpcId, "vpc-0other");
    } finally {
      state.instances.delete(stray);
    }
  });

  it("hands over the same objects while EC2 reports the same, and a new one only for what changed", async () => {
    const counters = emptyCounters();
    const poller = new Ec2Poller({ client: () => client, counters });
    poller.setTargets(instanceIds);
    await poller.refresh();
    const first = poller.part()!;
    assert.equal(poller.raw(), null, "no documents are kept unless a capture asks");
    await poller.refresh();
    assert.equal(poller.part(), first, "nothing changed: the same part, so the model input is reused");
    const changedId = `eni-b${instanceIds[5]}`;
    const eni = state.enis.get(changedId)!;
    const saved = eni.secondaryIps;
    eni.secondaryIps = [...saved, "192.168.200.1"];
    try {
      await poller.refresh();
    } finally {
      eni.secondaryIps = saved;
    }
    const third = poller.part()!;
    assert.notEqual(third, first);
    assert.equal(third.enis.length, first.enis.length);
    const byId = new Map(first.enis.map((e) => [e.id, e]));
    for (const e of third.enis) {
      if (e.id === changedId) {
        assert.notEqual(e, byId.get(e.id));
        assert.deepEqual(e.secondaryIps, [...saved, "192.168.200.1"]);
      } else {
        assert.equal(e, byId.get(e.id), `${e.id} is the same object`);
      }
    }
    for (const [k, i] of third.instances.entries()) assert.equal(i, first.instances[k]);
  });

  it("describes instances when the nodes change and every few refreshes, their ENIs at every refresh", async () => {
    const counters = emptyCounters();
    const poller = new Ec2Poller({ client: () => client, counters, instancesEvery: 3 });
    const calls = () => ({
      instances: counters.ec2Calls.DescribeInstances ?? 0,
      enis: counters.ec2Calls.DescribeNetworkInterfaces ?? 0,
    });
    const targets = instanceIds.slice(0, 100);
    poller.setTargets(targets);
    await poller.refresh();
    const first = poller.part()!;
    // 100 nodes in 3 subnets: their 1,101 ENIs in 2 pages, then (with the instances) the nodes' ENIs
    // wherever they are and the VPC's detached ones.
    assert.deepEqual(calls(), { instances: 1, enis: 4 });
    assert.equal(first.instances.length, 100);

    const cniEni = state.enis.get(`eni-b${targets[3]}`)!;
    const instance = state.instances.get(targets[4]!)!;
    const savedIps = cniEni.secondaryIps;
    cniEni.secondaryIps = [...savedIps, "192.168.200.2"];
    instance.state = "stopping";
    try {
      await poller.refresh();
      await poller.refresh();
      // Two refreshes with the same nodes: their subnets' ENIs are read again, their instances are not.
      assert.deepEqual(calls(), { instances: 1, enis: 8 });
      const second = poller.part()!;
      assert.ok(second.enis.find((e) => e.id === cniEni.id)!.secondaryIps.includes("192.168.200.2"));
      assert.equal(second.instances, first.instances, "the instances of the last description, as they were");
      assert.equal(second.instances.find((i) => i.id === instance.id)!.state, "running");

      // The third refresh since they were described asks again and sees the stopping instance; the others
      // are still the same objects, so the model reuses what it built for them.
      await poller.refresh();
      assert.deepEqual(calls(), { instances: 2, enis: 12 });
      const third = poller.part()!;
      for (const [k, i] of third.instances.entries()) {
        if (i.id === instance.id) assert.equal(i.state, "stopping");
        else assert.equal(i, first.instances[k], `${i.id} is the same object`);
      }
    } finally {
      cniEni.secondaryIps = savedIps;
      instance.state = "running";
    }

    // A node joining is described at the next refresh, and so is a node leaving.
    poller.setTargets([...targets, instanceIds[100]!]);
    await poller.refresh();
    assert.equal(calls().instances, 3);
    assert.equal(poller.part()!.instances.length, 101);
    poller.setTargets(targets);
    poller.setTargets([...targets].reverse());
    await poller.refresh();
    assert.equal(calls().instances, 4, "the same nodes in another order are the same nodes");
    assert.equal(poller.part()!.instances.length, 100);
    await poller.refresh();
    assert.equal(calls().instances, 4);
  });

  it("reads the CIDR reservations as seldom as the instances, never in the same refresh after the first", async () => {
    const counters = emptyCounters();
    const poller = new Ec2Poller({ client: () => client, counters, instancesEvery: 2 });
    poller.setTargets(instanceIds);
    const perRefresh: [number, number][] = [];
    for (let i = 0; i < 6; i++) {
      const before = [
        counters.ec2Calls.DescribeInstances ?? 0,
        counters.ec2Calls.GetSubnetCidrReservations ?? 0,
      ];
      await poller.refresh();
      perRefresh.push([
        (counters.ec2Calls.DescribeInstances ?? 0) - before[0]!,
        (counters.ec2Calls.GetSubnetCidrReservations ?? 0) - before[1]!,
      ]);
    }
    // Instances at refreshes 1, 3, 5 (2 calls: 250 ids); reservations (3 subnets) at 1, then 4 and 6.
    assert.deepEqual(perRefresh, [
      [2, 3],
      [0, 0],
      [1, 0],
      [0, 3],
      [1, 0],
      [0, 3],
    ]);
    assert.equal(poller.part()!.cidrReservations.length, 1);
  });

  it("goes stale with RequestLimitExceeded when throttled, keeps the last data, and recovers", async () => {
    const counters = emptyCounters();
    const poller = new Ec2Poller({
      client: () => client,
      counters,
      instancesEvery: 1,
      retries: 2,
      backoffBaseMs: 1,
      backoffMaxMs: 5,
    });
    poller.setTargets(instanceIds);
    await poller.refresh();
    assert.equal(poller.status().stale, false);

    faults.ec2ThrottleRate = 1;
    try {
      await poller.refresh();
    } finally {
      faults.ec2ThrottleRate = 0;
    }
    const throttled = poller.status();
    assert.equal(throttled.stale, true);
    assert.equal(throttled.error, "RequestLimitExceeded");
    assert.ok(throttled.since !== null);
    assert.equal(poller.part()?.enis.length, 1101, "the last good ENIs are kept");
    // One call and two retries with backoff, all throttled, then the refresh gives up.
    assert.equal(counters.ec2CallsLastRefresh, 3);
    assert.equal(counters.ec2Throttles.DescribeInstances, 3);

    await poller.refresh();
    assert.deepEqual(
      { stale: poller.status().stale, error: poller.status().error, since: poller.status().since },
      { stale: false, error: null, since: null },
    );
  });

  it("refreshes early when pods start, folds requests made during a refresh into one, never runs two at once", async () => {
    const counters = emptyCounters();
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    // Five early requests while the first refresh's first call is out: made from inside that call, so
    // they fall during the refresh however slowly a loaded machine runs the timers.
    let poller: Ec2Poller | undefined;
    const counting = {
      send: async (command: never, options: never) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        if (++calls === 1) for (let i = 0; i < 5; i++) poller!.requestEarly();
        try {
          return await client.send(command, options);
        } finally {
          inFlight--;
        }
      },
    } as unknown as EC2Client;
    faults.ec2LatencyMs = 60;
    poller = new Ec2Poller({ client: () => counting, counters, intervalMs: 60_000, minGapMs: 50 });
    poller.start(() => {});
    try {
      poller.setTargets(instanceIds);
      const deadline = Date.now() + 20_000;
      while (counters.ec2Refreshes < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 400));
      // The first refresh, then one early refresh for the five requests; the 60 s interval is far off.
      assert.equal(counters.ec2Refreshes, 2);
      assert.equal(maxInFlight, 1);
    } finally {
      faults.ec2LatencyMs = 0;
      await poller.stop();
    }
  });

  it("asks a small cluster's subnets' ENIs, plus its nodes' and the detached ones only with the instances", async () => {
    const counters = emptyCounters();
    const poller = new Ec2Poller({ client: () => client, counters });
    // Two nodes, both in subnet-01.
    poller.setTargets([instanceIds[0]!, instanceIds[3]!]);
    await poller.refresh();
    // subnet-01's ENIs in one page; 2 instances + 1 VPC id = 3 filter values: one call for their ENIs
    // wherever they are, one for status=available.
    assert.deepEqual(counters.ec2Calls, {
      DescribeInstances: 1,
      DescribeNetworkInterfaces: 3,
      DescribeSubnets: 1,
      GetSubnetCidrReservations: 1,
    });
    const enis = poller.part()!.enis;
    assert.ok(enis.every((e) => e.subnetId === "subnet-01"));
    assert.ok(enis.some((e) => e.id === "eni-detached"));
    await poller.refresh();
    assert.equal(counters.ec2CallsLastRefresh, 2, "then only the subnet's ENIs and the subnets");
  });

  it("asks DescribeInstanceTypes only for a type the built-in table lacks, and only once", async () => {
    const odd = "i-0zz0000000000000";
    state.instances.set(odd, { ...state.instances.get(instanceIds[0]!)!, id: odd, instanceType: "zz9.mega" });
    try {
      const counters = emptyCounters();
      const poller = new Ec2Poller({ client: () => client, counters });
      poller.setTargets([...instanceIds.slice(0, 3), odd]);
      await poller.refresh();
      assert.equal(counters.ec2Calls.DescribeInstanceTypes, 1, "t3.medium is in the table; zz9.mega is not");
      assert.deepEqual(poller.part()?.extraInstanceTypes, []);
      await poller.refresh();
      assert.equal(counters.ec2Calls.DescribeInstanceTypes, 1, "EC2 did not know it either: not asked again");
    } finally {
      state.instances.delete(odd);
    }
  });

  it("says the endpoint cannot be reached", async () => {
    const bad = new EC2Client({
      region: "ap-northeast-2",
      endpoint: "http://127.0.0.1:9",
      maxAttempts: 1,
      credentials: { accessKeyId: "AKIATEST", secretAccessKey: "test" },
    });
    const poller = new Ec2Poller({ client: () => bad, counters: emptyCounters() });
    poller.setTargets(instanceIds.slice(0, 3));
    await poller.refresh();
    bad.destroy();
    assert.equal(poller.status().stale, true);
    assert.match(poller.status().error ?? "", /ECONNREFUSED: cannot reach the EC2 endpoint/);
  });

  it("says there are no AWS credentials when the standard chain finds none", async () => {
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
      AWS_CONFIG_FILE: "/nonexistent/config",
    });
    const noCreds = new EC2Client({ region: "ap-northeast-2", endpoint: server.url, maxAttempts: 1 });
    try {
      const poller = new Ec2Poller({ client: () => noCreds, counters: emptyCounters() });
      poller.setTargets(instanceIds.slice(0, 3));
      await poller.refresh();
      assert.equal(poller.status().stale, true);
      assert.match(poller.status().error ?? "", /^NoCredentials: no AWS credentials found/);
    } finally {
      noCreds.destroy();
      process.env = saved;
    }
  });

  it("reads through a worker thread alike: the same inputs, throttling and an unreachable endpoint", async () => {
    const config = {
      region: "ap-northeast-2",
      credentials: { accessKeyId: "AKIATEST", secretAccessKey: "test" },
      requestTimeoutMs: 5_000,
      connectionTimeoutMs: 1_000,
    };
    const inThread = new Ec2Poller({ client: () => client, counters: emptyCounters() });
    const worker = new WorkerTransport({ ...config, endpoint: server.url });
    const unreachable = new WorkerTransport({ ...config, endpoint: "http://127.0.0.1:9" });
    try {
      const counters = emptyCounters();
      const poller = new Ec2Poller({
        transport: () => worker,
        counters,
        instancesEvery: 1,
        retries: 1,
        backoffBaseMs: 1,
        backoffMaxMs: 5,
      });
      poller.keepRaw();
      poller.setTargets(instanceIds);
      inThread.setTargets(instanceIds);
      await Promise.all([poller.refresh(), inThread.refresh()]);
      assert.equal(poller.status().error, null);
      assert.deepEqual(poller.part(), inThread.part());
      assert.equal(poller.raw()?.NetworkInterfaces.length, 1101, "a capture still gets the documents");

      faults.ec2ThrottleRate = 1;
      try {
        await poller.refresh();
      } finally {
        faults.ec2ThrottleRate = 0;
      }
      assert.equal(poller.status().error, "RequestLimitExceeded");
      assert.equal(counters.ec2Throttles.DescribeInstances, 2, "one call and one retry");
      assert.deepEqual(poller.part(), inThread.part(), "the last good data is kept");
      await poller.refresh();
      assert.equal(poller.status().error, null);

      const lost = new Ec2Poller({ transport: () => unreachable, counters: emptyCounters() });
      lost.setTargets(instanceIds.slice(0, 3));
      await lost.refresh();
      assert.equal(lost.status().stale, true);
      assert.match(lost.status().error ?? "", /ECONNREFUSED: cannot reach the EC2 endpoint/);
    } finally {
      await worker.close();
      await unreachable.close();
    }
  });

  it("reads a big cluster incrementally: changed nodes at once, a sweep within the budget, equal to a full describe", async () => {
    // 250 nodes count as big here; a budget of 24 calls a minute spreads the sweep over several refreshes.
    let t = Date.parse("2026-12-06T10:00:00Z");
    const now = () => t;
    const counters = emptyCounters();
    const poller = new Ec2Poller({
      client: () => client,
      counters,
      now,
      incrementalAboveNodes: 100,
      budgetShare: 0.02,
      minSweepMs: 60_000,
    });
    const budget = () => counters.ec2Budget!();
    let worstMinute = 0;
    const tick = async (seconds = 5) => {
      t += seconds * 1000;
      await poller.refresh();
      worstMinute = Math.max(worstMinute, budget().callsLastMinute);
    };
    const fullDescribe = async () => {
      const full = new Ec2Poller({ client: () => client, counters: emptyCounters() });
      full.setTargets([...state.instances.keys()].filter((id) => targets.includes(id)));
      await full.refresh();
      return full.part()!;
    };
    const sorted = <T extends { id: string }>(xs: readonly T[]) =>
      [...xs].sort((a, b) => a.id.localeCompare(b.id));
    const sameAsFull = async () => {
      const full = await fullDescribe();
      const mine = poller.part()!;
      assert.deepEqual(sorted(mine.enis), sorted(full.enis));
      assert.deepEqual(sorted(mine.instances), sorted(full.instances));
      assert.deepEqual(sorted(mine.subnets), sorted(full.subnets));
      assert.deepEqual(mine.cidrReservations, full.cidrReservations);
    };

    let targets = [...instanceIds];
    poller.setTargets(targets);
    let refreshes = 0;
    while (!poller.answered) {
      await tick();
      if (++refreshes > 50) throw new Error("the first sweep did not end");
    }
    assert.ok(refreshes >= 2, `the first sweep spread over ${refreshes} refreshes`);
    assert.equal(poller.status().stale, false);
    assert.equal(poller.status().sweep?.budgetPerMinute, 24);
    await sameAsFull();

    // Churn: 20 nodes leave (their instances and ENIs go), 20 join, and pods start on 10 others.
    const removed = targets.slice(0, 20);
    const saved = new Map<string, SimEni>();
    const savedInstances = new Map<string, SimInstance>();
    for (const id of removed) {
      savedInstances.set(id, state.instances.get(id)!);
      state.instances.delete(id);
      for (const k of [`eni-a${id}`, `eni-b${id}`]) {
        saved.set(k, state.enis.get(k)!);
        state.enis.delete(k);
      }
    }
    const added: string[] = [];
    for (let k = 0; k < 20; k++) {
      const template = savedInstances.get(removed[k]!)!;
      const id = `i-1${String(k).padStart(16, "0")}`;
      added.push(id);
      state.instances.set(id, { ...template, id });
      for (const prefix of ["eni-a", "eni-b"]) {
        const old = saved.get(`${prefix}${template.id}`)!;
        state.enis.set(`${prefix}${id}`, {
          ...old,
          id: `${prefix}${id}`,
          attachment: {
            ...old.attachment!,
            id: `eni-attach-${id}-${old.attachment!.deviceIndex}`,
            instanceId: id,
          },
        });
      }
    }
    const busy = targets.slice(100, 110);
    const savedIps = busy.map((id) => state.enis.get(`eni-b${id}`)!.secondaryIps);
    busy.forEach((id, k) => {
      state.enis.get(`eni-b${id}`)!.secondaryIps = [...savedIps[k]!, `192.168.250.${k}`];
    });
    try {
      targets = [...targets.slice(20), ...added].sort();
      poller.setTargets(targets);
      poller.markChanged(busy);
      const churnAt = t;
      const byAttachment = () => counters.ec2Calls.DescribeNetworkInterfaces ?? 0;
      const before = byAttachment();
      // The next refresh, once the first sweep's spending has refilled.
      await tick(20);
      // The joined nodes and the busy ones are read at once, by attachment.instance-id: not a whole sweep.
      assert.ok(byAttachment() - before <= 2, "one call for 50 changed instances (and maybe a sweep page)");
      const part = poller.part()!;
      for (const id of busy)
        assert.ok(
          part.enis
            .find((e) => e.id === `eni-b${id}`)!
            .secondaryIps.some((ip) => ip.startsWith("192.168.250.")),
        );
      for (const id of added)
        assert.ok(
          part.instances.some((i) => i.id === id),
          `${id} is known`,
        );
      assert.ok(
        !part.enis.some((e) => removed.includes(e.instanceId ?? "")),
        "the gone nodes' ENIs are gone",
      );
      // Then a sweep that begins after the churn ends, and the picture is what a full describe gives.
      for (let n = 0; n < 200; n++) {
        const ended = poller.status().sweep?.lastSweepEnded;
        if (ended && Date.parse(ended) > churnAt + 60_000) break;
        await tick();
      }
      await sameAsFull();
      assert.ok(worstMinute <= 24, `${worstMinute} calls in a minute, budget 24`);
      assert.ok(budget().incremental);
    } finally {
      for (const id of added) {
        state.instances.delete(id);
        state.enis.delete(`eni-a${id}`);
        state.enis.delete(`eni-b${id}`);
      }
      for (const [id, i] of savedInstances) state.instances.set(id, i);
      for (const [id, e] of saved) state.enis.set(id, e);
      busy.forEach((id, k) => {
        state.enis.get(`eni-b${id}`)!.secondaryIps = savedIps[k]!;
      });
    }
  });

  it("says why there is no client at all (no region)", async () => {
    const poller = new Ec2Poller({
      client: () => new Error("no AWS region: pass --region"),
      counters: emptyCounters(),
    });
    poller.setTargets(["i-1"]);
    await poller.refresh();
    assert.equal(poller.status().error, "no AWS region: pass --region");
  });
});
