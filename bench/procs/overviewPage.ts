// The real server (overview stream, search, node sets) serving the built dashboard on a cluster the
// simulator cannot hold on this machine: the synthetic topology of apps/web/src/dev/synthetic.ts (m5.xlarge
// and c5.xlarge nodes over three zones, their ENIs as IPAMD leaves them with WARM_ENI_TARGET=1), made
// directly rather than built from a model input (100,000 nodes in about 3 s of CPU, where eksCluster and
// buildReport take 40), and pods added on named nodes on request, through the same feed and stream.
// Forked by bench/phases/page.ts and e2e/tests/overview-100k.spec.ts:
//   node bench/procs/overviewPage.ts NODES PODS_PER_NODE WEB_DIST [OVERVIEW_FROM_NODES]
//   (IPC: ready {url}; addPod {node} -> {pod}). OVERVIEW_FROM_NODES moves the server's line (a number past
//   NODES sends the page the whole snapshot, for the comparison that chose the line).
import { resolve } from "node:path";
import {
  type ClusterInput,
  lowerBound,
  type NodeReport,
  type PodReport,
  podKey,
  type Report,
  type Topology,
} from "@eni-view/model";
import { startServer } from "../../apps/server/src/server.ts";
import { emptyCounters, type Source, type SourceSnapshot } from "../../apps/server/src/sources/source.ts";
import { emptyInput } from "../../apps/server/src/topologyFeed.ts";
import { syntheticTopology } from "../../apps/web/src/dev/synthetic.ts";

const [nodesArg, perNodeArg, webDist, lineArg] = process.argv.slice(2);
const nodes = Number(nodesArg);
const perNode = Number(perNodeArg ?? 8);
if (!(nodes > 0) || !webDist)
  throw new Error("usage: node bench/procs/overviewPage.ts NODES PODS_PER_NODE WEB_DIST");

/** A source with nothing to read: the feed is handed the topology as it stands (TopologyFeed's `build`). */
class StandingSource implements Source {
  readonly kind = "synthetic";
  private input: ClusterInput = emptyInput();
  private onChange: () => void = () => {};
  private readonly status = {
    stale: false,
    error: null,
    since: null,
    lastSuccess: new Date().toISOString(),
  };
  async start(onChange: () => void): Promise<void> {
    this.onChange = onChange;
  }
  /** The feed rebuilds only for a new input object: a fresh (still empty) one says something changed. */
  changed(): void {
    this.input = { ...this.input };
    this.onChange();
  }
  snapshot(): SourceSnapshot {
    return { input: this.input, sources: { kubernetes: this.status }, ready: true, loaded: true };
  }
  progress() {
    return [];
  }
  counters() {
    return emptyCounters();
  }
  async stop(): Promise<void> {}
}

const t0 = performance.now();
const generated = syntheticTopology({ nodes, podsPerNode: perNode, clusterName: `synthetic-${nodes}` });
// A report lists its pods in key order (the reflector keeps them so, buildReport keeps that order), and the
// stream's diff walks two such lists in step; the synthetic cluster lists them node by node, which made
// every pod added cost a diff that keys and maps all 800,000 (3.4 s of CPU, not what a live server spends).
const keys = generated.pods.map(podKey);
const order = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
let current: Topology = { ...generated, pods: order.map((i) => generated.pods[i]!) };
const generatedMs = performance.now() - t0;

/** The topology with one more pod on `name`, in its first warm slot and at its place in the pod list; the
 * rest shared, as a rebuild shares. */
function addPod(t: Topology, name: string, pod: string): Topology {
  const i = t.nodes.findIndex((n) => n.name === name);
  const node = t.nodes[i];
  if (!node) throw new Error(`no node ${name}`);
  const e = node.enis.findIndex((x) => x.slots.some((s) => s.pod === null));
  if (e < 0) throw new Error(`${name} has no warm IP left`);
  const eni = node.enis[e]!;
  const si = eni.slots.findIndex((s) => s.pod === null);
  const slot = eni.slots[si]!;
  const key = `default/${pod}`;
  const enis = node.enis.slice();
  enis[e] = {
    ...eni,
    slots: eni.slots.map((s, k) => (k === si ? { ...s, pod: key } : s)),
    ipsUsed: eni.ipsUsed + 1,
    ipsWarm: eni.ipsWarm - 1,
  };
  const changed: NodeReport = {
    ...node,
    enis,
    ipsUsed: node.ipsUsed + 1,
    ipsWarm: node.ipsWarm - 1,
    pods: node.pods + 1,
    podsRunning: node.podsRunning + 1,
  };
  const added: PodReport = {
    namespace: "default",
    name: pod,
    node: name,
    ip: slot.ip,
    eni: eni.id,
    phase: "Running",
    status: "Running",
    owner: "Deployment/live",
    labels: { app: "live" },
  };
  const list = t.nodes.slice();
  list[i] = changed;
  const at = lowerBound(t.pods, key, podKey);
  return { ...t, nodes: list, pods: [...t.pods.slice(0, at), added, ...t.pods.slice(at)] };
}

const source = new StandingSource();
const server = await startServer(source, {
  host: "127.0.0.1",
  port: 0,
  // A path given by hand may be relative; the static files' root must not be.
  webDist: resolve(webDist),
  feed: { build: () => current as Report, coalesceMs: 20 },
  ...(lineArg ? { overviewFromNodes: Number(lineArg) } : {}),
});
while (!server.feed.isReady()) await new Promise((r) => setTimeout(r, 20));
const readyMs = performance.now() - t0;
let added = 0;

process.on("message", (m: { type: string; id: number; node?: string }) => {
  const reply = (body: object) => process.send?.({ type: "reply", id: m.id, ...body });
  if (m.type === "stop") {
    void server.close().then(() => process.exit(0));
    return;
  }
  try {
    if (m.type === "addPod") {
      const pod = `live-${++added}`;
      current = addPod(current, m.node ?? "", pod);
      source.changed();
      reply({ pod: `default/${pod}` });
    } else reply({ error: `unknown request ${m.type}` });
  } catch (e) {
    reply({ error: (e as Error).message });
  }
});
const cpu = process.cpuUsage();
// Run by hand (no IPC channel): the address to open or ask.
if (!process.send) console.log(server.url);
process.send?.({
  type: "ready",
  url: server.url,
  generatedMs,
  readyMs,
  // CPU to get here: on a loaded machine the wall times above say more about the load than the work.
  cpuMs: (cpu.user + cpu.system) / 1000,
  pods: current.pods.length,
});
