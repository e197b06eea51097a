import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type BenchResults,
  formatValue,
  makeRecord,
  markdownTable,
  targetFor,
  validateResults,
} from "./records.ts";

const machine: BenchResults["machine"] = {
  cpus: 2,
  cpuModel: "test cpu",
  memoryBytes: 8 * 1024 ** 3,
  node: "v24.0.0",
  chromium: "156.0",
  loadAverageStart: [1, 1, 1],
  loadAverageEnd: [1, 1, 1],
  gitCommit: "0123456789abcdef",
  gitDirty: false,
  date: "2026-11-23T12:00:00.000Z",
  command: "node bench/run.ts",
  durationSeconds: 1,
};

test("records carry the issue's target and whether the value meets it", () => {
  const r = makeRecord("model: topology compute", 5000, "ms", { value: 200, min: 180, max: 260, runs: 7 });
  assert.equal(r.target, 150);
  assert.equal(r.pass, false);
  const untargeted = makeRecord("server: RSS", 5000, "bytes", { value: 1, min: 1, max: 1, runs: 1 });
  assert.equal(untargeted.target, undefined);
  assert.equal(untargeted.pass, undefined);
  assert.equal(targetFor("browser: pan/zoom frame p95", 100), 16);
  assert.equal(targetFor("browser: pan/zoom frame p95", 5000), 33);
});

test("validation finds malformed records", () => {
  const good = makeRecord("model: topology compute", 100, "ms", { value: 10, min: 9, max: 12, runs: 7 });
  const results: BenchResults = { machine, sizes: [100], podsPerNode: 30, records: [good], errors: [] };
  assert.deepEqual(validateResults(results), []);
  const bad = { ...good, value: 20 };
  assert.match(validateResults({ ...results, records: [bad] }).join("\n"), /outside \[min, max\]/);
  assert.match(validateResults({ ...results, records: [good, good] }).join("\n"), /measured twice/);
  assert.match(validateResults({ ...results, records: [{ ...good, size: 7 }] }).join("\n"), /size not among/);
  assert.match(
    validateResults({ ...results, records: [{ ...good, pass: false }] }).join("\n"),
    /pass disagrees/,
  );
});

test("the Markdown table has a row per measure and a column per size, misses marked", () => {
  const records = [
    makeRecord("model: topology compute", 100, "ms", { value: 10, min: 9, max: 12, runs: 7 }),
    makeRecord("model: topology compute", 5000, "ms", { value: 400, min: 380, max: 450, runs: 7 }),
  ];
  const md = markdownTable({ machine, sizes: [100, 5000], podsPerNode: 30, records, errors: [] });
  const lines = md.split("\n");
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /\| 100 nodes \| 5,000 nodes \|/);
  assert.match(lines[2]!, /10\.0 \(9\.00–12\.0\) ✓ \| 400 \(380–450\) \*\*✗\*\* \| ≤ 150 \|/);
  assert.equal(formatValue(3 * 1024 * 1024, "bytes"), "3.0 MB");
  assert.equal(formatValue(1536, "bytes"), "1.5 KB");
});
