// Recognising the documents of a capture folder: Kubernetes lists (kubectl get -o json) and EC2 describe
// outputs (aws ec2 describe-* --output json), so that a file holding the wrong one is named as such.

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const ec2Keys: Record<string, string> = {
  NetworkInterfaces: "`aws ec2 describe-network-interfaces` output",
  Reservations: "`aws ec2 describe-instances` output",
  Subnets: "`aws ec2 describe-subnets` output",
  InstanceTypes: "`aws ec2 describe-instance-types` output",
  SubnetIpv4CidrReservations: "`aws ec2 get-subnet-cidr-reservations` output",
};

/** What a parsed document looks like, in words: "a list of Pod objects", "`aws ec2 describe-subnets` output". */
export function describeDocument(doc: unknown): string {
  if (Array.isArray(doc)) return "a bare JSON array";
  if (!isObject(doc)) return `a JSON ${doc === null ? "null" : typeof doc}`;
  for (const [key, what] of Object.entries(ec2Keys)) if (Array.isArray(doc[key])) return what;
  if (Array.isArray(doc.items)) {
    const kinds = new Set<string>();
    for (const item of doc.items) if (isObject(item) && typeof item.kind === "string") kinds.add(item.kind);
    if (kinds.size > 0) return `a list of ${[...kinds].join("/")} objects`;
    if (typeof doc.kind === "string" && doc.kind.endsWith("List") && doc.kind !== "List") {
      return `a ${doc.kind}`;
    }
    return doc.items.length === 0 ? "an empty Kubernetes list" : "a Kubernetes list";
  }
  if (typeof doc.kind === "string") return `a single ${doc.kind} object`;
  const keys = Object.keys(doc).slice(0, 4);
  return keys.length === 0 ? "an empty JSON object" : `a JSON object with keys ${keys.join(", ")}`;
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
