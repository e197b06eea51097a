// Recognising the documents of a capture folder: Kubernetes lists (kubectl get -o json) and EC2 describe
// outputs (aws ec2 describe-* --output json), so that a file holding the wrong one is named as such.

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The EC2 command whose output holds each top-level key. */
const ec2Keys: Record<string, string> = {
  NetworkInterfaces: "aws ec2 describe-network-interfaces",
  Reservations: "aws ec2 describe-instances",
  Subnets: "aws ec2 describe-subnets",
  InstanceTypes: "aws ec2 describe-instance-types",
  SubnetIpv4CidrReservations: "aws ec2 get-subnet-cidr-reservations",
};

/** What a parsed document looks like as a form of sentence and the one name or list it takes, so a CLI in
 * another language can say it (the CLI catalogue's captureDocument.holds.*). */
export interface DocumentShape {
  form:
    | "array"
    | "scalar"
    | "ec2"
    | "kinds"
    | "kind-list"
    | "empty-list"
    | "list"
    | "single"
    | "empty-object"
    | "keys";
  value: string;
}

export function documentShape(doc: unknown): DocumentShape {
  if (Array.isArray(doc)) return { form: "array", value: "" };
  if (!isObject(doc)) return { form: "scalar", value: doc === null ? "null" : typeof doc };
  for (const [key, command] of Object.entries(ec2Keys))
    if (Array.isArray(doc[key])) return { form: "ec2", value: command };
  if (Array.isArray(doc.items)) {
    const kinds = new Set<string>();
    for (const item of doc.items) if (isObject(item) && typeof item.kind === "string") kinds.add(item.kind);
    if (kinds.size > 0) return { form: "kinds", value: [...kinds].join("/") };
    if (typeof doc.kind === "string" && doc.kind.endsWith("List") && doc.kind !== "List") {
      return { form: "kind-list", value: doc.kind };
    }
    return { form: doc.items.length === 0 ? "empty-list" : "list", value: "" };
  }
  if (typeof doc.kind === "string") return { form: "single", value: doc.kind };
  const keys = Object.keys(doc).slice(0, 4);
  return keys.length === 0 ? { form: "empty-object", value: "" } : { form: "keys", value: keys.join(", ") };
}

const shapeWords: Record<DocumentShape["form"], (value: string) => string> = {
  array: () => "a bare JSON array",
  scalar: (v) => `a JSON ${v}`,
  ec2: (v) => `\`${v}\` output`,
  kinds: (v) => `a list of ${v} objects`,
  "kind-list": (v) => `a ${v}`,
  "empty-list": () => "an empty Kubernetes list",
  list: () => "a Kubernetes list",
  single: (v) => `a single ${v} object`,
  "empty-object": () => "an empty JSON object",
  keys: (v) => `a JSON object with keys ${v}`,
};

/** What a parsed document looks like, in words: "a list of Pod objects", "`aws ec2 describe-subnets` output". */
export function describeDocument(doc: unknown): string {
  const { form, value } = documentShape(doc);
  return shapeWords[form](value);
}

/**
 * The items of a Kubernetes list of `kind`, or null when the document is something else.
 * A single object of that kind (`kubectl get node NAME -o json`) counts as a list of one.
 */
export function kubeItems(doc: unknown, kind: string): unknown[] | null {
  if (!isObject(doc)) return null;
  if (doc.kind === kind) return [doc];
  if (!Array.isArray(doc.items)) return null;
  if (
    typeof doc.kind === "string" &&
    doc.kind.endsWith("List") &&
    doc.kind !== "List" &&
    doc.kind !== `${kind}List`
  ) {
    return null;
  }
  for (const item of doc.items) {
    if (isObject(item) && typeof item.kind === "string" && item.kind !== kind) return null;
  }
  return doc.items;
}

/** The array under `key` of an EC2 describe output, or null when the document is something else. */
export function ec2Items(doc: unknown, key: string): unknown[] | null {
  if (!isObject(doc) || !Array.isArray(doc[key])) return null;
  return doc[key] as unknown[];
}
