// Server-side apply's field ownership, driven by the real kubectl: who owns spec.replicas after apply and
// scale, the API server's 409 on a conflicting apply, --force-conflicts, and shared ownership of equal values.
import assert from "node:assert/strict";
import { test } from "node:test";
import { kubectl, kubectlError, kubectlJson, labSim, manifestFile } from "../clientsForTests.ts";
import type { ManagedFieldsEntry } from "./fieldManagers.ts";

const sim = labSim("scale-lab");

const web = (replicas: number, env = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa-web
  labels:
    app: ssa-web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ssa-web
  template:
    metadata:
      labels:
        app: ssa-web
    spec:
      containers:
      - name: web
        image: nginx:alpine
${env}`;

interface Managed {
  spec: { replicas: number };
  metadata: { managedFields: ManagedFieldsEntry[] };
}

async function deployment(): Promise<Managed> {
  return kubectlJson<Managed>(sim(), "get", "deployment", "ssa-web", "--show-managed-fields");
}

/** The managers (name/operation[/subresource]) that own `.spec.replicas`. */
function replicasOwners(d: Managed): string[] {
  return d.metadata.managedFields
    .filter((e) => e.fieldsV1["f:spec"]?.["f:replicas"] !== undefined)
    .map((e) => [e.manager, e.operation, ...(e.subresource ? [e.subresource] : [])].join("/"));
}

test("apply, scale, then a server-side apply of other replicas: 409 from the scaler, --force-conflicts takes it", async () => {
  await kubectl(sim(), "apply", "-f", manifestFile(web(2)));
  let d = await deployment();
  assert.deepEqual(replicasOwners(d), ["kubectl-client-side-apply/Update"]);
  const created = d.metadata.managedFields[0] as ManagedFieldsEntry;
  assert.equal(created.apiVersion, "apps/v1");
  assert.equal(created.fieldsType, "FieldsV1");
  assert.ok(created.fieldsV1["f:metadata"]["f:labels"]["f:app"], "the creator owns the label it set");

  await kubectl(sim(), "scale", "deployment", "ssa-web", "--replicas=4");
  d = await deployment();
  const owners = replicasOwners(d);
  assert.equal(owners.length, 1, `one owner of replicas after scale: ${owners.join(", ")}`);
  const scaler = d.metadata.managedFields.find((e) => e.subresource === "scale") as ManagedFieldsEntry;
  assert.equal(scaler.operation, "Update");
  assert.ok(
    d.metadata.managedFields.some((e) => e.manager === "kubectl-client-side-apply"),
    "the creator keeps the fields the scale did not touch",
  );

  const err = await kubectlError(sim(), "apply", "--server-side", "-f", manifestFile(web(6)));
  assert.match(
    err,
    new RegExp(
      `Apply failed with 1 conflict: conflict with "${scaler.manager}" with subresource "scale" using apps/v1: \\.spec\\.replicas`,
    ),
  );
  assert.match(err, /--force-conflicts/, "kubectl explains how to take the field over");
  assert.equal((await deployment()).spec.replicas, 4, "a refused apply changes nothing");

  // The same value as the scaler: no conflict, both own it.
  await kubectl(sim(), "apply", "--server-side", "-f", manifestFile(web(4)));
  assert.deepEqual(
    replicasOwners(await deployment()).sort(),
    ["kubectl/Apply", `${scaler.manager}/Update/scale`].sort(),
  );

  await kubectl(sim(), "apply", "--server-side", "--force-conflicts", "-f", manifestFile(web(6)));
  d = await deployment();
  assert.equal(d.spec.replicas, 6);
  assert.deepEqual(replicasOwners(d), ["kubectl/Apply"]);
  assert.ok(
    !d.metadata.managedFields.some((e) => e.subresource === "scale"),
    "the scaler owned nothing else",
  );
});

test("set env records kubectl-set's Update; applying another value answers the API server's Conflict status", async () => {
  await kubectl(sim(), "set", "env", "deployment/ssa-web", "MODE=blue");
  const d = await deployment();
  // kubectl set env's own field manager name.
  const setter = d.metadata.managedFields.find(
    (e) => e.manager === "kubectl-set" && e.operation === "Update",
  );
  const env = setter?.fieldsV1["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"web"}']["f:env"];
  assert.ok(env?.['k:{"name":"MODE"}']?.["f:value"], "the env var's value belongs to its setter");
  const config = web(6, "        env:\n        - name: MODE\n          value: green\n");
  const verbose = await kubectlError(sim(), "apply", "--server-side", "-f", manifestFile(config), "-v=9");
  const body = JSON.parse((/Response Body: (\{.*"kind":"Status".*\})/.exec(verbose) ?? [])[1] ?? "{}");
  assert.equal(body.code, 409);
  assert.equal(body.reason, "Conflict");
  const path = '.spec.template.spec.containers[name="web"].env[name="MODE"].value';
  assert.deepEqual(body.details.causes, [
    {
      type: "FieldManagerConflict",
      message: `conflict with "${setter?.manager}" using apps/v1`,
      field: path,
    },
  ]);
  assert.equal(
    body.message,
    `Apply failed with 1 conflict: conflict with "${setter?.manager}" using apps/v1: ${path}`,
  );
  // Another manager with the value already there shares it.
  const same = web(6, "        env:\n        - name: MODE\n          value: blue\n");
  await kubectl(sim(), "apply", "--server-side", "--field-manager=lab-user", "-f", manifestFile(same));
  const shared = (await deployment()).metadata.managedFields.filter(
    (e) =>
      e.fieldsV1["f:spec"]?.["f:template"]?.["f:spec"]?.["f:containers"]?.['k:{"name":"web"}']?.["f:env"],
  );
  assert.deepEqual(shared.map((e) => e.manager).sort(), [setter?.manager, "lab-user"].sort());
});

test("a field an applier drops from its configuration goes, unless another manager still owns it", async () => {
  const env = (vars: string[]) =>
    `        env:\n${vars.map((v) => `        - name: ${v}\n          value: "1"\n`).join("")}`;
  const apply = (vars: string[], manager: string) =>
    kubectl(
      sim(),
      "apply",
      "--server-side",
      `--field-manager=${manager}`,
      "-f",
      manifestFile(web(6, env(vars)).replaceAll("ssa-web", "ssa-prune")),
    );
  await apply(["A", "B", "C"], "team-a");
  await apply(["C"], "team-b");
  await apply(["A"], "team-a");
  const d = await kubectlJson<{
    spec: { template: { spec: { containers: { env: { name: string }[] }[] } } };
  }>(sim(), "get", "deployment", "ssa-prune");
  const names = d.spec.template.spec.containers[0]?.env.map((e) => e.name);
  assert.deepEqual(names, ["A", "C"], "B had only team-a as owner; C is still team-b's");
});
