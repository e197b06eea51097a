// Writes a capture folder in exactly the format `report --dump` reads (sources/dump): the Kubernetes
// lists as `kubectl get -o json` prints them, the EC2 documents as `aws ec2 describe-* --output json`
// prints them. The objects are the slimmed ones the live source keeps, so a capture holds no pod env,
// annotations or secrets either.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CAPTURE_FILES } from "../sources/dump/index.ts";
import type { Ec2Raw } from "../sources/ec2/ec2Poller.ts";
import type { KubeRaw } from "../sources/kube/kubeWatcher.ts";

type Obj = Record<string, unknown>;

function kubectlList(items: Obj[]): Obj {
  return { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } };
}

export interface WrittenFile {
  file: string;
  /** Objects in it: list items, ENIs, reservations, subnets ...; 1 for aws-node's DaemonSet. */
  items: number;
  bytes: number;
}

/** How many objects a capture document holds: its one list's length. */
function itemCount(doc: unknown): number {
  const lists = Object.values(doc as Obj).filter(Array.isArray);
  return lists.length > 0 ? lists.reduce((n, l) => n + l.length, 0) : 1;
}

/** Writes the folder (created if missing); returns the files written. Items keep the source's order,
 * so the report read back from the folder lists them exactly as the live view does. */
export async function writeCapture(dir: string, kube: KubeRaw, ec2: Ec2Raw): Promise<WrittenFile[]> {
  await mkdir(dir, { recursive: true });
  const f = CAPTURE_FILES;
  const files: [string, unknown][] = [
    [f.nodes.file, kubectlList(kube.nodes)],
    [f.pods.file, kubectlList(kube.pods)],
    [f.events.file, kubectlList(kube.events)],
    [f.enis.file, { NetworkInterfaces: ec2.NetworkInterfaces }],
    [f.instances.file, { Reservations: ec2.Reservations }],
    [f.subnets.file, { Subnets: ec2.Subnets }],
  ];
  if (kube.awsNode) files.push([f.awsNode.file, kube.awsNode]);
  // Only when the CRD is installed: a missing file reads as "not installed", an empty list as "none".
  if (kube.eniConfigs) files.push([f.eniConfigs.file, kubectlList(kube.eniConfigs)]);
  if (kube.cniNodes) files.push([f.cniNodes.file, kubectlList(kube.cniNodes)]);
  if (ec2.InstanceTypes.length > 0) files.push([f.instanceTypes.file, { InstanceTypes: ec2.InstanceTypes }]);
  // Always written: an empty list says "no reservations", a missing file "not read" (an older capture).
  files.push([
    f.cidrReservations.file,
    { SubnetIpv4CidrReservations: ec2.SubnetIpv4CidrReservations, SubnetIpv6CidrReservations: [] },
  ]);
  const written: WrittenFile[] = [];
  for (const [file, doc] of files) {
    const text = `${JSON.stringify(doc, null, 4)}\n`;
    await writeFile(join(dir, file), text);
    written.push({ file, items: itemCount(doc), bytes: Buffer.byteLength(text) });
  }
  return written;
}
