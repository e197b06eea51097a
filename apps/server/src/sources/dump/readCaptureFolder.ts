// A capture folder: the JSON outputs of kubectl and the AWS CLI a user can make by hand
// (docs/capture-folder.md), read into the model's ClusterInput.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { ClusterInput, EniInput, EventInput, InstanceInput, InstanceTypeFacts } from "@eni-view/model";
import {
  cidrReservationFromEc2,
  Ec2MappingError,
  eniFromEc2,
  instanceFromEc2,
  instanceTypeFromEc2,
  subnetFromEc2,
} from "../ec2/map.ts";
import {
  clusterNameFromDaemonSet,
  cniConfigFromDaemonSet,
  cniNodeFromKube,
  eniConfigFromKube,
  eventFromKube,
  KubeMappingError,
  nodeFromKube,
  podFromKube,
} from "../kube/map.ts";
import { type ReadLimits, readBoundedFile } from "./boundedRead.ts";
import { CaptureError } from "./captureError.ts";
import { describeDocument, documentShape, ec2Items, isObject, kubeItems } from "./documents.ts";

/** The files of a capture folder and the command that makes each. */
export const CAPTURE_FILES = {
  nodes: { file: "nodes.json", command: "kubectl get nodes -o json", required: true },
  pods: { file: "pods.json", command: "kubectl get pods -A -o json", required: true },
  events: { file: "events.json", command: "kubectl get events -A -o json", required: false },
  awsNode: {
    file: "aws-node.json",
    command: "kubectl get ds aws-node -n kube-system -o json",
    required: false,
  },
  enis: {
    file: "network-interfaces.json",
    command: "aws ec2 describe-network-interfaces --output json",
    required: true,
  },
  instances: { file: "instances.json", command: "aws ec2 describe-instances --output json", required: true },
  subnets: { file: "subnets.json", command: "aws ec2 describe-subnets --output json", required: true },
  instanceTypes: {
    file: "instance-types.json",
    command: "aws ec2 describe-instance-types --instance-types TYPE... --output json",
    required: false,
  },
  eniConfigs: { file: "eniconfigs.json", command: "kubectl get eniconfigs -o json", required: false },
  cniNodes: { file: "cninodes.json", command: "kubectl get cninodes -o json", required: false },
  cidrReservations: {
    file: "subnet-cidr-reservations.json",
    command:
      "aws ec2 get-subnet-cidr-reservations --subnet-id SUBNET --output json (the lists of each subnet joined)",
    required: false,
  },
} as const;

type CaptureFile = (typeof CAPTURE_FILES)[keyof typeof CAPTURE_FILES];

// What a file that is not JSON looks like, told without quoting it: the file may be anything a path
// can name (`/etc/shadow` included), and an error message ends up in terminals and logs.
function notJson(file: string, text: string): CaptureError {
  const said = (form: string, hint: string) =>
    new CaptureError("not-json", file, `${file} is not JSON: ${hint}`, { file, form });
  if (
    /^\s*(apiVersion|kind|items|metadata|NetworkInterfaces|Reservations|Subnets|InstanceTypes):/.test(text)
  ) {
    return said("yaml", "it looks like YAML (use -o json / --output json)");
  }
  // kubectl and aws print warnings on stderr; `&>` or `2>&1` puts them into the file before the JSON.
  if (/^\s*(Warning:|W\d{4} |E\d{4} |error:|An error occurred)/i.test(text)) {
    return said(
      "warning",
      "it starts with a warning or error line (only the command's standard output, with -o json / --output json, belongs in the file)",
    );
  }
  return said(
    "start",
    "it does not begin with { or [ (only the command's standard output, with -o json / --output json, belongs in the file)",
  );
}

/** Line and column of a character offset, 1-based, as editors count them. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** At most 24 characters of a JSON text around `offset`, escaped as a JSON string: control characters
 * and quotes cannot reach a terminal raw. */
function excerpt(text: string, offset: number): string {
  return JSON.stringify(text.slice(Math.max(0, offset - 12), offset + 12));
}

function parseJson(text: string, file: string): unknown {
  if (text.trim() === "") throw new CaptureError("empty-file", file, `${file} is empty`, { file });
  const start = text.trimStart();
  if (!start.startsWith("{") && !start.startsWith("[")) {
    throw notJson(file, text);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message);
    const offset = position === null ? null : Number(position[1]);
    if (/end of JSON input|Unterminated string/i.test(message) || (offset ?? 0) >= text.trimEnd().length) {
      throw new CaptureError(
        "truncated-json",
        file,
        `${file} is truncated: the JSON ends before it is complete (was the command interrupted?)`,
        { file },
      );
    }
    // V8's own message quotes the text around the fault unescaped; only the position is kept from it.
    if (offset === null)
      throw new CaptureError("not-json", file, `${file} is not valid JSON`, { file, form: "invalid" });
    const { line, column } = lineAndColumn(text, offset);
    const near = excerpt(text, offset);
    throw new CaptureError(
      "not-json",
      file,
      `${file} is not valid JSON at line ${line}, column ${column} (near ${near})`,
      { file, form: "at", line: String(line), column: String(column), near },
    );
  }
}

