// The shipped alert rules (deploy/monitoring/eni-view-rules.yaml) checked by Prometheus's own promtool and
// driven by what eni-view's /metrics says about the simulator's fragmented-lab: prefix delegation on, a
// subnet with free addresses but no free /28 (its node's pods wait for an IP). The rule tests are made
// from that scrape: each series held at its scraped value, and a second case with the same series moved
// the way a subnet running dry moves them.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import type { Topology } from "@eni-view/model";
import { type RunningServer, startServer } from "./server.ts";
import { SimSource } from "./sources/simSource.ts";

const run = promisify(execFile);
const rules = new URL("../../../deploy/monitoring/eni-view-rules.yaml", import.meta.url).pathname;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of the families the rules read, from Prometheus text. */
function samples(text: string, families: readonly string[]): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || !families.includes(m[1]!)) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

const seriesName = (s: Sample) =>
  `${s.name}{${Object.entries(s.labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`;

/** A promtool test case: each sample held for 30 minutes at one sample a minute. */
function testCase(input: Sample[], alerts: { alertname: string; exp_alerts: unknown[] }[]): object {
  return {
    interval: "1m",
    input_series: input.map((s) => ({ series: seriesName(s), values: `${s.value}+0x30` })),
    alert_rule_test: alerts.map((a) => ({ eval_time: "15m", ...a })),
  };
}

const families = [
  "eniview_subnet_free_addresses",
  "eniview_subnet_usable_addresses",
  "eniview_subnet_free_blocks28",
  "eniview_subnet_exhaustion_forecast_seconds",
  "eniview_prefix_delegation_enabled",
  "eniview_nodegroup_pods_waiting_for_ip",
  "eniview_source_stale",
];
const alertNames = [
  "EniViewSubnetLowFree",
  "EniViewSubnetExhaustionForecast",
  "EniViewNoFreePrefixBlock",
  "EniViewPodsWaitingForIp",
  "EniViewEc2SourceStale",
];

