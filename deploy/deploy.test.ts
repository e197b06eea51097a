// What a security-minded cluster admin checks before `kubectl apply -k deploy/`: the manifests as
// kubectl really renders them, the IAM policy against the EC2 calls in the server's code, and the
// image recipe. Each check names the property it protects.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, matchesGlob } from "node:path";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  type Dockerfile,
  ec2ActionsInSource,
  ec2ActionsInTree,
  execForm,
  find,
  type Grant,
  grants,
  type K8sObject,
  kubeCollectionsInTree,
  kustomize,
  objectSchemaErrors,
  type PolicyRule,
  parseCollectionPath,
  parseCopy,
  parseDockerfile,
  rbacViolations,
  remoteAdds,
  type Stage,
} from "./checks.ts";

const repo = fileURLToPath(new URL("..", import.meta.url));

const READ_VERBS = ["get", "list", "watch"];

/** The complete grant table. Anything added to the roles must be added here, on purpose. */
const EXPECTED_GRANTS: Grant[] = [
  { role: "ClusterRole/eni-view-read", group: "", resource: "events", resourceNames: [], verbs: READ_VERBS },
  { role: "ClusterRole/eni-view-read", group: "", resource: "nodes", resourceNames: [], verbs: READ_VERBS },
  { role: "ClusterRole/eni-view-read", group: "", resource: "pods", resourceNames: [], verbs: READ_VERBS },
  {
    role: "ClusterRole/eni-view-read",
    group: "crd.k8s.amazonaws.com",
    resource: "eniconfigs",
    resourceNames: [],
    verbs: READ_VERBS,
  },
  {
    role: "ClusterRole/eni-view-read",
    group: "events.k8s.io",
    resource: "events",
    resourceNames: [],
    verbs: READ_VERBS,
  },
  {
    role: "ClusterRole/eni-view-read",
    group: "vpcresources.k8s.aws",
    resource: "cninodes",
    resourceNames: [],
    verbs: READ_VERBS,
  },
  {
    role: "Role/kube-system/eni-view-aws-node",
    group: "apps",
    resource: "daemonsets",
    resourceNames: ["aws-node"],
    verbs: READ_VERBS,
  },
];

/** The EC2 actions the server is meant to call (issues 4 and 14), and so the whole IAM policy. */
const EXPECTED_EC2_ACTIONS = [
  "ec2:DescribeInstanceTypes",
  "ec2:DescribeInstances",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSubnets",
  "ec2:GetSubnetCidrReservations",
];

interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number; hostPort?: number }[];
  env?: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
  envFrom?: Record<string, unknown>[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[]; add?: string[] } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Probe {
  httpGet?: { path: string; port: number | string };
}
interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } };
  containers: Container[];
  initContainers?: Container[];
  volumes?: ({ name: string } & Record<string, unknown>)[];
}
interface Deployment extends K8sObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
interface Service extends K8sObject {
  spec: {
    type?: string;
    selector: Record<string, string>;
    ports: { port: number; targetPort: number | string; nodePort?: number }[];
  };
}
interface Binding extends K8sObject {
  roleRef: { kind: string; name: string };
  subjects: { kind: string; name: string; namespace?: string }[];
}

/** A container port given by number or by name, as a number. */
function portNumber(container: Container, port: number | string): number | undefined {
  if (typeof port === "number") return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function podOf(objects: K8sObject[]): { pod: PodSpec; container: Container } {
  const deployment = find(objects, "Deployment", "eni-view", "eni-view") as Deployment;
  const pod = deployment.spec.template.spec;
  assert.equal(pod.containers.length, 1, "one container: the server is one process");
  return { pod, container: pod.containers[0]! };
}

function cpuMillis(q: string): number {
  return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
}
function bytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(q);
  assert.ok(m, `memory quantity ${q} is readable`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 1e3, M: 1e6, G: 1e9 }[m[2] ?? ""] ?? 1;
  return Number(m[1]) * unit;
}

/** The uid:gid of the Dockerfile's last USER in the final stage. */
function imageUser(df: Dockerfile): { uid: number; gid: number | undefined; raw: string } {
  const final = df.stages.at(-1)!;
  const user = final.instructions.filter((i) => i.keyword === "USER").at(-1);
  assert.ok(user, "the runtime stage sets USER (otherwise the container runs as root)");
  const m = /^(\d+)(?::(\d+))?$/.exec(user.args);
  assert.ok(m, `USER ${user.args} is numeric, so Kubernetes' runAsNonRoot can verify it`);
  return { uid: Number(m[1]), gid: m[2] === undefined ? undefined : Number(m[2]), raw: user.args };
}

