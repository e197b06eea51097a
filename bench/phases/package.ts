// The npm package as a user meets it: the tarball's size, and `npx eni-view start` in a folder where the
// tarball was just installed, timed from the command to its "running" line (the simulator's scale lab
// up and the server listening). Each run is a new Node process with no compile cache: a cold start.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installPackage, packPackage } from "../../scripts/package/install.ts";
import { type BenchRecord, makeRecord } from "../lib/records.ts";
import { summarise } from "../lib/stats.ts";

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
    for (let i = 0; i < opts.runs; i++) {
      const t0 = performance.now();
      const running = await pkg.spawn(["start", "--port", "0"], /eni-view is running\. Open /);
      times.push(performance.now() - t0);
      await running.stop();
    }
    opts.log(`  package: npx eni-view start -> running: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
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
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