/** UTF-8, with or without a byte-order mark; UTF-16 as Windows PowerShell 5's `>` writes it. */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString("utf16le");
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2)).swap16().toString("utf16le");
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function readDocument(
  dir: string,
  spec: CaptureFile,
  limits: ReadLimits,
): Promise<unknown | undefined> {
  const bytes = await readBoundedFile(join(dir, spec.file), spec.file, limits);
  if (bytes === undefined) {
    if (!spec.required) return undefined;
    throw new CaptureError(
      "missing-file",
      spec.file,
      `${spec.file} is missing from ${dir} (make it with: ${spec.command} > ${spec.file})`,
      { file: spec.file, dir, command: spec.command },
    );
  }
  return parseJson(decodeText(bytes), spec.file);
}

/** What a file should have held: a list of one kind, an EC2 output with one key, or the aws-node DaemonSet. */
type Expected = { form: "kinds" | "key"; value: string } | { form: "aws-node"; value: "" };

const expectedWords = (e: Expected): string =>
  e.form === "kinds"
    ? `a list of ${e.value} objects`
    : e.form === "key"
      ? `an object with ${e.value}`
      : "the aws-node DaemonSet";

function wrongDocument(spec: CaptureFile, expected: Expected, doc: unknown): CaptureError {
  const holds = documentShape(doc);
  return new CaptureError(
    "wrong-document",
    spec.file,
    `${spec.file} should hold ${expectedWords(expected)} (${spec.command}) but holds ${describeDocument(doc)}`,
    {
      file: spec.file,
      command: spec.command,
      expected: expected.form,
      expectedValue: expected.value,
      holds: holds.form,
      holdsValue: holds.value,
    },
  );
}

/** Maps every item, turning a mapping error into one that names the file and the item. */
function mapItems<T>(spec: CaptureFile, items: unknown[], map: (raw: unknown, path: string) => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      out.push(map(items[i], `item ${i}`));
    } catch (err) {
      if (err instanceof KubeMappingError || err instanceof Ec2MappingError) {
        const item = items[i];
        const meta = isObject(item) && isObject(item.metadata) ? item.metadata : undefined;
        const name = typeof meta?.name === "string" ? ` (${meta.name})` : "";
        throw new CaptureError(
          "bad-object",
          spec.file,
          `${spec.file}: ${err.path}${name}: ${err.message.slice(err.path.length + 2)}`,
          { file: spec.file, path: err.path, name, reason: err.reason.form, ...err.reason.values },
        );
      }
      throw err;
    }
  }
  return out;
}

function kubeList(spec: CaptureFile, doc: unknown, kind: string): unknown[] {
  const items = kubeItems(doc, kind);
  if (items === null) throw wrongDocument(spec, { form: "kinds", value: kind }, doc);
  return items;
}

function ec2List(spec: CaptureFile, doc: unknown, key: string): unknown[] {
  const items = ec2Items(doc, key);
  if (items === null) throw wrongDocument(spec, { form: "key", value: key }, doc);
  // The AWS CLI pages on its own; a NextToken in the output means --max-items cut it short.
  if (isObject(doc) && typeof doc.NextToken === "string") {
    throw new CaptureError(
      "incomplete",
      spec.file,
      `${spec.file} holds only the first page (it ends with a NextToken): run ${spec.command} again without --max-items`,
      { file: spec.file, command: spec.command },
    );
  }
  return items;
}

/** "ap-northeast-2a" -> "ap-northeast-2"; also local zones ("us-west-2-lax-1a" -> "us-west-2"). */
export function regionOfZone(zone: string | null): string | null {
  return zone === null ? null : (/^([a-z]{2}(?:-gov)?-[a-z]+-\d+)/.exec(zone)?.[1] ?? null);
}

