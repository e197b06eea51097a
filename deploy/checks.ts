// Helpers for deploy.test.ts: render the Kustomize manifests with the real kubectl, read a Dockerfile
// into stages, and find the EC2 actions the server's source calls. Kept apart from the test so each
// can be exercised on small hostile inputs as well as on the real files.
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import * as k8sModels from "@kubernetes/client-node";
import { loadAll } from "js-yaml";

const execFileAsync = promisify(execFile);

/** The fields of a Kubernetes object the checks read; everything else stays `unknown`. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** `kubectl kustomize DIR`, parsed into objects. Throws with kubectl's stderr when it fails. */
export async function kustomize(dir: string): Promise<K8sObject[]> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync("kubectl", ["kustomize", dir], { maxBuffer: 16 * 1024 * 1024 }));
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === "ENOENT") throw new Error("kubectl is not on PATH; the manifest tests render with it");
    // kubectl up to 1.20 (Debian bookworm's kubernetes-client) embeds kustomize v2, which cannot
    // take a directory under `resources:`; every kubectl that can talk to a supported EKS version can.
    const hint = /must be a file/.test(e.stderr ?? "")
      ? " (this kubectl's built-in kustomize is too old: use kubectl 1.21 or newer)"
      : "";
    throw new Error(`kubectl kustomize ${dir} failed${hint}: ${e.stderr || e.message}`);
  }
  return loadAll(stdout).filter((d): d is K8sObject => d !== null && typeof d === "object");
}

export function find(objects: K8sObject[], kind: string, name: string, namespace?: string): K8sObject {
  const hit = objects.find(
    (o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace,
  );
  if (!hit)
    throw new Error(`no ${kind} ${namespace ? `${namespace}/` : ""}${name} in the rendered manifests`);
  return hit;
}

// ---------------------------------------------------------------------------------------------------
// Schema: the field names and value types of the Kubernetes API, from client-node's generated models.
// An API server drops unknown fields (with a warning at most), so a misspelled securityContext field
// would silently leave a protection off; `kubectl apply --validate=strict` needs a cluster to say so.

interface Attribute {
  baseName: string;
  type: string;
}
const models = k8sModels as unknown as Record<
  string,
  { getAttributeTypeMap?: () => Attribute[] } | undefined
>;

/** Problems with a value against a client-node type name ("V1Deployment", "Array<string>", ...). */
export function schemaErrors(value: unknown, type: string, path: string): string[] {
  const array = /^Array<(.+)>$/.exec(type);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  if (array) {
    if (!Array.isArray(value)) return [`${path}: expected a list`];
    return value.flatMap((v, i) => schemaErrors(v, array[1]!, `${path}[${i}]`));
  }
  if (map) {
    if (!isObject) return [`${path}: expected a map`];
    return Object.entries(value).flatMap(([k, v]) => schemaErrors(v, map[1]!, `${path}.${k}`));
  }
  switch (type) {
    case "string":
    case "Date":
      return typeof value === "string" ? [] : [`${path}: expected a string, got ${JSON.stringify(value)}`];
    case "number":
      return typeof value === "number" ? [] : [`${path}: expected a number, got ${JSON.stringify(value)}`];
    case "boolean":
      return typeof value === "boolean"
        ? []
        : [`${path}: expected true or false, got ${JSON.stringify(value)}`];
    case "IntOrString":
      return typeof value === "number" || typeof value === "string"
        ? []
        : [`${path}: expected a number or name`];
    case "any":
    case "object":
      return [];
  }
  const attributes = models[type]?.getAttributeTypeMap?.();
  if (!attributes) return [`${path}: no schema for type ${type}`];
  if (!isObject) return [`${path}: expected an object of type ${type}`];
  const known = new Map(attributes.map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([k, v]) => {
    const t = known.get(k);
    return t === undefined ? [`${path}.${k}: not a field of ${type}`] : schemaErrors(v, t, `${path}.${k}`);
  });
}

/** Schema problems of one rendered object, typed by its apiVersion and kind (V1Deployment, ...). */
export function objectSchemaErrors(o: K8sObject): string[] {
  const version = o.apiVersion.split("/").at(-1)!;
  const type = `${version[0]!.toUpperCase()}${version.slice(1)}${o.kind}`;
  return schemaErrors(o, type, `${o.kind} ${o.metadata.name}`);
}

// ---------------------------------------------------------------------------------------------------
// RBAC

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

/** One line per (role, API group, resource): what a reviewer reads off `kubectl describe role`. */
export interface Grant {
  role: string; // "ClusterRole/name" or "Role/namespace/name"
  group: string;
  resource: string;
  resourceNames: string[];
  verbs: string[];
}

export function grants(objects: K8sObject[]): Grant[] {
  const out: Grant[] = [];
  for (const o of objects) {
    if (o.kind !== "ClusterRole" && o.kind !== "Role") continue;
    const role =
      o.kind === "Role"
        ? `Role/${o.metadata.namespace}/${o.metadata.name}`
        : `ClusterRole/${o.metadata.name}`;
    for (const rule of (o.rules as PolicyRule[] | undefined) ?? []) {
      for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) {
          out.push({
            role,
            group,
            resource,
            resourceNames: [...(rule.resourceNames ?? [])].sort(),
            verbs: [...rule.verbs].sort(),
          });
        }
      }
    }
  }
  return out.sort((a, b) =>
    `${a.role} ${a.group} ${a.resource}`.localeCompare(`${b.role} ${b.group} ${b.resource}`),
  );
}

