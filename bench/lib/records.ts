// What the benchmark writes: one record per measurement and size, each with the median (or the named
// percentile) of several runs, its min and max, and pass/fail where the issue sets a target.
import type { Summary } from "./stats.ts";

export interface BenchRecord {
  /** "group: measure", e.g. "server: pod change -> SSE delta p95". */
  name: string;
  /** Nodes in the simulated cluster. */
  size: number;
  value: number;
  unit: string;
  min: number;
  max: number;
  runs: number;
  /** Upper bound the value must not exceed at this size. */
  target?: number;
  pass?: boolean;
  /** What was measured, when the name alone does not say it. */
  note?: string;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  chromium: string | null;
  /** os.loadavg() when the run started and when it ended. */
  loadAverageStart: number[];
  loadAverageEnd: number[];
  gitCommit: string;
  gitDirty: boolean;
  date: string;
  command: string;
  durationSeconds: number;
}

export interface BenchResults {
  machine: MachineInfo;
  sizes: number[];
  podsPerNode: number;
  records: BenchRecord[];
  /** Parts that could not be measured, with the reason (the run goes on without them). */
  errors: string[];
}

/** Targets from issue 6, as upper bounds by size. They are set for 5,000 nodes; a smaller cluster must meet
 * them too, and the frame target is 16 ms up to 500 nodes. */
export function targetFor(name: string, size: number): number | undefined {
  switch (name) {
    case "model: topology compute":
      return 150;
    case "server: pod change -> SSE delta p95":
    case "server: pod change -> SSE delta p95, while aws-node rolls":
    case "server: pod change -> SSE delta p95, while a plan runs":
      return 1000;
    // Issue 10: the labs' real clusters run a scaled Deployment's new pods within about a minute.
    case "labs: kubectl apply 100 replicas -> all Running, simulated":
      return 60;
    // Issue 13: a plan of 5,000 nodes scaling one workload by 1,000 pods over 5 seeds.
    case "plan: scale one workload by 1,000 pods, 5 seeds":
      return 2000;
    case "server: one-pod delta on the wire":
      return 2048;
    case "server: first snapshot, gzip":
      return 4 * 1024 * 1024;
    case "server: peak RSS":
      return 700 * 1024 * 1024;
    // The Deployment's memory limit (deploy/base/deployment.yaml, 1536Mi): past it the pod is killed.
    case "load: RSS peak, topology burst (br)":
    case "load: RSS peak, topology burst (gzip)":
    case "load: RSS peak, topology burst (identity)":
    case "load: RSS peak, reconnect storm":
    case "load: RSS peak, viewers that never read":
      return 1536 * 1024 * 1024;
    // The issue's bound: well inside the probe's 2 s timeout.
    case "load: /livez beside slowloris sockets, max":
      return 100;
    // Issue 15: any moment of a recording on screen within half a second; the recorder at most a tenth
    // of the server's CPU; the ring never past its bound.
    case "recording: seek to a random moment, worst":
      return 500;
    case "recording: recorder CPU against the server's":
      return 10;
    case "recording: ring peak against its bound":
      return 100;
    case "ec2: calls per full refresh":
      return 30;
    // Issue 19: 20,000 nodes live on one replica (applied at every scale size), EC2 within its budget.
    case "scale: server start -> ready":
      return 60_000;
    case "scale: server peak RSS":
      return 2 * 1024 ** 3;
    case "scale: pod change -> SSE delta p95":
      return 1000;
    case "scale: server heap kept per pod":
      return 1024;
    case "scale: EC2 calls per minute":
      return 120;
    // Issue 19.4: the page on the overview stream at 100,000 nodes.
    case "page: overview, data -> first complete drawing":
      return 3000;
    case "page: pan/zoom frame p95":
      return 33;
    case "page: zoom to a node -> its ENIs and pods drawn p95":
      return 300;
    case "page: live update applied p50":
      return 100;
    case "browser: subnet view of a /16 drawn":
      return 200;
    case "browser: data -> first complete drawing":
    case "browser, heat map and problems on: data -> first complete drawing":
      return 2000;
    case "browser: pan/zoom frame p95":
    case "browser, heat map and problems on: pan/zoom frame p95":
      return size <= 500 ? 16 : 33;
    case "browser: live update applied p50":
    case "browser, heat map and problems on: live update from the server applied p50":
      return 100;
    case "browser: zoom to a search match p95":
      return 100;
    case "browser: JS heap growth over 1,000 updates":
      return 10;
    // Issue 17: what `npx eni-view` downloads, and how soon it serves.
    case "package: npm tarball":
      return 15 * 1024 * 1024;
    case "package: npx eni-view start -> listening":
      return 5000;
    default:
      return undefined;
  }
}