describe("deploy/ as rendered by kubectl kustomize", () => {
  let objects: K8sObject[];
  let dockerfile: Dockerfile;
  before(async () => {
    objects = await kustomize(join(repo, "deploy"));
    dockerfile = parseDockerfile(await readFile(join(repo, "Dockerfile"), "utf8"));
  });

  test("contains exactly the expected objects, and no Secret or ConfigMap", () => {
    const ids = objects.map((o) => `${o.kind} ${o.metadata.namespace ?? "-"}/${o.metadata.name}`).sort();
    assert.deepEqual(ids, [
      "ClusterRole -/eni-view-read",
      "ClusterRoleBinding -/eni-view-read",
      "Deployment eni-view/eni-view",
      "Namespace -/eni-view",
      "Role kube-system/eni-view-aws-node",
      "RoleBinding kube-system/eni-view-aws-node",
      "Service eni-view/eni-view",
      "ServiceAccount eni-view/eni-view",
    ]);
  });

  test("every field is one the Kubernetes API knows, with the right type", () => {
    assert.deepEqual(objects.flatMap(objectSchemaErrors), []);
  });

  test("the schema check catches a misspelled security field and a mistyped value", () => {
    const deployment = structuredClone(find(objects, "Deployment", "eni-view", "eni-view")) as Deployment;
    const container = deployment.spec.template.spec.containers[0]!;
    container.securityContext = { readOnlyRootFileSystem: true };
    container.args = ["--port", 8080 as unknown as string];
    assert.deepEqual(objectSchemaErrors(deployment), [
      "Deployment eni-view.spec.template.spec.containers[0].args[1]: expected a string, got 8080",
      "Deployment eni-view.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem: not a field of V1SecurityContext",
    ]);
  });

  test("the namespace enforces the restricted Pod Security profile", () => {
    const ns = find(objects, "Namespace", "eni-view");
    assert.equal(ns.metadata.labels?.["pod-security.kubernetes.io/enforce"], "restricted");
  });

  test("RBAC grants only get/list/watch, on exactly the resources the view needs", () => {
    assert.deepEqual(grants(objects), EXPECTED_GRANTS);
  });

  test("RBAC has no wildcard, no secrets, no subresource (nodes/proxy, pods/exec), no URL, no aggregation", () => {
    assert.deepEqual(rbacViolations(objects), []);
  });

  test("the RBAC check itself flags the usual ways a role grows", () => {
    const role = (rules: PolicyRule[], extra: Record<string, unknown> = {}): K8sObject => ({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "r", labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } },
      rules,
      ...extra,
    });
    const found = rbacViolations([
      role(
        [
          { apiGroups: [""], resources: ["secrets", "nodes/proxy"], verbs: ["get"] },
          { apiGroups: ["*"], resources: ["pods"], verbs: ["*"] },
          { apiGroups: ["apps"], resources: ["daemonsets"], verbs: ["get", "patch"] },
          { nonResourceURLs: ["/metrics"], verbs: ["get"] },
        ],
        { aggregationRule: { clusterRoleSelectors: [] } },
      ),
    ]);
    for (const expected of [
      "aggregationRule",
      "aggregate-to-view",
      "ClusterRole r: secrets",
      "subresource nodes/proxy",
      '"*" in apiGroups',
      '"*" in verbs',
      "verb patch",
      "nonResourceURLs /metrics",
    ]) {
      assert.ok(
        found.some((f) => f.includes(expected)),
        `flags ${expected} (found: ${found.join("; ")})`,
      );
    }
  });

  test("the aws-node DaemonSet is readable by name only, and only in kube-system", () => {
    const daemonsetGrants = grants(objects).filter((g) => g.resource === "daemonsets");
    assert.deepEqual(daemonsetGrants, [
      {
        role: "Role/kube-system/eni-view-aws-node",
        group: "apps",
        resource: "daemonsets",
        resourceNames: ["aws-node"],
        verbs: READ_VERBS,
      },
    ]);
  });

  test("every Kubernetes collection the server's code lists and watches is granted", async () => {
    // ha/ gets and writes its one Lease (never lists or watches): the ha overlay grants that, below.
    const collections = (await kubeCollectionsInTree(join(repo, "apps/server/src"))).filter(
      (c) => !c.file.startsWith("ha/"),
    );
    assert.ok(collections.length > 0, "no Kubernetes API path found under apps/server/src");
    const table = grants(objects);
    for (const c of collections) {
      const where = `${c.path} (${c.file})`;
      const matching = table.filter(
        (g) =>
          g.group === c.group &&
          g.resource === c.resource &&
          (g.role.startsWith("ClusterRole/") || (c.namespace && g.role.startsWith(`Role/${c.namespace}/`))),
      );
      assert.ok(
        matching.some((g) => g.verbs.includes("list") && g.verbs.includes("watch")),
        `${where}: no role grants list and watch, so the API server answers 403`,
      );
      if (matching.some((g) => g.resourceNames.length === 0)) continue;
      // Granted by name only: the API server authorizes list/watch only with that name's field selector.
      const names = matching.flatMap((g) => g.resourceNames);
      assert.ok(
        c.nameSelectors.length > 0 && c.nameSelectors.every((n) => names.includes(n)),
        `${where}: the grant covers ${names.join(", ")} only, so list and watch must send ` +
          `fieldSelector=metadata.name=${names[0]}; without it the API server answers 403`,
      );
    }
  });

  test("the collection-path reader understands core, grouped and namespaced paths", () => {
    assert.deepEqual(parseCollectionPath("/api/v1/pods"), {
      path: "/api/v1/pods",
      group: "",
      resource: "pods",
      namespace: undefined,
    });
    assert.deepEqual(parseCollectionPath("/apis/apps/v1/namespaces/kube-system/daemonsets"), {
      path: "/apis/apps/v1/namespaces/kube-system/daemonsets",
      group: "apps",
      resource: "daemonsets",
      namespace: "kube-system",
    });
    assert.equal(parseCollectionPath("/api/topology"), undefined, "eni-view's own routes are not Kubernetes");
  });

  test("the roles are bound to eni-view's service account and nobody else", () => {
    const sa = { kind: "ServiceAccount", name: "eni-view", namespace: "eni-view" };
    const crb = find(objects, "ClusterRoleBinding", "eni-view-read") as Binding;
    assert.deepEqual(crb.roleRef, {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: "eni-view-read",
    });
    assert.deepEqual(crb.subjects, [sa]);
    const rb = find(objects, "RoleBinding", "eni-view-aws-node", "kube-system") as Binding;
    assert.deepEqual(rb.roleRef, {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: "eni-view-aws-node",
    });
    assert.deepEqual(rb.subjects, [sa]);
  });

  test("the API token is mounted only into the eni-view pod, and the account carries no credentials", () => {
    const sa = find(objects, "ServiceAccount", "eni-view", "eni-view");
    assert.equal(sa.automountServiceAccountToken, false, "off on the service account");
    assert.equal(sa.secrets, undefined, "no long-lived token Secrets");
    // IRSA's role annotation is the only one a user is told to add, and it is commented out by default.
    const annotations = Object.keys(sa.metadata.annotations ?? {});
    assert.ok(
      annotations.every((a) => a === "eks.amazonaws.com/role-arn"),
      `unexpected annotations ${annotations}`,
    );
    const { pod } = podOf(objects);
    assert.equal(pod.serviceAccountName, "eni-view");
    assert.equal(pod.automountServiceAccountToken, true, "on for the one pod that reads the API");
  });

  test("the pod runs as a non-root user, without privileges, on a read-only root filesystem", () => {
    const { pod, container } = podOf(objects);
    assert.equal(pod.securityContext?.runAsNonRoot, true);
    const uid = pod.securityContext?.runAsUser as number;
    assert.ok(Number.isInteger(uid) && uid > 0, "a numeric, non-zero runAsUser");
    assert.equal(uid, imageUser(dockerfile).uid, "the same uid as the image's USER");
    assert.equal(pod.securityContext?.seccompProfile?.type, "RuntimeDefault");
    const sc = container.securityContext ?? {};
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.notEqual(sc.privileged, true);
    assert.deepEqual(sc.capabilities?.drop, ["ALL"]);
    assert.equal(sc.capabilities?.add, undefined, "no capability added back");
    assert.ok(!("runAsUser" in sc) || sc.runAsUser === uid, "the container does not override the user");
    assert.equal(pod.hostNetwork, undefined);
    assert.equal(pod.hostPID, undefined);
    assert.equal(pod.hostIPC, undefined);
    assert.equal(pod.initContainers, undefined, "no init container with its own privileges");
  });

  test("the only writable path is an emptyDir on /tmp; no host paths, no secrets", () => {
    const { pod, container } = podOf(objects);
    assert.deepEqual(
      pod.volumes?.map((v) => Object.keys(v).sort()),
      [["emptyDir", "name"]],
      "one volume, an emptyDir",
    );
    const tmpVolume = pod.volumes![0]!.name;
    assert.deepEqual(
      container.volumeMounts?.map((m) => [m.name, m.mountPath]),
      [[tmpVolume, "/tmp"]],
    );
    for (const e of container.env ?? []) {
      assert.equal(e.valueFrom?.secretKeyRef, undefined, `env ${e.name} reads no Secret`);
    }
    assert.equal(container.envFrom, undefined, "no bulk env from Secrets or ConfigMaps");
  });

  test("Freeze's budget and the recording ring, which share one file, fit the /tmp emptyDir", async () => {
    const { pod, container } = podOf(objects);
    const args = container.args ?? [];
    const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
    const { snapshotDefaults } = await import("../apps/server/src/snapshots/store.ts");
    const { recordingDefaults } = await import("../apps/server/src/recording/recorder.ts");
    const mib = 1024 * 1024;
    const snapshots = flag("--snapshot-max-size") ?? `${snapshotDefaults.maxTotalBytes / mib}M`;
    const ring = Number(flag("--record-mb") ?? recordingDefaults.ringMaxBytes / mib);
    assert.match(snapshots, /^\d+M$/);
    const emptyDir = pod.volumes![0]!.emptyDir as { sizeLimit: string };
    const limit = bytes(emptyDir.sizeLimit) / mib;
    // The rest is for SQLite's write-ahead log (up to a ring segment) and Node's temp files.
    assert.ok(
      Number(snapshots.slice(0, -1)) + ring <= limit * 0.7,
      `snapshots ${snapshots} + ring ${ring} MiB within 70 % of the ${limit} MiB emptyDir`,
    );
  });

  test("probes: liveness and startup on /livez at the probe port the args open, readiness on /readyz at the serving port", () => {
    const { container } = podOf(objects);
    const paths = {
      liveness: container.livenessProbe?.httpGet,
      readiness: container.readinessProbe?.httpGet,
      startup: container.startupProbe?.httpGet,
    };
    assert.equal(paths.liveness?.path, "/livez");
    assert.equal(paths.readiness?.path, "/readyz");
    assert.equal(paths.startup?.path, "/livez");
    const args = container.args ?? [];
    const probePort = Number(args[args.indexOf("--probe-port") + 1]);
    assert.ok(args.includes("--probe-port") && probePort !== 8080, "the server is told to open a probe port");
    assert.equal(portNumber(container, paths.liveness!.port), probePort);
    assert.equal(portNumber(container, paths.startup!.port), probePort);
    assert.equal(portNumber(container, paths.readiness!.port), 8080);
  });

  test("cpu and memory have requests and limits, limits at least the requests", () => {
    const { container } = podOf(objects);
    const r = container.resources;
    for (const key of ["cpu", "memory"]) {
      assert.ok(r?.requests?.[key], `requests.${key} set`);
      assert.ok(r?.limits?.[key], `limits.${key} set`);
    }
    assert.ok(cpuMillis(r!.limits!.cpu!) >= cpuMillis(r!.requests!.cpu!));
    assert.ok(bytes(r!.limits!.memory!) >= bytes(r!.requests!.memory!));
  });

  test("one replica listening on 0.0.0.0:8080 from a pinned image tag", async () => {
    const deployment = find(objects, "Deployment", "eni-view", "eni-view") as Deployment;
    assert.equal(deployment.spec.replicas, 1, "one EC2 poller per cluster");
    const { container } = podOf(objects);
    const args = container.args ?? [];
    const flag = (name: string) => args[args.indexOf(name) + 1];
    assert.equal(flag("--source"), "cluster");
    assert.equal(flag("--host"), "0.0.0.0", "reachable by the Service and the kubelet's probes");
    assert.equal(Number(flag("--port")), 8080);
    assert.deepEqual(
      container.ports?.map((p) => [p.containerPort, p.hostPort]),
      [
        [8080, undefined],
        [Number(flag("--probe-port")), undefined],
      ],
      "the serving and probe ports, and no hostPort",
    );
    const image = /^(?<name>[^@]+?)(?::(?<tag>[\w][\w.-]*))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$/.exec(
      container.image,
    );
    assert.ok(image?.groups, `image ${container.image} is readable`);
    assert.ok(
      image.groups.digest || (image.groups.tag && image.groups.tag !== "latest"),
      `image ${container.image} is pinned to a tag other than latest, or a digest`,
    );
    // The manifests of a checkout deploy that checkout's version (docs/run-in-cluster.md builds it).
    const { version } = JSON.parse(await readFile(join(repo, "package.json"), "utf8")) as { version: string };
    assert.equal(image.groups.tag, version, "the image tag is the version in package.json");
  });

  test("the Service is ClusterIP, port 80 to the pod's 8080, selecting the pod", () => {
    const svc = find(objects, "Service", "eni-view", "eni-view") as Service;
    assert.equal(svc.spec.type ?? "ClusterIP", "ClusterIP");
    assert.equal(svc.spec.ports.length, 1);
    const port = svc.spec.ports[0]!;
    assert.equal(port.port, 80);
    const { container } = podOf(objects);
    assert.equal(portNumber(container, port.targetPort), 8080);
    const deployment = find(objects, "Deployment", "eni-view", "eni-view") as Deployment;
    const podLabels = deployment.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(svc.spec.selector)) assert.equal(podLabels[k], v, `selector ${k}`);
    for (const [k, v] of Object.entries(deployment.spec.selector.matchLabels)) assert.equal(podLabels[k], v);
  });
});

