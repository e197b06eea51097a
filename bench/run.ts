// npm run bench: eni-view measured on the simulator's `large` scenario at several cluster sizes.
// For each size: the simulator in one process, the server (as `eni-view serve` runs it) in another, the
// measurements from this one; then headless Chromium against the same server. Writes bench/results.json and
// bench/results.md. Targets are reported as pass/fail; the command fails only when a part cannot run.
//
//   node bench/run.ts [--sizes 100,1000,5000] [--pods-per-node 30]
//                     [--skip browser,server,load,model,package,labs,recording,scale,plan,page]
//                     [--only PART,...] [--nodes 10000,20000,100000] [--out DIR] [--web-dist DIR] [--keep-input DIR] [--smoke]
// --only scale --nodes 20000: the server past 5,000 nodes (bench/phases/scale.ts) at that size alone; the
// scale sizes are 10,000 and 20,000 nodes at 30 pods per node and 100,000 at 8 (--pods-per-node overrides);
// --scale-source generated feeds the server generated streams instead of the simulator.
// --only page: the page on the overview stream (bench/phases/page.ts) at 10,000, 20,000 and 100,000 nodes
// (or --nodes), on synthetic clusters; at 20,000 and below the whole snapshot too.
// --only package: the npm package alone (tarball size, npx cold start on the simulator), no cluster sizes;
// an --only run writes results.<parts>.json and .md (bench/results.package.md), leaving the full run's.
// --smoke: 20 nodes, few runs, results in a temporary directory (unless --out), then checks the records are
// well formed; it skips the package part (e2e/tests/package.spec.ts installs the same tarball). Speeds are
// never asserted. --keep-input DIR keeps the ClusterInput the model was timed on
// (input-<size>.json), for profiling: node --cpu-prof --expose-gc bench/procs/model.ts DIR/input-5000.json
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startChild } from "./lib/child.ts";
import {
  type BenchRecord,
  type BenchResults,
  machineLine,
  makeRecord,
  markdownTable,
  validateResults,
} from "./lib/records.ts";
import { summarise } from "./lib/stats.ts";
import { browserPhase, chromiumVersion } from "./phases/browser.ts";
import { applyPhase, rolloutPhase } from "./phases/labs.ts";
import { loadPhase } from "./phases/load.ts";
import { packageBenchSize, packagePhase } from "./phases/package.ts";
import { pagePhase } from "./phases/page.ts";
import { planPhase } from "./phases/plan.ts";
import { recordingPhase } from "./phases/recording.ts";
import { type SimReady, scalePhase } from "./phases/scale.ts";
import { serverPhase } from "./phases/server.ts";