/** Reads a capture folder, each file within `limits`. Throws CaptureError naming the file and the problem. */
export async function readCaptureFolder(dir: string, limits: ReadLimits = {}): Promise<ClusterInput> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error("not a folder");
  } catch {
    throw new CaptureError("not-a-folder", dir, `capture folder ${dir} does not exist or is not a folder`, {
      dir,
    });
  }
  const f = CAPTURE_FILES;
  const [
    nodesDoc,
    podsDoc,
    eventsDoc,
    awsNodeDoc,
    enisDoc,
    instancesDoc,
    subnetsDoc,
    typesDoc,
    eniConfigsDoc,
    cniNodesDoc,
    reservationsDoc,
  ] = await Promise.all([
    readDocument(dir, f.nodes, limits),
    readDocument(dir, f.pods, limits),
    readDocument(dir, f.events, limits),
    readDocument(dir, f.awsNode, limits),
    readDocument(dir, f.enis, limits),
    readDocument(dir, f.instances, limits),
    readDocument(dir, f.subnets, limits),
    readDocument(dir, f.instanceTypes, limits),
    readDocument(dir, f.eniConfigs, limits),
    readDocument(dir, f.cniNodes, limits),
    readDocument(dir, f.cidrReservations, limits),
  ]);

  if (awsNodeDoc !== undefined && kubeItems(awsNodeDoc, "DaemonSet")?.length !== 1) {
    throw wrongDocument(f.awsNode, { form: "aws-node", value: "" }, awsNodeDoc);
  }
  const cni = mapItems(
    f.awsNode,
    awsNodeDoc === undefined ? [null] : [awsNodeDoc],
    cniConfigFromDaemonSet,
  )[0]!;
  // The node annotation naming the ENIConfig: ENI_CONFIG_ANNOTATION_DEF when aws-node sets it.
  const nodes = mapItems(f.nodes, kubeList(f.nodes, nodesDoc, "Node"), (raw, path) =>
    nodeFromKube(raw, path, cni.eniConfigAnnotationDef),
  );
  const pods = mapItems(f.pods, kubeList(f.pods, podsDoc, "Pod"), podFromKube);
  const events: EventInput[] = [];
  if (eventsDoc !== undefined) {
    for (const e of mapItems(f.events, kubeList(f.events, eventsDoc, "Event"), eventFromKube)) {
      if (e !== null) events.push(e);
    }
  }
  const enis: EniInput[] = mapItems(f.enis, ec2List(f.enis, enisDoc, "NetworkInterfaces"), eniFromEc2);
  const instances: InstanceInput[] = [];
  const reservations = ec2List(f.instances, instancesDoc, "Reservations");
  for (let r = 0; r < reservations.length; r++) {
    const reservation = reservations[r];
    const list = isObject(reservation) ? reservation.Instances : undefined;
    if (!Array.isArray(list)) {
      throw new CaptureError(
        "bad-object",
        f.instances.file,
        `${f.instances.file}: Reservations[${r}] has no Instances`,
        { file: f.instances.file, path: `Reservations[${r}].Instances`, name: "", reason: "missing" },
      );
    }
    instances.push(...mapItems(f.instances, list, instanceFromEc2));
  }
  const subnets = mapItems(f.subnets, ec2List(f.subnets, subnetsDoc, "Subnets"), subnetFromEc2);
  const extraInstanceTypes: InstanceTypeFacts[] =
    typesDoc === undefined
      ? []
      : mapItems(f.instanceTypes, ec2List(f.instanceTypes, typesDoc, "InstanceTypes"), instanceTypeFromEc2);

  const crds: Pick<ClusterInput, "eniConfigs" | "cniNodes"> = {};
  if (eniConfigsDoc !== undefined) {
    crds.eniConfigs = mapItems(
      f.eniConfigs,
      kubeList(f.eniConfigs, eniConfigsDoc, "ENIConfig"),
      eniConfigFromKube,
    );
  }
  if (cniNodesDoc !== undefined) {
    crds.cniNodes = mapItems(f.cniNodes, kubeList(f.cniNodes, cniNodesDoc, "CNINode"), cniNodeFromKube);
  }

  return {
    clusterName: awsNodeDoc === undefined ? null : clusterNameFromDaemonSet(awsNodeDoc),
    region: regionOfZone(nodes.find((n) => n.zone !== null)?.zone ?? instances[0]?.zone ?? null),
    nodes,
    pods,
    events,
    enis,
    instances,
    subnets,
    cni,
    extraInstanceTypes,
    ...crds,
    capturedAt: await capturedAt(dir),
    ...(reservationsDoc === undefined
      ? {}
      : {
          cidrReservations: mapItems(
            f.cidrReservations,
            ec2List(f.cidrReservations, reservationsDoc, "SubnetIpv4CidrReservations"),
            cidrReservationFromEc2,
          ),
        }),
  };
}

/** When the capture was taken: the time kubectl wrote pods.json (a capture is a file set, with no clock of
 * its own); null when the file system does not say. */
async function capturedAt(dir: string): Promise<string | null> {
  try {
    const { mtime } = await stat(join(dir, CAPTURE_FILES.pods.file));
    return Number.isNaN(mtime.getTime()) ? null : mtime.toISOString();
  } catch {
    return null;
  }
}
