// Measures the large scenario: start time, a full paginated DescribeNetworkInterfaces (SDK v3, 1000 per
// page) and a full pod list (client-node, 500 per page, as kubectl pages). Usage:
//   node packages/sim/scripts/measureLarge.ts [NODES] [PODS_PER_NODE]

import { request } from "node:https";
import { EC2Client, paginateDescribeNetworkInterfaces } from "@aws-sdk/client-ec2";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { startSim } from "../src/index.ts";

const nodes = Number(process.argv[2] ?? 5000);
const podsPerNode = Number(process.argv[3] ?? 30);
const ms = (t: number) => `${Math.round(performance.now() - t)} ms`;

let t = performance.now();
const sim = await startSim({ scenario: "large", nodes, podsPerNode });
console.log(`start (${nodes} nodes, ${sim.store.count("pods")} pods): ${ms(t)}`);

const ec2 = new EC2Client({
  endpoint: sim.ec2Url,
  region: sim.region,
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "sim" },
});
t = performance.now();
let enis = 0;
let ips = 0;
let pages = 0;
for await (const page of paginateDescribeNetworkInterfaces({ client: ec2, pageSize: 1000 }, {})) {
  pages++;
  for (const eni of page.NetworkInterfaces ?? []) {
    enis++;
    ips += (eni.PrivateIpAddresses ?? []).length;
  }
}
console.log(`DescribeNetworkInterfaces: ${enis} ENIs, ${ips} IPs in ${pages} pages: ${ms(t)}`);
ec2.destroy();

const kc = new KubeConfig();
kc.loadFromFile(sim.kubeconfigPath);
const core = kc.makeApiClient(CoreV1Api);
t = performance.now();
let pods = 0;
let podPages = 0;
let token: string | undefined;
do {
  const page = await core.listPodForAllNamespaces({ limit: 500, ...(token ? { _continue: token } : {}) });
  pods += page.items.length;
  podPages++;
  token = page.metadata?._continue;
} while (token);
console.log(`pod list (client-node): ${pods} pods in ${podPages} pages: ${ms(t)}`);

// The same pages read as plain JSON, to tell the server's time from client-node's decoding.
const cluster = kc.getCurrentCluster();
const ca = Buffer.from(cluster?.caData ?? "", "base64");
const auth = `Bearer ${kc.getCurrentUser()?.token}`;
const getJson = (path: string) =>
  new Promise<{ items: unknown[]; metadata: { continue?: string } }>((resolve, reject) => {
    request(new URL(path, cluster?.server), { ca, headers: { authorization: auth } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
t = performance.now();
pods = 0;
podPages = 0;
token = undefined;
do {
  const page = await getJson(
    `/api/v1/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ""}`,
  );
  pods += page.items.length;
  podPages++;
  token = page.metadata.continue;
} while (token);
console.log(`pod list (plain HTTPS + JSON.parse): ${pods} pods in ${podPages} pages: ${ms(t)}`);
console.log(`memory: rss ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MiB`);
await sim.stop();