async function promtool(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run("promtool", args);
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === "ENOENT")
      throw new Error("promtool not found: install Debian's prometheus package (scripts/system-deps.sh)");
    return { code: Number(e.code), out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describe("the alert rules on the simulator's metrics", () => {
  let source: SimSource;
  let server: RunningServer;
  let scraped: Sample[];
  let dir: string;
  let fragmented: Sample;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-alerts-"));
    source = new SimSource({ scenario: "fragmented-lab", speed: 20, ec2IntervalMs: 1500, ec2MinGapMs: 200 });
    server = await startServer(source, {
      host: "127.0.0.1",
      port: 0,
      webDist: null,
      feed: { coalesceMs: 50 },
    });
    // Until the node in the fragmented subnet has pods bound and waiting for an IP.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const t = server.feed.topology() as Topology;
      if (server.feed.isReady() && t.nodes.some((n) => n.podsWaitingForIp > 0)) break;
      if (Date.now() > deadline) throw new Error("no pod ever waited for an IP in fragmented-lab");
      await new Promise((r) => setTimeout(r, 100));
    }
    scraped = samples(await (await fetch(`${server.url}/metrics`)).text(), families);
    const f = scraped.find(
      (s) => s.name === "eniview_subnet_free_blocks28" && s.labels.cidr === "192.168.3.0/24",
    );
    assert.ok(f, "the fragmented subnet's free /28 gauge");
    fragmented = f;
  });
  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("passes promtool check rules", async () => {
    const { code, out } = await promtool("check", "rules", rules);
    assert.equal(code, 0, out);
    assert.match(out, /SUCCESS: 5 rules found/);
  });

  it("prefix delegation fails with InsufficientCidrBlocks in the simulator while the metrics and the served topology say no free /28", () => {
    // The simulator's side: the IPAMD of the node in 192.168.3.0/24 was refused its prefix.
    const t = server.feed.topology();
    const node = t.nodes.find((n) => n.podsWaitingForIp > 0)!;
    const events = source.endpoints!.network.ipamd(node.name)?.events ?? [];
    assert.ok(
      events.some((e) => /InsufficientCidrBlocks/.test(e)),
      `${node.name}: ${events.slice(-3).join(" | ")}`,
    );
    // What eni-view says: the gauge, the subnet's counts and the warning the page and the report show.
    assert.equal(fragmented.value, 0);
    const subnet = t.subnets.find((s) => s.id === fragmented.labels.subnet)!;
    assert.equal(subnet.space?.freeBlocks28, 0);
    assert.ok(
      t.warnings.some(
        (w) => w.includes(`${subnet.id}`) && /has no free \/28 .*InsufficientCidrBlocks/.test(w),
      ),
    );
    const free = scraped.find(
      (s) => s.name === "eniview_subnet_free_addresses" && s.labels.subnet === fragmented.labels.subnet,
    );
    assert.ok((free?.value ?? 0) > 200, `${free?.value} free addresses`);
  });

  it("promtool test rules: the scrape fires no free /28 and pods waiting; a subnet running dry fires the rest", async () => {
    const subnet = fragmented.labels;
    const waiting = scraped.filter((s) => s.name === "eniview_nodegroup_pods_waiting_for_ip" && s.value > 0);
    assert.ok(waiting.length > 0);
    const held = testCase(scraped, [
      {
        alertname: "EniViewNoFreePrefixBlock",
        exp_alerts: [
          {
            exp_labels: { severity: "critical", ...subnet },
            exp_annotations: {
              summary: `Subnet ${subnet.cidr} (${subnet.zone}) has no free /28 left, with prefix delegation on`,
              description: `No aligned /28 of ${subnet.subnet} is wholly free: IPAMD's next prefix there fails with InsufficientCidrBlocks even if single addresses are free.`,
              runbook_url: "docs/runbook.md#eniviewnofreeprefixblock",
            },
          },
        ],
      },
      {
        alertname: "EniViewPodsWaitingForIp",
        exp_alerts: waiting.map((w) => ({
          exp_labels: { severity: "warning", ...w.labels },
          exp_annotations: {
            summary: `Pods in node group ${w.labels.node_group} have waited for an IP for 5 minutes`,
            description: `${w.value} pod(s) bound to nodes of ${w.labels.node_group} have no IP (ContainerCreating: failed to assign an IP address to container).`,
            runbook_url: "docs/runbook.md#eniviewpodswaitingforip",
          },
        })),
      },
      ...["EniViewSubnetLowFree", "EniViewSubnetExhaustionForecast", "EniViewEc2SourceStale"].map(
        (alertname) => ({
          alertname,
          exp_alerts: [],
        }),
      ),
    ]);
    // The same series as a subnet running dry: 20 of 251 addresses free, 40 minutes left at the current
    // rate, and EC2 unreadable.
    const dry = scraped.map((s) => {
      if (s.labels.subnet === subnet.subnet && s.name === "eniview_subnet_free_addresses")
        return { ...s, value: 20 };
      if (s.name === "eniview_source_stale" && s.labels.source === "ec2") return { ...s, value: 1 };
      return s;
    });
    dry.push({ name: "eniview_subnet_exhaustion_forecast_seconds", labels: subnet, value: 2400 });
    const dryCase = testCase(dry, [
      {
        alertname: "EniViewSubnetLowFree",
        exp_alerts: [
          {
            exp_labels: { severity: "warning", ...subnet },
            exp_annotations: {
              summary: `Subnet ${subnet.cidr} (${subnet.zone}) has under 10 % of its addresses free`,
              description: `7.968% of ${subnet.subnet}'s usable addresses are free; new ENIs and pod IPs there will soon fail with InsufficientFreeAddressesInSubnet.`,
              runbook_url: "docs/runbook.md#eniviewsubnetlowfree",
            },
          },
        ],
      },
      {
        alertname: "EniViewSubnetExhaustionForecast",
        exp_alerts: [
          {
            exp_labels: { severity: "warning", ...subnet },
            exp_annotations: {
              summary: `Subnet ${subnet.cidr} (${subnet.zone}) runs out of addresses within the hour at this rate`,
              description: `At the rate its free addresses fell over the forecast window, ${subnet.subnet} has no free address in 40m 0s.`,
              runbook_url: "docs/runbook.md#eniviewsubnetexhaustionforecast",
            },
          },
        ],
      },
      {
        alertname: "EniViewEc2SourceStale",
        exp_alerts: [
          {
            exp_labels: { severity: "warning", source: "ec2" },
            exp_annotations: {
              summary: "eni-view's EC2 data is stale",
              description:
                "eni-view has not read EC2 successfully for 5 minutes (throttled, denied or unreachable): its subnet and ENI figures, and the alerts on them, are out of date.",
              runbook_url: "docs/runbook.md#eniviewec2sourcestale",
            },
          },
        ],
      },
    ]);
    const file = join(dir, "alerts.test.json");
    // promtool reads YAML, of which JSON is a part.
    await writeFile(
      file,
      JSON.stringify({ rule_files: [rules], evaluation_interval: "1m", tests: [held, dryCase] }),
    );
    const { code, out } = await promtool("test", "rules", file);
    assert.equal(code, 0, out);
    // Every alert of the file is in these two cases.
    const defined = [...(await readFile(rules, "utf8")).matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    assert.deepEqual(defined.sort(), [...alertNames].sort());
  });
});