const root = new URL("..", import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    sizes: { type: "string" },
    "pods-per-node": { type: "string" },
    nodes: { type: "string" },
    "scale-source": { type: "string" },
    skip: { type: "string", default: "" },
    only: { type: "string" },
    out: { type: "string" },
    "web-dist": { type: "string" },
    smoke: { type: "boolean", default: false },
    "keep-input": { type: "string" },
  },
});
const smoke = values.smoke;
const sizes = (values.sizes ?? (smoke ? "20" : "100,1000,5000")).split(",").map((s) => {
  const n = Number(s.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--sizes takes node counts such as 100,1000,5000; got "${s}"`);
  return n;
});
const podsPerNode = Number(values["pods-per-node"] ?? 30);
const parts = ["browser", "server", "load", "model", "package", "labs", "recording", "scale", "plan", "page"];
const only = values.only?.split(",").filter(Boolean);
const skip = new Set(only ? parts.filter((p) => !only.includes(p)) : values.skip.split(",").filter(Boolean));
if (smoke) skip.add("package");
// The scale sizes take minutes each; CI's smoke run stays small (`--only scale --nodes 20 --smoke` runs it).
if (smoke && !only?.includes("scale")) skip.add("scale");
if (smoke && !only?.includes("page")) skip.add("page");
for (const s of [...skip, ...(only ?? [])])
  if (!parts.includes(s)) throw new Error(`--skip and --only take ${parts.join(", ")}; got ${s}`);
const clusterParts = ["browser", "server", "load", "model", "labs", "plan"];
// --only without a per-size part starts no simulated cluster at all.
const clusterSizes = only && !only.some((p) => p !== "package" && p !== "scale" && p !== "page") ? [] : sizes;
// The scale part's sizes: the issue's accelerator-cluster shape (8 pods per node) at 100,000.
const scaleSizes = (values.nodes ?? (smoke ? "20" : "10000,20000,100000")).split(",").map((s) => {
  const n = Number(s.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--nodes takes node counts such as 20000; got "${s}"`);
  return n;
});
// The simulator holds 20,000 nodes in about 5 GB; above that the server is fed generated streams.
// --scale-source sim|generated picks one for every size (a loaded machine starves the simulator).
const scaleSource = (n: number): "sim" | "generated" => {
  const chosen = values["scale-source"];
  if (chosen !== undefined && chosen !== "sim" && chosen !== "generated")
    throw new Error(`--scale-source takes sim or generated; got "${chosen}"`);
  return (chosen as "sim" | "generated" | undefined) ?? (n > 20_000 ? "generated" : "sim");
};
const scalePodsPerNode = (n: number) =>
  values["pods-per-node"] !== undefined ? podsPerNode : n >= 100_000 ? 8 : 30;
const outDir =
  values.out ?? (smoke ? mkdtempSync(join(os.tmpdir(), "eni-view-bench-")) : join(root, "bench"));
const started = performance.now();
const log = (line: string) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);

