// GET /metrics: how eni-view itself is doing (refresh durations, EC2 calls and throttles, watch
// restarts, viewers), the process and Node.js metrics prom-client collects, and the cluster's figures an
// operator alerts on (clusterMetrics.ts). Every value is read from the feed when Prometheus scrapes.
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { SharedCompression } from "../routes/sharedCompression.ts";
import type { TopologyFeed } from "../topologyFeed.ts";
import type { BuildInfo } from "../version.ts";
import { clusterMetrics } from "./clusterMetrics.ts";
import { subnetMetrics } from "./subnetMetrics.ts";

let processRegistry: Registry | null = null;

/** One registry of process metrics per process: their collectors (event-loop delay, GC observer) are
 * installed once however many apps a test builds. */
function processMetrics(): Registry {
  if (processRegistry === null) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A counter whose values come from a record kept elsewhere, set afresh at each scrape. */
function counterFrom(
  registry: Registry,
  name: string,
  help: string,
  labelName: string,
  values: () => Record<string, number>,
): void {
  new Counter({
    name,
    help,
    labelNames: [labelName],
    registers: [registry],
    collect() {
      this.reset();
      for (const [label, v] of Object.entries(values())) this.inc({ [labelName]: label }, v);
    },
  });
}

function simpleGauge(registry: Registry, name: string, help: string, value: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(value());
    },
  });
}

/** A counter over a record keyed "a/b": the two parts are its two labels. */
function keyedCounter(
  registry: Registry,
  name: string,
  help: string,
  labels: [string, string],
  values: () => Record<string, number>,
): void {
  new Counter({
    name,
    help,
    labelNames: labels,
    registers: [registry],
    collect() {
      this.reset();
      for (const [key, v] of Object.entries(values())) {
        const [a = "", b = ""] = key.split("/");
        this.inc({ [labels[0]]: a, [labels[1]]: b }, v);
      }
    },
  });
}

function simpleCounter(registry: Registry, name: string, help: string, value: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(value());
    },
  });
}

export function metricsRegistry(
  feed: TopologyFeed,
  compression?: SharedCompression,
  build?: Promise<BuildInfo>,
): Registry {
  const r = new Registry();
  if (build) {
    // The usual *_build_info form: always 1, the build in its labels, so a query can join on it.
    new Gauge({
      name: "eniview_build_info",
      help: "The running eni-view: its version, the commit it was built from and the Node.js it runs on.",
      labelNames: ["version", "commit", "nodejs"],
      registers: [r],
      async collect() {
        const b = await build;
        this.reset();
        this.set({ version: b.version, commit: b.commit ?? "unknown", nodejs: b.node }, 1);
      },
    });
  }
  if (compression) {
    counterFrom(
      r,
      "eniview_topology_compressions_total",
      "Compressions of /api/topology by form:encoding (one serves every request at once).",
      "body",
      () => Object.fromEntries(compression.started),
    );
  }
  const counters = () => feed.source.counters();
  r.registerMetric(counters().refreshSeconds);
  r.registerMetric(feed.stats.buildSeconds);
  simpleCounter(
    r,
    "eniview_build_failures_total",
    "Topology builds that failed (the last good one is kept).",
    () => feed.stats.buildFailures,
  );
  counterFrom(
    r,
    "eniview_ec2_calls_total",
    "EC2 API calls made, retries included.",
    "action",
    () => counters().ec2Calls,
  );
  counterFrom(
    r,
    "eniview_ec2_throttles_total",
    "EC2 calls answered RequestLimitExceeded.",
    "action",
    () => counters().ec2Throttles,
  );
  counterFrom(
    r,
    "eniview_ec2_errors_total",
    "EC2 calls that failed for any reason.",
    "action",
    () => counters().ec2Errors,
  );
  simpleCounter(
    r,
    "eniview_ec2_refreshes_total",
    "EC2 refresh rounds finished.",
    () => counters().ec2Refreshes,
  );
  simpleGauge(
    r,
    "eniview_ec2_calls_last_refresh",
    "EC2 calls the last finished refresh made.",
    () => counters().ec2CallsLastRefresh,
  );
  keyedCounter(
    r,
    "eniview_watch_restarts_total",
    "Kubernetes list+watch restarts by resource and reason (gone, closed, quiet, error).",
    ["resource", "reason"],
    () => counters().watchRestarts,
  );
  // The EC2 budget: absent for a source that calls no EC2 (a capture folder).
  const budget = () => counters().ec2Budget?.() ?? null;
  const budgetGauge = (
    name: string,
    help: string,
    value: (b: NonNullable<ReturnType<typeof budget>>) => number | null,
  ) =>
    new Gauge({
      name,
      help,
      registers: [r],
      collect() {
        this.reset();
        const b = budget();
        const v = b === null ? null : value(b);
        if (v !== null) this.set(v);
      },
    });
  budgetGauge(
    "eniview_ec2_budget_calls_per_minute",
    "EC2 Describe calls eni-view allows itself in any minute (a share of EC2's refill of 20 a second).",
    (b) => b.perMinute,
  );
  budgetGauge(
    "eniview_ec2_calls_last_minute",
    "EC2 calls made in the last 60 seconds, retries included.",
    (b) => b.callsLastMinute,
  );
  budgetGauge(
    "eniview_ec2_incremental",
    "1 while EC2 is read incrementally (changed nodes at once, the rest in a sweep), 0 while every refresh describes everything.",
    (b) => (b.incremental ? 1 : 0),
  );
  budgetGauge(
    "eniview_ec2_sweep_duration_seconds",
    "How long the last complete incremental sweep took.",
    (b) => b.lastSweepSeconds,
  );
  budgetGauge(
    "eniview_ec2_oldest_data_age_seconds",
    "Age of the oldest ENI data shown, while EC2 is read incrementally.",
    (b) => b.oldestDataSeconds,
  );
  keyedCounter(
    r,
    "eniview_kube_initial_lists_total",
    "Complete initial states read by resource and method: watch-list (a streaming list, WatchList) or list (pages).",
    ["resource", "method"],
    () => counters().initialLists,
  );
  simpleGauge(r, "eniview_viewers", "Browsers connected to the stream.", () => feed.viewers);
  simpleCounter(r, "eniview_topology_seq", "Changes published since start.", () => feed.topology().seq);
  new Gauge({
    name: "eniview_source_stale",
    help: "1 when a source's data is stale or its last read failed.",
    labelNames: ["source"],
    registers: [r],
    collect() {
      this.reset();
      for (const [source, s] of Object.entries(feed.topology().sources))
        this.set({ source }, s?.stale ? 1 : 0);
    },
  });
  clusterMetrics(r, () => feed.topology());
  subnetMetrics(r, () => feed.topology());
  return Registry.merge([processMetrics(), r]);
}