describe("deploy/overlays/ingress", () => {
  let base: K8sObject[];
  let overlay: K8sObject[];
  before(async () => {
    [base, overlay] = await Promise.all([
      kustomize(join(repo, "deploy")),
      kustomize(join(repo, "deploy/overlays/ingress")),
    ]);
  });

  test("every field of the Ingress is one the Kubernetes API knows", () => {
    assert.deepEqual(overlay.flatMap(objectSchemaErrors), []);
  });

  test("renders the base unchanged plus one Ingress", () => {
    const ingresses = overlay.filter((o) => o.kind === "Ingress");
    assert.equal(ingresses.length, 1);
    assert.deepEqual(
      overlay.filter((o) => o.kind !== "Ingress"),
      base,
      "the overlay weakens nothing in the base",
    );
  });

  test("the Ingress sends every request to the sign-in proxy, never straight to eni-view", () => {
    const ingress = overlay.find((o) => o.kind === "Ingress") as K8sObject & {
      spec: {
        defaultBackend?: unknown;
        tls?: unknown[];
        rules: { http: { paths: { backend: { service: { name: string } } }[] } }[];
      };
    };
    assert.equal(ingress.metadata.namespace, "eni-view");
    assert.equal(ingress.spec.defaultBackend, undefined);
    const backends = ingress.spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend.service.name));
    assert.ok(backends.length > 0);
    for (const b of backends) assert.equal(b, "oauth2-proxy", "all traffic goes through oauth2-proxy");
    assert.ok((ingress.spec.tls ?? []).length > 0, "served over TLS");
    assert.notEqual(
      ingress.metadata.annotations?.["alb.ingress.kubernetes.io/scheme"],
      "internet-facing",
      "the example load balancer is internal",
    );
  });

  test("neither render opens a NodePort, a LoadBalancer or a hostPort", () => {
    for (const o of [...base, ...overlay]) {
      if (o.kind === "Service") {
        assert.ok(!["NodePort", "LoadBalancer"].includes((o as Service).spec.type ?? ""), o.metadata.name);
      }
      if (o.kind === "Deployment") {
        const ports = (o as Deployment).spec.template.spec.containers.flatMap((c) => c.ports ?? []);
        assert.ok(
          ports.every((p) => p.hostPort === undefined),
          `${o.metadata.name}: no hostPort`,
        );
      }
    }
  });
});