export function makeRecord(name: string, size: number, unit: string, s: Summary, note?: string): BenchRecord {
  const target = targetFor(name, size);
  const r: BenchRecord = { name, size, value: s.value, unit, min: s.min, max: s.max, runs: s.runs };
  if (target !== undefined) {
    r.target = target;
    r.pass = s.value <= target;
  }
  if (note) r.note = note;
  return r;
}

/** Problems with a results file; empty when every record is well formed. */
export function validateResults(results: BenchResults): string[] {
  const problems: string[] = [];
  const m = results.machine;
  if (!(m.cpus > 0) || !(m.memoryBytes > 0) || !m.node || !m.gitCommit)
    problems.push("machine info incomplete (cpus, memory, node version, git commit)");
  if (m.loadAverageStart.length !== 3 || m.loadAverageEnd.length !== 3)
    problems.push("load averages missing");
  const seen = new Set<string>();
  for (const r of results.records) {
    const where = `${r.name} @ ${r.size}`;
    if (seen.has(where)) problems.push(`${where}: measured twice`);
    seen.add(where);
    if (!r.name || !r.unit) problems.push(`${where}: name or unit missing`);
    if (!results.sizes.includes(r.size)) problems.push(`${where}: size not among the sizes run`);
    for (const k of ["value", "min", "max"] as const)
      if (!Number.isFinite(r[k])) problems.push(`${where}: ${k} is not a finite number`);
    if (!(r.min <= r.value && r.value <= r.max)) problems.push(`${where}: value outside [min, max]`);
    if (!(Number.isInteger(r.runs) && r.runs >= 1))
      problems.push(`${where}: runs must be a whole number >= 1`);
    if (r.target !== undefined && r.pass !== r.value <= r.target) problems.push(`${where}: pass disagrees`);
  }
  return problems;
}

const units: Record<string, (v: number) => string> = {
  ms: (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)),
  bytes: (v) =>
    v >= 1024 * 1024
      ? `${(v / 1024 / 1024).toFixed(1)} MB`
      : v >= 1024
        ? `${(v / 1024).toFixed(1)} KB`
        : `${v} B`,
  "%": (v) => `${v.toFixed(1)}`,
};

export function formatValue(v: number, unit: string): string {
  const f = units[unit];
  if (f) return f(v);
  return Number.isInteger(v) ? v.toLocaleString("en-US") : v.toFixed(v >= 100 ? 0 : 1);
}

function unitLabel(unit: string): string {
  return unit === "bytes" ? "" : unit;
}

/** One row per measure, one column per size: "median (min–max)", and ✗ where the target is missed. */
export function markdownTable(results: BenchResults): string {
  const names = [...new Set(results.records.map((r) => r.name))];
  const sizes = results.sizes;
  const head = `| measure | unit | ${sizes.map((s) => `${s.toLocaleString("en-US")} nodes`).join(" | ")} | target |`;
  const rule = `|---|---|${sizes.map(() => "---:").join("|")}|---|`;
  const rows = names.map((name) => {
    const cells = sizes.map((size) => {
      const r = results.records.find((x) => x.name === name && x.size === size);
      if (!r) return "–";
      const range =
        r.runs > 1 && r.min !== r.max ? ` (${formatValue(r.min, r.unit)}–${formatValue(r.max, r.unit)})` : "";
      const mark = r.pass === undefined ? "" : r.pass ? " ✓" : " **✗**";
      return `${formatValue(r.value, r.unit)}${range}${mark}`;
    });
    const any = results.records.find((x) => x.name === name);
    const top = results.records.find(
      (x) => x.name === name && x.target !== undefined && x.size === Math.max(...sizes),
    );
    const targets = [
      ...new Set(
        results.records.filter((x) => x.name === name && x.target !== undefined).map((x) => x.target!),
      ),
    ];
    const target =
      targets.length === 0
        ? ""
        : `≤ ${targets.map((t) => formatValue(t, any?.unit ?? "")).join(" / ")}${top ? "" : ""}`;
    return `| ${name} | ${unitLabel(any?.unit ?? "")} | ${cells.join(" | ")} | ${target} |`;
  });
  return [head, rule, ...rows].join("\n");
}

export function machineLine(m: MachineInfo): string {
  return [
    `${m.cpus} × ${m.cpuModel}`,
    `${(m.memoryBytes / 1024 ** 3).toFixed(1)} GB RAM`,
    `Node ${m.node}`,
    m.chromium ? `Chromium ${m.chromium}` : "no Chromium",
    `load average ${m.loadAverageStart.map((x) => x.toFixed(2)).join(" ")} at start, ${m.loadAverageEnd.map((x) => x.toFixed(2)).join(" ")} at end`,
    `commit ${m.gitCommit.slice(0, 12)}${m.gitDirty ? " (with uncommitted changes)" : ""}`,
    `${m.date}`,
    `${Math.round(m.durationSeconds)} s`,
  ].join(", ");
}
