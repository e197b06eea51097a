// Measures the AWS half at the `large` scenario's top size: launch N nodes, settle P pods on them, then
// read every ENI back through the EC2 Query API with the AWS SDK, paginated at 1000 as eni-view does.
// Run: node packages/sim/src/ipamd/measureLarge.ts [nodes] [podsPerNode]
import { EC2Client, paginateDescribeInstances, paginateDescribeNetworkInterfaces } from "@aws-sdk/client-ec2";
import { noFaults } from "../contracts.ts";
import { startEc2Server } from "../ec2/server.ts";
import { subnetAddresses } from "../ec2/subnetAddresses.ts";
import { createPodNetwork } from "./podNetwork.ts";
import { manualClock, seededRandom } from "./testClock.ts";
import { cniDefaults, labState } from "./testCluster.ts";

const nodes = Number(process.argv[2] ?? 5000);
const podsPerNode = Number(process.argv[3] ?? 30);
const types = ["m5.xlarge", "c5.xlarge", "m5.2xlarge", "r5.xlarge"];

// Two /16s per AZ: a VPC with a secondary CIDR, as big clusters have.
const state = labState([
  "10.0.0.0/16",
  "10.1.0.0/16",
  "10.2.0.0/16",
  "10.3.0.0/16",
  "10.4.0.0/16",
  "10.5.0.0/16",
]);
state.vpcCidr = "10.0.0.0/13";
const subnets = [...state.subnets.values()];
const clock = manualClock();
const random = seededRandom(1);
const network = createPodNetwork({
  state,
  clock,
  random,
  faults: { ...noFaults },
  cni: cniDefaults,
  attachDelayMs: 3_000,
  cycleMs: 5_000,
});

const t0 = performance.now();
const names: string[] = [];
for (let i = 0; i < nodes; i++) {
  const subnet = subnets[i % subnets.length];
  if (subnet === undefined) throw new Error("no subnet");
  const instance = network.launchInstance({
    instanceType: types[i % types.length] ?? "m5.xlarge",
    zone: subnet.zone,
    subnetId: subnet.id,
    tags: {},
  });
  network.startNode({
    nodeName: instance.privateDnsName,
    instanceId: instance.id,
    maxPods: 58,
    cordoned: false,
  });
  names.push(instance.privateDnsName);
}
const t1 = performance.now();
let placed = 0;
for (const [n, name] of names.entries()) {
  const pods = Array.from({ length: podsPerNode }, (_, i) => ({ namespace: "default", name: `p-${n}-${i}` }));
  placed += network.settle(name, pods).size;
}
const t2 = performance.now();

const server = await startEc2Server({ state, faults: { ...noFaults }, random });
const ec2 = new EC2Client({
  endpoint: server.url,
  region: state.region,
  credentials: { accessKeyId: "x", secretAccessKey: "x" },
});
let enis = 0;
let ips = 0;
let pages = 0;
const t3 = performance.now();
for await (const page of paginateDescribeNetworkInterfaces(
  { client: ec2, pageSize: 1000 },
  { Filters: [{ Name: "vpc-id", Values: [state.vpcId] }] },
)) {
  pages++;
  for (const e of page.NetworkInterfaces ?? []) {
    enis++;
    ips += (e.PrivateIpAddresses?.length ?? 1) - 1;
  }
}
const t4 = performance.now();
let instances = 0;
for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 1000 }, {})) {
  for (const r of page.Reservations ?? []) instances += r.Instances?.length ?? 0;
}
const t5 = performance.now();
ec2.destroy();
await server.close();

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`nodes launched + IPAMDs started: ${nodes} in ${s(t1 - t0)}`);
console.log(`pods settled with IPs:           ${placed} of ${nodes * podsPerNode} in ${s(t2 - t1)}`);
console.log(
  `DescribeNetworkInterfaces (SDK, 1000/page): ${enis} ENIs, ${ips} secondary IPs, ${pages} pages in ${s(t4 - t3)}`,
);
console.log(`DescribeInstances (SDK, 1000/page): ${instances} instances in ${s(t5 - t4)}`);
console.log(`subnet free IPs: ${subnets.map((x) => subnetAddresses(state, x.id).available()).join(", ")}`);