describe("deploy/iam-policy.json", () => {
  interface Statement {
    Sid?: string;
    Effect: string;
    Action?: string[];
    NotAction?: unknown;
    Resource?: unknown;
    NotResource?: unknown;
    Principal?: unknown;
  }
  let statements: Statement[];
  before(async () => {
    const policy = JSON.parse(await readFile(join(repo, "deploy/iam-policy.json"), "utf8"));
    assert.equal(policy.Version, "2012-10-17");
    statements = policy.Statement;
  });

  test("allows exactly the four EC2 Describe actions and GetSubnetCidrReservations on Resource * and nothing else", () => {
    assert.equal(statements.length, 1);
    const s = statements[0]!;
    assert.equal(s.Effect, "Allow");
    assert.deepEqual([...(s.Action ?? [])].sort(), EXPECTED_EC2_ACTIONS);
    // EC2 Describe* and GetSubnetCidrReservations support no resource-level permissions: "*" is the only Resource that works.
    assert.equal(s.Resource, "*");
    assert.equal(s.NotAction, undefined);
    assert.equal(s.NotResource, undefined);
    assert.equal(s.Principal, undefined);
  });

  test("lists exactly the EC2 actions the server's code calls", async () => {
    const serverSrc = join(repo, "apps/server/src");
    const usage = await ec2ActionsInTree(serverSrc);
    assert.ok(
      usage.files.length > 0,
      "no file under apps/server/src imports @aws-sdk/client-ec2: the policy cannot be checked against the code",
    );
    assert.deepEqual(usage.unreadable, [], "EC2 usage the check cannot map to IAM actions");
    assert.deepEqual(usage.otherClients, [], "AWS clients other than EC2 need their own IAM actions");
    const policyActions = statements.flatMap((s) => s.Action ?? []).sort();
    assert.deepEqual(policyActions, usage.actions, `the code calls ${usage.actions} (in ${usage.files})`);
  });

  test("the code scan finds commands, paginators and the aggregated client, and skips types", () => {
    const found = ec2ActionsInSource(`
      import {
        DescribeSubnetsCommand,
        type DescribeSubnetsCommandOutput,
        paginateDescribeNetworkInterfaces as pages,
        EC2Client,
      } from "@aws-sdk/client-ec2";
      import type { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
      const { TerminateInstancesCommand } = await import("@aws-sdk/client-ec2");
    `);
    assert.deepEqual(found.actions, [
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSubnets",
      "ec2:TerminateInstances",
    ]);
    assert.deepEqual(found.unreadable, []);
    const aggregated = ec2ActionsInSource(`import { EC2 } from '@aws-sdk/client-ec2';
      await ec2.describeInstances({}); await ec2.describeInstanceTypes({});`);
    assert.deepEqual(aggregated.actions, ["ec2:DescribeInstanceTypes", "ec2:DescribeInstances"]);
  });

  test("the code scan refuses to guess: namespace imports, waiters and other AWS clients are reported", () => {
    const found = ec2ActionsInSource(
      `import * as ec2 from "@aws-sdk/client-ec2";
       import { waitUntilInstanceRunning } from "@aws-sdk/client-ec2";
       import { AssumeRoleCommand } from "@aws-sdk/client-sts";`,
      "x.ts",
    );
    assert.equal(found.unreadable.length, 2);
    assert.match(found.unreadable[0]!, /^x\.ts:1: /);
    assert.deepEqual(found.otherClients, ["@aws-sdk/client-sts"]);
  });
});

