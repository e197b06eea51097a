// A capture folder whose nodes run instance types no EC2 offers, as a hand-edited or corrupted capture
// can: the lab-2-replicas fixture (3 t3.medium nodes) with the first node's type claiming 100,000 ENIs of
// 100,000 addresses in instance-types.json (DescribeInstanceTypes' shape), the second a type named
// nowhere (not in the capture, not in eni-view's table), the third a type whose name is markup with a
// bidi override. The instance and the node both carry each type, as EC2 and the kubelet label would.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const fixture = new URL("../../apps/server/src/fixtures/lab-2-replicas/", import.meta.url).pathname;

export const absurd = {
  huge: "x99.absurd",
  unknown: "zz9.nowhere",
  hostile: "<img src=x onerror=alert(1)>\u202e.large",
  /** What the huge type claims. */
  claimedEnis: 100_000,
  claimedIps: 100_000,
};

type Json = Record<string, unknown>;

export function writeAbsurdTypesCapture(dir: string): { nodes: string[] } {
  mkdirSync(dir, { recursive: true });
  const types = [absurd.huge, absurd.unknown, absurd.hostile];
  const nodes: string[] = [];
  for (const file of readdirSync(fixture)) {
    const doc = JSON.parse(readFileSync(join(fixture, file), "utf8")) as Json;
    if (file === "nodes.json")
      (doc.items as Json[]).forEach((item, i) => {
        const meta = item.metadata as Json & { name: string; labels: Record<string, string> };
        meta.labels["node.kubernetes.io/instance-type"] = types[i]!;
        nodes.push(meta.name);
      });
    if (file === "instances.json") {
      let i = 0;
      for (const r of doc.Reservations as Json[])
        for (const inst of r.Instances as Json[]) inst.InstanceType = types[i++];
    }
    writeFileSync(join(dir, file), JSON.stringify(doc, null, 1));
  }
  writeFileSync(
    join(dir, "instance-types.json"),
    JSON.stringify({
      InstanceTypes: [
        {
          InstanceType: absurd.huge,
          NetworkInfo: {
            MaximumNetworkInterfaces: absurd.claimedEnis,
            Ipv4AddressesPerInterface: absurd.claimedIps,
            Ipv6AddressesPerInterface: absurd.claimedIps,
          },
          VCpuInfo: { DefaultVCpus: 2 },
          MemoryInfo: { SizeInMiB: 4096 },
        },
      ],
    }),
  );
  return { nodes };
}