const READ_ONLY_VERBS = new Set(["get", "list", "watch"]);
// Resources that hold or mint credentials, or run code: never needed to draw the view.
const SENSITIVE_RESOURCES = new Set(["secrets", "configmaps", "serviceaccounts", "tokenreviews"]);

/** Every way the roles exceed "read named resources": one line per problem, empty when none. */
export function rbacViolations(objects: K8sObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    if (o.kind !== "ClusterRole" && o.kind !== "Role") continue;
    const name = `${o.kind} ${o.metadata.name}`;
    if (o.aggregationRule !== undefined) out.push(`${name}: aggregationRule pulls in other roles' rules`);
    const labels = Object.keys(o.metadata.labels ?? {});
    for (const l of labels.filter((l) => l.startsWith("rbac.authorization.k8s.io/aggregate-to-"))) {
      out.push(`${name}: label ${l} adds these rules to a built-in role`);
    }
    for (const rule of (o.rules as PolicyRule[] | undefined) ?? []) {
      if (rule.nonResourceURLs) out.push(`${name}: nonResourceURLs ${rule.nonResourceURLs.join(",")}`);
      for (const [field, values] of Object.entries(rule)) {
        if (Array.isArray(values) && values.includes("*")) out.push(`${name}: "*" in ${field}`);
      }
      for (const verb of rule.verbs) {
        if (verb !== "*" && !READ_ONLY_VERBS.has(verb)) out.push(`${name}: verb ${verb} is not read-only`);
      }
      for (const resource of rule.resources ?? []) {
        if (resource.includes("/")) out.push(`${name}: subresource ${resource}`);
        if (SENSITIVE_RESOURCES.has(resource)) out.push(`${name}: ${resource}`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Dockerfile

export interface Instruction {
  keyword: string; // upper case: FROM, RUN, COPY, ...
  args: string; // the rest of the line, continuations joined
  line: number; // 1-based line where the instruction starts
}

export interface Stage {
  name: string | undefined;
  base: string; // image reference with global ARG defaults substituted
  platform: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  globalArgs: Record<string, string>;
  stages: Stage[];
}

/** Reads a Dockerfile the way the builder splits it: comments out, `\` continuations joined. */
export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  const lines = text.split("\n");
  let pending: Instruction | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed.startsWith("#") || (trimmed === "" && !pending)) continue;
    const continues = trimmed.endsWith("\\");
    const body = continues ? trimmed.slice(0, -1).trim() : trimmed;
    if (pending) {
      pending.args = `${pending.args} ${body}`.trim();
    } else {
      const m = /^(\S+)\s*(.*)$/.exec(body)!;
      pending = { keyword: m[1]!.toUpperCase(), args: m[2]!, line: i + 1 };
    }
    if (!continues) {
      instructions.push(pending);
      pending = undefined;
    }
  }
  if (pending) instructions.push(pending);

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "FROM") {
      const m = /^(?:--platform=(\S+)\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`line ${ins.line}: cannot read FROM ${ins.args}`);
      const base = m[2]!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => globalArgs[a ?? b] ?? "");
      stages.push({ name: m[3], base, platform: m[1], instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword === "ARG") {
        const [key, value = ""] = ins.args.split("=", 2);
        globalArgs[key!.trim()] = value.trim().replace(/^"(.*)"$/, "$1");
      }
    } else {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return { globalArgs, stages };
}

/** Exec-form (JSON array) arguments of ENTRYPOINT/CMD; undefined for the shell form. */
export function execForm(ins: Instruction | undefined): string[] | undefined {
  if (!ins?.args.startsWith("[")) return undefined;
  const parsed: unknown = JSON.parse(ins.args);
  return Array.isArray(parsed) && parsed.every((a) => typeof a === "string") ? parsed : undefined;
}

export interface CopyInstruction {
  from: string | undefined; // --from=stage
  chown: string | undefined;
  sources: string[];
  dest: string;
}

export function parseCopy(ins: Instruction): CopyInstruction {
  const words = ins.args.split(/\s+/);
  let from: string | undefined;
  let chown: string | undefined;
  const rest: string[] = [];
  for (const w of words) {
    if (w.startsWith("--from=")) from = w.slice("--from=".length);
    else if (w.startsWith("--chown=")) chown = w.slice("--chown=".length);
    else if (!w.startsWith("--")) rest.push(w);
  }
  return { from, chown, sources: rest.slice(0, -1), dest: rest.at(-1) ?? "" };
}

/** ADD sources that fetch from outside the build context (URLs, git repositories). */
export function remoteAdds(df: Dockerfile): Instruction[] {
  return df.stages
    .flatMap((s) => s.instructions)
    .filter((ins) => ins.keyword === "ADD")
    .filter((ins) => parseCopy(ins).sources.some((src) => /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i.test(src)));
}

// ---------------------------------------------------------------------------------------------------
// EC2 actions called by the server's source

export interface Ec2Usage {
  /** IAM action names, e.g. "ec2:DescribeInstances", sorted. */
  actions: string[];
  /** Files (relative to the scanned root) importing @aws-sdk/client-ec2. */
  files: string[];
  /** AWS SDK clients other than EC2 the code imports: each needs its own IAM actions. */
  otherClients: string[];
  /** Imports the scanner cannot map to actions (namespace imports, waiters): a reviewer must look. */
  unreadable: string[];
}

const EC2_MODULE = /["']@aws-sdk\/client-ec2["']/g;

/** Finds the EC2 actions in TypeScript source text (one file). */
export function ec2ActionsInSource(source: string, file = "<source>"): Omit<Ec2Usage, "files"> {
  const actions = new Set<string>();
  const unreadable: string[] = [];
  const named: string[] = [];
  // Classify every mention of the module by the statement it ends: only the two forms below can be
  // mapped to commands; anything else (namespace import, re-export, a client kept in a variable) is
  // reported so that a person looks instead of the check passing quietly.
  for (const m of source.matchAll(EC2_MODULE)) {
    const before = source.slice(Math.max(0, m.index - 4000), m.index);
    const staticNamed = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*$/.exec(before);
    const dynamicNamed = /\{([^}]*)\}\s*=\s*await\s+import\(\s*$/.exec(before);
    if (staticNamed) {
      if (!staticNamed[1]) named.push(...staticNamed[2]!.split(",")); // `import type` calls nothing
    } else if (dynamicNamed) {
      named.push(...dynamicNamed[1]!.split(",").map((s) => s.replace(/:.*/, "")));
    } else if (/(?:typeof\s+import\(|import\s+type\s+\*\s+as\s+\w+\s+from)\s*$/.test(before)) {
      // types only
    } else {
      const line = source.slice(0, m.index).split("\n").length;
      const context = source.slice(Math.max(0, m.index - 60), m.index + m[0].length).trim();
      unreadable.push(`${file}:${line}: ${context}`);
    }
  }

  for (const spec of named) {
    const trimmed = spec.trim();
    if (trimmed === "" || trimmed.startsWith("type ")) continue;
    const name = trimmed.split(/\s+as\s+/)[0]!.trim();
    const command = /^(\w+)Command$/.exec(name);
    const paginator = /^paginate(\w+)$/.exec(name);
    if (command) actions.add(`ec2:${command[1]}`);
    else if (paginator) actions.add(`ec2:${paginator[1]}`);
    else if (name.startsWith("waitUntil"))
      unreadable.push(`${file}: waiter ${name} (which Describe does it poll?)`);
    else if (name === "EC2") {
      // The aggregated client: each `.describeX(` call is one action.
      for (const call of source.matchAll(/\.(describe\w+)\s*\(/g)) {
        const method = call[1]!;
        actions.add(`ec2:${method[0]!.toUpperCase()}${method.slice(1)}`);
      }
    }
  }
  const otherClients = new Set<string>();
  for (const m of source.matchAll(/["'](@aws-sdk\/client-[\w-]+)["']/g)) {
    if (m[1] !== "@aws-sdk/client-ec2") otherClients.add(m[1]!);
  }
  return { actions: [...actions].sort(), otherClients: [...otherClients].sort(), unreadable };
}

/** Walks a source tree (not tests) and collects the EC2 actions its code calls. */
export async function ec2ActionsInTree(root: string): Promise<Ec2Usage> {
  const actions = new Set<string>();
  const files: string[] = [];
  const otherClients = new Set<string>();
  const unreadable: string[] = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !/\.(?:ts|js|mjs)$/.test(entry.name) || /\.test\.\w+$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const rel = relative(root, path);
    if (rel.split(/[\\/]/).includes("node_modules")) continue;
    const source = await readFile(path, "utf8");
    const found = ec2ActionsInSource(source, rel);
    if (source.match(EC2_MODULE)) files.push(rel);
    for (const a of found.actions) actions.add(a);
    for (const c of found.otherClients) otherClients.add(c);
    unreadable.push(...found.unreadable);
  }
  return {
    actions: [...actions].sort(),
    files: files.sort(),
    otherClients: [...otherClients].sort(),
    unreadable,
  };
}

// ---------------------------------------------------------------------------------------------------
// Kubernetes collections read by the server's source

export interface KubeCollection {
  file: string; // relative to the scanned root
  path: string; // "/apis/apps/v1/namespaces/kube-system/daemonsets"
  group: string; // "" for the core group
  resource: string;
  namespace: string | undefined; // undefined: all namespaces (or a cluster-scoped resource)
  /** `metadata.name=X` field selectors written in the same file (what resourceNames rules require). */
  nameSelectors: string[];
}

/** Reads a Kubernetes API collection path into group, namespace and resource. */
export function parseCollectionPath(
  path: string,
): Omit<KubeCollection, "file" | "nameSelectors"> | undefined {
  const m =
    /^\/(?:api\/v1|apis\/(?<group>[^/]+)\/[^/]+)\/(?:namespaces\/(?<ns>[^/]+)\/)?(?<resource>[a-z0-9.-]+)\/?$/.exec(
      path,
    );
  if (!m?.groups) return undefined;
  return { path, group: m.groups.group ?? "", resource: m.groups.resource!, namespace: m.groups.ns };
}

/** Every Kubernetes API collection path written as a string literal in a source tree (not tests). */
export async function kubeCollectionsInTree(root: string): Promise<KubeCollection[]> {
  const out: KubeCollection[] = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !/\.ts$/.test(entry.name) || /\.test\.ts$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const source = await readFile(path, "utf8");
    const nameSelectors = [...source.matchAll(/metadata\.name(?:=|%3D)([a-z0-9.-]+)/gi)].map((m) => m[1]!);
    for (const m of source.matchAll(/["'`](\/(?:api\/v1|apis\/[^/"'`]+\/[^/"'`]+)\/[^"'`?$]*)/g)) {
      const parsed = parseCollectionPath(m[1]!);
      if (parsed) out.push({ ...parsed, file: relative(root, path), nameSelectors });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