describe("Dockerfile", () => {
  let df: Dockerfile;
  let runtime: Stage;
  let dockerignore: string[];
  before(async () => {
    df = parseDockerfile(await readFile(join(repo, "Dockerfile"), "utf8"));
    runtime = df.stages.at(-1)!;
    dockerignore = (await readFile(join(repo, ".dockerignore"), "utf8"))
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"));
  });
  const ignored = (path: string): boolean => {
    // .dockerignore semantics: the last matching line wins, "!" re-includes.
    let out = false;
    for (const line of dockerignore) {
      const negate = line.startsWith("!");
      const pattern = negate ? line.slice(1) : line;
      if (matchesGlob(path, pattern) || matchesGlob(path, `${pattern}/**`)) out = !negate;
    }
    return out;
  };

  test("is multi-stage and the runtime stage starts from a Node.js 24 image", () => {
    assert.ok(df.stages.length >= 2, "build tools stay out of the image");
    assert.match(runtime.base, /^node:24[.-]/, `runtime base ${runtime.base}`);
  });

  test("the runtime stage runs as a numeric, non-root user", () => {
    const user = imageUser(df);
    assert.ok(user.uid > 0, "uid 0 is root");
    assert.ok(user.gid === undefined || user.gid > 0, "gid 0 is root's group");
  });

  test("no ADD fetches from a URL or a git repository", () => {
    assert.deepEqual(remoteAdds(df), []);
    const hostile = parseDockerfile(
      "FROM node:24-alpine\nADD https://example.com/x.tgz /x\nADD --chown=1:1 \\\n  git@github.com:a/b.git /b\nADD ./local /l\n",
    );
    assert.deepEqual(
      remoteAdds(hostile).map((i) => i.line),
      [2, 3],
      "the check itself catches both forms",
    );
  });

  test("the runtime stage gets node_modules only from a production-only install of the package", () => {
    const runs = runtime.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args);
    assert.ok(
      runs.every((r) => !/\b(?:npm|pnpm|yarn)\s+(?:ci|i|install|add)\b|\bnpx\s+\w/.test(r)),
      "the runtime stage installs nothing itself",
    );
    const copies = runtime.instructions.filter((i) => i.keyword === "COPY").map(parseCopy);
    const nodeModules = copies.filter((c) => c.sources.some((s) => /node_modules/.test(s)));
    assert.equal(nodeModules.length, 1, "node_modules copied in once");
    const fromStage = df.stages.find((s) => s.name === nodeModules[0]!.from);
    assert.ok(fromStage, "node_modules come from another stage of this Dockerfile");
    const installs = fromStage.instructions.filter(
      (i) => i.keyword === "RUN" && /\bnpm (?:ci|install)\b/.test(i.args),
    );
    assert.ok(installs.length > 0);
    for (const i of installs) {
      assert.match(i.args, /--omit=dev\b/, `stage ${fromStage.name}: ${i.args}`);
      assert.match(i.args, /\bnpm ci\b/, "from the package's shrinkwrap, not a fresh resolution");
    }
    // What it installs from: the package's own manifest and shrinkwrap, nothing of the workspace.
    const inputs = fromStage.instructions.filter((i) => i.keyword === "COPY").map(parseCopy);
    assert.deepEqual(
      inputs.map((c) => [c.from, c.sources]),
      [["build", ["/src/dist/package/package.json", "/src/dist/package/npm-shrinkwrap.json"]]],
    );
    assert.equal(fromStage.base, runtime.base, "installed on the runtime's own platform and libc");
  });

  describe("after `npm run build`", () => {
    let pkg: { bin: Record<string, string> };
    before(async () => {
      // The web app is built by then in `npm test` (test:e2e); the package build takes a second.
      const web = existsSync(join(repo, "apps/web/dist/index.html"));
      await promisify(execFile)(
        web ? process.execPath : "npm",
        web ? [join(repo, "scripts/package/build.ts")] : ["run", "build"],
        { cwd: repo },
      );
      pkg = JSON.parse(await readFile(join(repo, "dist/package/package.json"), "utf8"));
    });

    test("ENTRYPOINT is the package's `eni-view` bin run by node; the default arguments serve the cluster on 0.0.0.0:8080", () => {
      const entrypoint = execForm(runtime.instructions.filter((i) => i.keyword === "ENTRYPOINT").at(-1));
      assert.deepEqual(entrypoint, ["node", pkg.bin["eni-view"], "serve"], "exec form: node is PID 1");
      const cmd = execForm(runtime.instructions.filter((i) => i.keyword === "CMD").at(-1));
      assert.deepEqual(cmd, ["--source", "cluster", "--host", "0.0.0.0", "--port", "8080"]);
      const expose = runtime.instructions.find((i) => i.keyword === "EXPOSE");
      assert.equal(expose?.args, "8080");
      const workdir = runtime.instructions.filter((i) => i.keyword === "WORKDIR").at(-1);
      const copies = runtime.instructions.filter((i) => i.keyword === "COPY").map(parseCopy);
      assert.ok(
        copies.some((c) => c.from === "build" && c.sources.join() === "/src/dist/package" && c.dest === "./"),
        `the whole package is copied into the WORKDIR (${workdir?.args}) the entry point is relative to`,
      );
    });

    test("every path the Dockerfile copies exists, in the build context or in the build stage", () => {
      const build = df.stages.find((s) => s.name === "build");
      assert.ok(build);
      for (const stage of df.stages) {
        for (const c of stage.instructions.filter((i) => i.keyword === "COPY").map(parseCopy)) {
          if (c.from === undefined) {
            for (const src of c.sources.filter((s) => s !== ".")) {
              assert.ok(existsSync(join(repo, src)), `${src} exists in the repository`);
              assert.ok(!ignored(src), `${src} is not left out of the build context by .dockerignore`);
            }
          } else if (c.from === "build") {
            // The build stage works in /src on a copy of the context, then `npm run build`.
            for (const src of c.sources) {
              assert.match(src, /^\/src\//);
              assert.ok(
                existsSync(join(repo, src.slice("/src/".length))),
                `${src} exists after npm run build`,
              );
            }
          }
          assert.equal(c.chown, undefined, "the process cannot modify its own code");
        }
      }
    });

    test("the package build reads no file that .dockerignore leaves out of the build context", async () => {
      const sources = JSON.parse(await readFile(join(repo, "dist/package-sources.json"), "utf8")) as string[];
      assert.ok(sources.includes("apps/server/src/commands/serve.ts"), "the serve command is bundled");
      for (const file of sources)
        assert.ok(!ignored(file), `${file} is bundled but .dockerignore leaves it out`);
    });

    test("the image's default arguments are options `eni-view serve` accepts", async () => {
      const entrypoint = execForm(runtime.instructions.filter((i) => i.keyword === "ENTRYPOINT").at(-1))!;
      const cmd = execForm(runtime.instructions.filter((i) => i.keyword === "CMD").at(-1))!;
      // The same command line the container runs, in the built package, asking for help instead of serving.
      const { stdout } = await promisify(execFile)(process.execPath, [...entrypoint.slice(1), "--help"], {
        cwd: join(repo, "dist/package"),
        env: { ...process.env, LC_ALL: "C.UTF-8" },
        timeout: 20_000,
      });
      for (const flag of cmd.filter((a) => a.startsWith("--"))) {
        assert.match(stdout, new RegExp(`^\\s+${flag}\\b`, "m"), `serve --help documents ${flag}`);
      }
      assert.match(stdout, /--source cluster\|/, "cluster is one of serve's sources");
    });
  });

  test(".dockerignore keeps local dependencies, builds, git history and credentials out of the context", () => {
    for (const path of [
      "node_modules/fastify/package.json",
      "apps/web/node_modules/x",
      "apps/web/dist/index.html",
      ".git/config",
      ".env",
      "apps/server/.env.local",
      ".npmrc",
      ".aws/credentials",
      ".kube/config",
      "kubeconfig",
      "kubeconfig.yaml",
      "clusters/prod.kubeconfig",
      "tls.key",
      "apps/server/src/routes.test.ts",
    ]) {
      assert.ok(ignored(path), `${path} stays out of the build context`);
    }
    for (const path of [
      "package.json",
      "package-lock.json",
      "apps/server/src/cli.ts",
      "packages/sim/src/kubeconfig.ts",
      "e2e/package.json",
    ]) {
      assert.ok(!ignored(path), `${path} is needed by the build`);
    }
  });
});

