// GET /metrics: how eni-view itself is doing (refresh durations, EC2 calls and throttles, watch
// restarts, viewers) plus the cluster totals, so the same numbers can be graphed outside the dashboard.
import { PromWriter } from "./promText.ts";
import type { TopologyFeed } from "./topologyFeed.ts";

export function renderMetrics(feed: TopologyFeed): string {
  const w = new PromWriter();
  const c = feed.source.counters();
  const t = feed.topology();
  w.family(
    "eniview_refresh_duration_seconds",
    "histogram",
    "Duration of source refreshes (an EC2 round, a Kubernetes relist, a capture read).",
    c.refreshSeconds.lines("eniview_refresh_duration_seconds", "source"),
  );
  w.family(
    "eniview_build_duration_seconds",
    "histogram",
    "Duration of each step of a topology rebuild: reading the input, the report, the delta.",
    feed.stats.buildSeconds.lines("eniview_build_duration_seconds", "stage"),
  );
  w.simple(
    "eniview_build_failures_total",
    "counter",
    "Topology builds that failed (the last good one is kept).",
    feed.stats.buildFailures,
  );
  w.labelled(
    "eniview_ec2_calls_total",
    "counter",
    "EC2 API calls made, retries included.",
    "action",
    c.ec2Calls,
  );
  w.labelled(
    "eniview_ec2_throttles_total",
    "counter",
    "EC2 calls answered RequestLimitExceeded.",
    "action",
    c.ec2Throttles,
  );
  w.labelled(
    "eniview_ec2_errors_total",
    "counter",
    "EC2 calls that failed for any reason.",
    "action",
    c.ec2Errors,
  );
  w.simple("eniview_ec2_refreshes_total", "counter", "EC2 refresh rounds finished.", c.ec2Refreshes);
  w.simple(
    "eniview_ec2_calls_last_refresh",
    "gauge",
    "EC2 calls the last finished refresh made.",
    c.ec2CallsLastRefresh,
  );
  w.family(
    "eniview_watch_restarts_total",
    "counter",
    "Kubernetes list+watch restarts by resource and reason (gone, closed, quiet, error).",
    Object.entries(c.watchRestarts).map(([key, v]) => {
      const [resource, reason] = key.split("/");
      return `eniview_watch_restarts_total{resource="${resource}",reason="${reason}"} ${v}`;
    }),
  );
  w.simple("eniview_viewers", "gauge", "Browsers connected to the stream.", feed.viewers);
  w.simple("eniview_topology_seq", "counter", "Changes published since start.", t.seq);
  w.family(
    "eniview_source_stale",
    "gauge",
    "1 when a source's data is stale or its last read failed.",
    Object.entries(t.sources).map(
      ([name, s]) => `eniview_source_stale{source="${name}"} ${s?.stale ? 1 : 0}`,
    ),
  );
  const s = t.summary;
  w.simple("eniview_cluster_nodes", "gauge", "Nodes in the cluster.", s.nodes);
  w.simple("eniview_cluster_enis_attached", "gauge", "ENIs attached to the nodes.", s.enisAttached);
  w.simple("eniview_cluster_enis_possible", "gauge", "ENIs the nodes' instance types allow.", s.enisPossible);
  w.simple("eniview_cluster_ips_assigned", "gauge", "Pod IPs assigned to ENIs (the pool).", s.ipsAssigned);
  w.simple("eniview_cluster_ips_used", "gauge", "Pool IPs held by pods.", s.ipsUsed);
  w.simple("eniview_cluster_ips_warm", "gauge", "Pool IPs assigned but free.", s.ipsWarm);
  w.simple("eniview_cluster_pods_running", "gauge", "Pods running.", s.podsRunning);
  w.simple("eniview_cluster_pods_pending", "gauge", "Pods not running, with a reason.", s.pendingPods);
  return w.text();
}
