// deploy/monitoring: the plain rules file and the PrometheusRule hold the same alerts, the ServiceMonitor
// scrapes the Service eni-view ships, every metric the rules and the Grafana dashboard read is one the
// server exposes, the dashboard's queries parse as PromQL, and each alert has its runbook section.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { load } from "js-yaml";
import { find, type K8sObject, kustomize } from "./checks.ts";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("..", import.meta.url));
const dir = join(repo, "deploy/monitoring");

interface Rule {
  alert: string;
  expr: string;
  annotations: { runbook_url: string };
}

/** Every eniview_* name the server's /metrics code registers (histograms with their series suffixes). */
async function exposedMetrics(): Promise<Set<string>> {
  const root = join(repo, "apps/server/src");
  const names = new Set<string>();
  const files = (await readdir(root, { recursive: true })).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
  );
  for (const f of files) {
    const text = await readFile(join(root, f), "utf8");
    for (const m of text.matchAll(/["`](eniview_\w+)["`]/g)) names.add(m[1]!);
    for (const m of text.matchAll(/`eniview_(cluster|nodegroup)_\$\{name\}`/g))
      names.add(`eniview_${m[1]}_*`);
  }
  for (const n of [...names]) for (const s of ["_bucket", "_sum", "_count"]) names.add(n + s);
  return names;
}

function known(metric: string, exposed: Set<string>): boolean {
  if (exposed.has(metric)) return true;
  return [...exposed].some((n) => n.endsWith("_*") && metric.startsWith(n.slice(0, -1)));
}

const metricsIn = (expr: string) => [...expr.matchAll(/\b(eniview_\w+)/g)].map((m) => m[1]!);

describe("deploy/monitoring", () => {
  let plain: Rule[];
  let objects: K8sObject[];
  before(async () => {
    const doc = load(await readFile(join(dir, "eni-view-rules.yaml"), "utf8")) as {
      groups: { rules: Rule[] }[];
    };
    plain = doc.groups.flatMap((g) => g.rules);
    objects = await kustomize(dir);
  });

  test("the PrometheusRule carries exactly the plain file's groups", async () => {
    const doc = load(await readFile(join(dir, "eni-view-rules.yaml"), "utf8")) as { groups: unknown };
    const rule = find(objects, "PrometheusRule", "eni-view", "eni-view");
    assert.deepEqual((rule.spec as { groups: unknown }).groups, doc.groups);
  });

  test("the ServiceMonitor scrapes /metrics on the port and labels of the shipped Service", async () => {
    const service = find(await kustomize(join(repo, "deploy")), "Service", "eni-view", "eni-view");
    const sm = find(objects, "ServiceMonitor", "eni-view", "eni-view");
    const spec = sm.spec as {
      selector: { matchLabels: Record<string, string> };
      endpoints: { port: string; path: string }[];
    };
    const svcSpec = service.spec as { ports: { name: string }[] };
    for (const [k, v] of Object.entries(spec.selector.matchLabels))
      assert.equal(service.metadata.labels?.[k], v);
    assert.deepEqual(
      spec.endpoints.map((e) => [e.port, e.path]),
      [[svcSpec.ports[0]!.name, "/metrics"]],
    );
  });

  test("the rules and the dashboard read only metrics the server exposes", async () => {
    const exposed = await exposedMetrics();
    assert.ok(exposed.has("eniview_subnet_free_blocks28"), "the scan finds the server's metric names");
    const dashboard = JSON.parse(await readFile(join(dir, "grafana-dashboard.json"), "utf8")) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exprs = [
      ...plain.map((r) => [r.alert, r.expr] as const),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => [p.title, t.expr] as const)),
    ];
    for (const [where, expr] of exprs) {
      const metrics = metricsIn(expr);
      assert.ok(metrics.length > 0, `${where}: ${expr}`);
      for (const m of metrics) assert.ok(known(m, exposed), `${where}: ${m} is not exposed by the server`);
    }
  });

  test("the dashboard's queries are PromQL promtool accepts", async () => {
    const dashboard = JSON.parse(await readFile(join(dir, "grafana-dashboard.json"), "utf8")) as {
      panels: { targets: { expr: string }[] }[];
    };
    // Each query as a recording rule, with the dashboard's $subnet variable as Grafana sends "All".
    const rules = dashboard.panels
      .flatMap((p) => p.targets)
      .map((t, i) => ({ record: `eniview:dashboard_query_${i}`, expr: t.expr.replaceAll("$subnet", ".*") }));
    const tmp = await mkdtemp(join(tmpdir(), "eni-view-dashboard-"));
    try {
      const file = join(tmp, "queries.json");
      await writeFile(file, JSON.stringify({ groups: [{ name: "dashboard", rules }] }));
      const { stdout } = await run("promtool", ["check", "rules", file]);
      assert.match(stdout, new RegExp(`SUCCESS: ${rules.length} rules found`));
    } finally {
      await rm(tmp, { recursive: true });
    }
  });

  test("every alert points at its own section of docs/runbook.md", async () => {
    const runbook = await readFile(join(repo, "docs/runbook.md"), "utf8");
    for (const r of plain) {
      assert.equal(r.annotations.runbook_url, `docs/runbook.md#${r.alert.toLowerCase()}`);
      assert.match(runbook, new RegExp(`^## ${r.alert}$`, "m"), `a section for ${r.alert}`);
    }
  });
});