describe("deploy/overlays/snapshots-pvc", () => {
  let base: K8sObject[];
  let overlay: K8sObject[];
  before(async () => {
    [base, overlay] = await Promise.all([
      kustomize(join(repo, "deploy")),
      kustomize(join(repo, "deploy/overlays/snapshots-pvc")),
    ]);
  });

  type PodSpec = {
    securityContext?: { fsGroup?: number; runAsNonRoot?: boolean };
    containers: { args?: string[]; volumeMounts?: { name: string; mountPath: string }[] }[];
    volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; emptyDir?: unknown }[];
  };
  const podSpec = (objects: K8sObject[]) =>
    (objects.find((o) => o.kind === "Deployment") as K8sObject & { spec: { template: { spec: PodSpec } } })
      .spec.template.spec;

  test("every field is one the Kubernetes API knows", () => {
    assert.deepEqual(overlay.flatMap(objectSchemaErrors), []);
  });

  test("the snapshot file lives on the claim, with a budget under the claim's size", () => {
    const claim = overlay.find((o) => o.kind === "PersistentVolumeClaim") as K8sObject & {
      spec: { accessModes: string[]; resources: { requests: { storage: string } } };
    };
    assert.equal(claim.metadata.namespace, "eni-view");
    assert.deepEqual(claim.spec.accessModes, ["ReadWriteOnce"]);
    assert.equal(claim.spec.resources.requests.storage, "1Gi");
    const spec = podSpec(overlay);
    const volume = spec.volumes?.find((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name);
    assert.ok(volume, "the pod mounts the claim");
    const mount = spec.containers[0]!.volumeMounts?.find((m) => m.name === volume.name);
    const args = spec.containers[0]!.args ?? [];
    const db = args[args.indexOf("--snapshot-db") + 1] ?? "";
    assert.ok(mount && db.startsWith(`${mount.mountPath}/`), `--snapshot-db ${db} on the claim`);
    const size = args[args.indexOf("--snapshot-max-size") + 1] ?? "";
    assert.match(size, /^\d+M$/);
    assert.ok(Number(size.slice(0, -1)) < 1024, "budget below the 1Gi claim, room for the journal");
    // The claim is writable by the non-root user; the /tmp emptyDir stays.
    assert.equal(spec.securityContext?.fsGroup, 10001);
    assert.equal(spec.securityContext?.runAsNonRoot, true);
    assert.ok(spec.volumes?.some((v) => v.name === "tmp" && v.emptyDir));
  });

  test("changes nothing else in the base", () => {
    const others = (objects: K8sObject[]) =>
      objects.filter((o) => !["Deployment", "PersistentVolumeClaim"].includes(o.kind));
    assert.deepEqual(others(overlay), others(base));
  });
});