function git(...args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

/** The dashboard built from the current sources into a directory of the benchmark's own. */
function buildWeb(): string {
  if (values["web-dist"]) return values["web-dist"];
  // A directory of this run's own: two benchmarks at once (a developer's and CI's) used to share one, and
  // the second build emptied it under the first one's server while that server was listing its files.
  const dir = mkdtempSync(join(os.tmpdir(), "eni-view-bench-web-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  log(`building the dashboard into ${dir}`);
  execFileSync(
    process.execPath,
    [
      join(root, "node_modules/vite/bin/vite.js"),
      "build",
      "--logLevel",
      "warn",
      "--outDir",
      dir,
      "--emptyOutDir",
    ],
    { cwd: join(root, "apps/web"), stdio: ["ignore", "ignore", "inherit"] },
  );
  return dir;
}

interface ServerReady {
  url: string;
  probeUrl: string;
  readyMs: number;
}

const loadStart = os.loadavg();
const records: BenchRecord[] = [];
const errors: string[] = [];
const webDist =
  skip.has("browser") && skip.has("package") && skip.has("page") ? join(root, "apps/web/dist") : buildWeb();

if (!skip.has("package")) {
  log("the npm package: pack, install, npx eni-view start");
  try {
    records.push(...(await packagePhase({ runs: 5, webDist, log })));
  } catch (err) {
    errors.push(`package: ${(err as Error).message}`);
    log(`  package phase failed: ${(err as Error).stack}`);
  }
}

for (const size of clusterSizes) {
  // The parts that measure the simulated cluster and the server on it.
  if (clusterParts.some((p) => !skip.has(p))) {
    log(`${size} nodes x ${podsPerNode} pods: starting the simulator`);
    // Repetitions by size, so that the three default sizes fit in 10 minutes on 2 cores.
    const big = size >= 2000;
    const plan = smoke
      ? { changes: 3, snapshotRuns: 2, loads: 2, updates: 300, updateBudgetMs: 20_000 }
      : big
        ? { changes: 5, snapshotRuns: 2, loads: 2, updates: 1000, updateBudgetMs: 110_000 }
        : { changes: 10, snapshotRuns: 3, loads: 3, updates: 1000, updateBudgetMs: 45_000 };
    const sim = startChild<SimReady>(join(root, "bench/procs/sim.ts"), [String(size), String(podsPerNode)], {
      name: "simulator",
      readyTimeoutMs: 300_000,
      execArgv: ["--max-old-space-size=8192"],
    });
    let server: ReturnType<typeof startChild<ServerReady>> | null = null;
    try {
      const s = await sim.ready;
      log(`  simulator up in ${(s.startMs / 1000).toFixed(1)} s with ${s.pods} pods; starting the server`);
      // BENCH_SERVER_PROFILE=DIR: a V8 CPU profile of the server process, for finding where an update goes.
      const profile = process.env.BENCH_SERVER_PROFILE;
      server = startChild<ServerReady>(
        join(root, "bench/procs/server.ts"),
        [s.kubeconfigPath, s.region, s.ec2Url, webDist],
        {
          name: "server",
          readyTimeoutMs: 600_000,
          execArgv: profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [],
        },
      );
      const srv = await server.ready;
      log(`  server ready at ${srv.url} after ${(srv.readyMs / 1000).toFixed(1)} s`);
      records.push(
        makeRecord("server: start -> ready (all pods listed, EC2 described)", size, "ms", {
          value: srv.readyMs,
          min: srv.readyMs,
          max: srv.readyMs,
          runs: 1,
        }),
      );
      if (!skip.has("server")) {
        try {
          records.push(
            ...(await serverPhase({
              size,
              url: srv.url,
              sim,
              server,
              changes: plan.changes,
              snapshotRuns: plan.snapshotRuns,
              viewers: 100,
              quietMs: smoke ? 3000 : 15_000,
              log,
            })),
          );
          log("  server and EC2 measured");
        } catch (err) {
          errors.push(`server @ ${size}: ${(err as Error).message}`);
          log(`  server phase failed: ${(err as Error).stack}`);
        }
      }
      if (!skip.has("plan")) {
        try {
          records.push(
            ...(await planPhase({
              size,
              url: srv.url,
              sim,
              runs: smoke ? 1 : 3,
              // Issue 13: one workload scaled by 1,000 pods, 5 seeds; the smoke run's 20 nodes take 20.
              scaleBy: smoke ? 20 : 1000,
              seeds: 5,
              changes: smoke ? 2 : 10,
              firstPodIndex: 100,
              log,
            })),
          );
          log("  planner measured");
        } catch (err) {
          errors.push(`plan @ ${size}: ${(err as Error).message}`);
          log(`  plan phase failed: ${(err as Error).stack}`);
        }
      }
      if (!skip.has("load")) {
        try {
          await loadPhase(
            {
              size,
              url: srv.url,
              probeUrl: srv.probeUrl,
              server,
              burst: 50,
              viewers: smoke ? 20 : 200,
              holdMs: smoke ? 2000 : 10_000,
              slowloris: smoke ? 100 : 2000,
              log,
            },
            records,
          );
          log("  load measured");
        } catch (err) {
          errors.push(`load @ ${size}: ${(err as Error).message}`);
          log(`  load phase failed: ${(err as Error).stack}`);
        }
      }
      if (!skip.has("labs")) {
        try {
          records.push(...(await rolloutPhase({ size, url: srv.url, sim, changes: plan.changes, log })));
          log("  aws-node rollout measured");
        } catch (err) {
          errors.push(`labs @ ${size}: ${(err as Error).message}`);
          log(`  labs rollout phase failed: ${(err as Error).stack}`);
        }
      }
      if (!skip.has("browser")) {
        try {
          records.push(
            ...(await browserPhase({
              size,
              url: srv.url,
              sim,
              loads: plan.loads,
              updates: plan.updates,
              updateBudgetMs: plan.updateBudgetMs,
              webDist,
              log,
            })),
          );
          log("  browser measured");
        } catch (err) {
          errors.push(`browser @ ${size}: ${(err as Error).message}`);
          log(`  browser phase failed: ${(err as Error).stack}`);
        }
      }
      if (!skip.has("model")) {
        const keep = values["keep-input"];
        if (keep) mkdirSync(keep, { recursive: true });
        const file = keep
          ? join(keep, `input-${size}.json`)
          : join(os.tmpdir(), `eni-view-bench-input-${process.pid}.json`);
        try {
          await server.ask("dumpInput", { path: file }, 300_000);
          // The model runs in a process of its own on a machine without the server and the simulator, which
          // at 5,000 nodes keep a core busy on their own (the EC2 refresh).
          await server.stop();
          await sim.stop();
          const out = execFileSync(
            process.execPath,
            ["--expose-gc", join(root, "bench/procs/model.ts"), file, String(smoke ? 3 : 7), "1"],
            { encoding: "utf8", maxBuffer: 1 << 20 },
          );
          const m = JSON.parse(out) as {
            times: number[];
            cpu: number[];
            retained: number[];
            rebuild: number[];
            diff: number[];
            rebuildFresh: number[];
            diffFresh: number[];
            pods: number;
            enis: number;
          };
          const note = `buildReport on the server's raw input: ${size} nodes, ${m.pods} pods, ${m.enis} ENIs`;
          log(`  model: ${note}`);
          records.push(makeRecord("model: topology compute", size, "ms", summarise(m.times), note));
          records.push(makeRecord("model: topology compute, CPU", size, "ms", summarise(m.cpu)));
          records.push(
            makeRecord(
              "model: topology memory",
              size,
              "bytes",
              summarise(m.retained),
              "heap the finished report holds",
            ),
          );
          // What the server pays per change: one pod changed, the report rebuilt with the previous one
          // (unchanged objects kept) and diffed against it; and the same without the previous report.
          const oneChange = "one pod changed at a time, chained, no forced collection in between";
          records.push(
            makeRecord(
              "model: one-pod rebuild with the previous report",
              size,
              "ms",
              summarise(m.rebuild),
              oneChange,
            ),
          );
          records.push(
            makeRecord("model: diff after a one-pod rebuild", size, "ms", summarise(m.diff), oneChange),
          );
          records.push(
            makeRecord(
              "model: one-pod rebuild from scratch",
              size,
              "ms",
              summarise(m.rebuildFresh),
              oneChange,
            ),
          );
          records.push(
            makeRecord(
              "model: diff after a rebuild from scratch",
              size,
              "ms",
              summarise(m.diffFresh),
              oneChange,
            ),
          );
        } catch (err) {
          errors.push(`model @ ${size}: ${(err as Error).message}`);
          log(`  model failed: ${(err as Error).stack}`);
        } finally {
          if (!keep) rmSync(file, { force: true });
        }
      }
    } catch (err) {
      errors.push(`${size} nodes: ${(err as Error).message}`);
      log(`  failed: ${(err as Error).stack}`);
    } finally {
      await server?.stop();
      await sim.stop();
    }
  }
  // The simulator in this process, with the server and the child simulator gone.
  if (!skip.has("labs")) {
    try {
      records.push(...(await applyPhase({ size, podsPerNode, replicas: smoke ? 10 : 100, log })));
    } catch (err) {
      errors.push(`labs apply @ ${size}: ${(err as Error).message}`);
      log(`  labs apply phase failed: ${(err as Error).stack}`);
    }
  }
  // The recorder on a synthetic churning cluster of this size, in a process of its own (no simulator).
  if (!skip.has("recording")) {
    try {
      const quiet = records.find(
        (r) => r.name === "server: CPU while the cluster is quiet" && r.size === size,
      );
      records.push(
        ...(await recordingPhase({
          size,
          hours: smoke ? 0.05 : 1,
          serverQuietCpuPercent: quiet?.value,
          log,
        })),
      );
    } catch (err) {
      errors.push(`recording @ ${size}: ${(err as Error).message}`);
      log(`  recording phase failed: ${(err as Error).stack}`);
    }
  }
}

if (!skip.has("scale")) {
  for (const size of scaleSizes) {
    const perNode = scalePodsPerNode(size);
    log(`scale: ${size} nodes x ${perNode} pods`);
    try {
      records.push(
        ...(await scalePhase({
          root,
          size,
          podsPerNode: perNode,
          webDist,
          // 20 changes, so that the p95 is not simply the slowest one (each is well under a second now).
          changes: smoke ? 3 : 20,
          ec2WindowMs: smoke ? 5_000 : 90_000,
          sweepWaitMs: smoke ? 0 : 300_000,
          source: scaleSource(size),
          log,
        })),
      );
    } catch (err) {
      errors.push(`scale @ ${size}: ${(err as Error).message}`);
      log(`  scale phase failed: ${(err as Error).stack}`);
    }
  }
}

if (!skip.has("page")) {
  // The page on the overview stream (issue 19.4) at the scale sizes, on synthetic clusters served through
  // the real server; at 10,000 and 20,000 nodes the whole snapshot too, for where the server's line is.
  for (const size of values.nodes ? scaleSizes : smoke ? [20] : [10_000, 20_000, 100_000]) {
    log(`page: ${size} nodes`);
    try {
      records.push(
        ...(await pagePhase({
          size,
          podsPerNode: scalePodsPerNode(size),
          webDist,
          loads: smoke ? 1 : 3,
          zooms: smoke ? 2 : 12,
          compareWhole: size <= 20_000,
          log,
        })),
      );
    } catch (err) {
      errors.push(`page @ ${size}: ${(err as Error).message}`);
      log(`  page phase failed: ${(err as Error).stack}`);
    }
  }
}

const stem = only ? `results.${only.join("+")}` : "results";
const results: BenchResults = {
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryBytes: os.totalmem(),
    node: process.version,
    chromium: skip.has("browser") ? null : chromiumVersion(),
    loadAverageStart: loadStart,
    loadAverageEnd: os.loadavg(),
    gitCommit: git("rev-parse", "HEAD"),
    gitDirty: git("status", "--porcelain", "--untracked-files=no") !== "",
    date: new Date().toISOString(),
    command: `node bench/run.ts ${process.argv.slice(2).join(" ")}`.trim(),
    durationSeconds: (performance.now() - started) / 1000,
  },
  sizes: [...new Set([...records.map((r) => r.size), ...clusterSizes])].sort((a, b) => a - b),
  podsPerNode,
  records,
  errors,
};
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `${stem}.json`), `${JSON.stringify(results, null, 2)}\n`);
const md = [
  `# eni-view benchmark results`,
  "",
  clusterSizes.length > 0
    ? `\`${results.machine.command}\`: ${clusterSizes.map((s) => `${s.toLocaleString("en-US")} nodes`).join(", ")} ${
        clusterParts.some((p) => !skip.has(p))
          ? `of the simulator's \`large\` scenario at ${podsPerNode} pods per node`
          : "of the model's random cluster (the recording phase)"
      }.`
    : `\`${results.machine.command}\`.`,
  ...(skip.has("package")
    ? []
    : [
        "",
        `The package records are at ${packageBenchSize} nodes: the simulator's scale lab, which \`npx eni-view start\` runs.`,
      ]),
  "",
  `Machine: ${machineLine(results.machine)}.`,
  "",
  "Each cell: the median (or the named percentile) of the runs, with min–max; ✗ marks a missed target.",
  "",
  markdownTable(results),
  "",
  ...(errors.length > 0 ? ["Not measured:", "", ...errors.map((e) => `- ${e}`), ""] : []),
].join("\n");
writeFileSync(join(outDir, `${stem}.md`), md);
log(`wrote ${join(outDir, `${stem}.json`)} and ${stem}.md`);
console.log(md);

const problems = validateResults(results);
if (problems.length > 0 || errors.length > 0) {
  for (const p of [...problems, ...errors]) console.error(`bench: ${p}`);
  process.exit(1);
}
