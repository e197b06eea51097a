// The npm package as a user meets it: the tarball's size, and `npx eni-view start` in a folder where the
// tarball was just installed, timed from the command to its "running" line (the simulator's scale lab
// up and the server listening). Each run is a new Node process with no compile cache: a cold start.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installPackage, packPackage } from "../../scripts/package/install.ts";
import { type BenchRecord, makeRecord } from "../lib/records.ts";
import { summarise } from "../lib/stats.ts";

/** CPU time (user + system) the processes of a process group have used so far, their reaped children
 * included (npx's shell), from /proc: on a loaded machine it says what the start costs, whatever the wait. */
function groupCpuMs(pgid: number): number {
  const tick = 1000 / 100; // USER_HZ: 100 on Linux
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(f[2]) !== pgid) continue;
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return ticks * tick;
}

/** The cluster `eni-view start` simulates: the scale lab's 3 nodes. */
export const packageBenchSize = 3;

export async function packagePhase(opts: {
  runs: number;
  webDist: string;
  log: (line: string) => void;
}): Promise<BenchRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), "eni-view-bench-package-"));
  try {
    const { tarball } = await packPackage(dir, opts.webDist);
    const size = statSync(tarball).size;
    opts.log(`  package: ${tarball} (${(size / 1e6).toFixed(2)} MB); installing it`);
    const pkg = await installPackage(tarball, join(process.execPath, ".."), dir);
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const t0 = performance.now();
      const running = await pkg.spawn(["start", "--port", "0"], /eni-view is running\. Open /);
      times.push(performance.now() - t0);
      cpu.push(groupCpuMs(running.pid));
      await running.stop();
    }
    opts.log(
      `  package: npx eni-view start -> running: ${times.map((t) => t.toFixed(0)).join(", ")} ms (CPU ${cpu.map((t) => t.toFixed(0)).join(", ")} ms)`,
    );
    return [
      makeRecord(
        "package: npm tarball",
        packageBenchSize,
        "bytes",
        { value: size, min: size, max: size, runs: 1 },
        "npm pack of dist/package",
      ),
      makeRecord(
        "package: npx eni-view start -> listening",
        packageBenchSize,
        "ms",
        summarise(times),
        "the tarball installed in an empty folder; simulator (scale lab) up and the server listening",
      ),
      makeRecord(
        "package: npx eni-view start -> listening, CPU",
        packageBenchSize,
        "ms",
        summarise(cpu),
        "user + system time of npx and eni-view until then (/proc), what the wall time costs without load",
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