describe("deploy/overlays/ha", () => {
  let base: K8sObject[];
  let overlay: K8sObject[];
  before(async () => {
    [base, overlay] = await Promise.all([
      kustomize(join(repo, "deploy")),
      kustomize(join(repo, "deploy/overlays/ha")),
    ]);
  });

  type Container = {
    args?: string[];
    env?: {
      name: string;
      valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string } };
    }[];
  };
  const deployment = (objects: K8sObject[]) =>
    objects.find((o) => o.kind === "Deployment") as K8sObject & {
      spec: { replicas: number; template: { spec: { containers: Container[] } } };
    };

  test("every field is one the Kubernetes API knows", () => {
    assert.deepEqual(overlay.flatMap(objectSchemaErrors), []);
  });

  test("its only write is create/get/update of its own Lease, in its own namespace", () => {
    const added = grants(overlay).filter(
      (g) => !grants(base).some((b) => JSON.stringify(b) === JSON.stringify(g)),
    );
    assert.deepEqual(added, [
      {
        role: "Role/eni-view/eni-view-lease",
        group: "coordination.k8s.io",
        resource: "leases",
        resourceNames: ["eni-view"],
        verbs: ["get", "update"],
      },
      {
        role: "Role/eni-view/eni-view-lease",
        group: "coordination.k8s.io",
        resource: "leases",
        resourceNames: [],
        verbs: ["create"],
      },
    ]);
    // Every other role is the base's, still read-only.
    const others = overlay.filter((o) => o.metadata.name !== "eni-view-lease");
    assert.deepEqual(rbacViolations(others), []);
    const binding = overlay.find((o) => o.kind === "RoleBinding" && o.metadata.name === "eni-view-lease") as
      | (K8sObject & { subjects: { name: string; namespace: string }[] })
      | undefined;
    assert.deepEqual(
      binding?.subjects.map((s) => `${s.namespace}/${s.name}`),
      ["eni-view/eni-view"],
    );
  });

  test("several replicas elect with the Lease the Role names and share EC2 with a Secret's token", () => {
    const d = deployment(overlay);
    assert.ok(d.spec.replicas > 1);
    const c = d.spec.template.spec.containers[0]!;
    assert.ok(c.args?.includes("--leader-elect"));
    // The server's defaults: Lease "eni-view" in the pod's own namespace, the one the Role is in.
    assert.ok(!c.args?.includes("--lease-name") && !c.args?.includes("--lease-namespace"));
    assert.equal(d.metadata.namespace, "eni-view");
    const env = new Map((c.env ?? []).map((e) => [e.name, e.valueFrom]));
    assert.equal(env.get("POD_IP")?.fieldRef?.fieldPath, "status.podIP");
    assert.equal(env.get("POD_NAME")?.fieldRef?.fieldPath, "metadata.name");
    assert.equal(env.get("ENI_VIEW_PEER_TOKEN")?.secretKeyRef?.name, "eni-view-peer");
  });

  test("changes nothing else in the base", () => {
    const others = (objects: K8sObject[]) =>
      objects.filter(
        (o) => !["Deployment", "Service"].includes(o.kind) && o.metadata.name !== "eni-view-lease",
      );
    assert.deepEqual(others(overlay), others(base));
  });
});
