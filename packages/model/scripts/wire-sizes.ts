// Sizes of the first snapshot in plain JSON and in the compact form (wire.ts), raw, gzip and brotli, and
// the time to encode on the server and to decode in a page (JSON.parse, then decodeTopology), on a saved
// ClusterInput. Checks the round trip. Usage: node packages/model/scripts/wire-sizes.ts input.json [runs]
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { buildReport, decodeTopology, encodeTopology, type Topology } from "../src/index.ts";

const [file, runsArg] = process.argv.slice(2);
if (!file) throw new Error("usage: wire-sizes.ts input.json [runs]");
const runs = Number(runsArg ?? 5);
const report = buildReport(JSON.parse(readFileSync(file, "utf8")));
const topology: Topology = {
  ...report,
  seq: 1,
  generatedAt: new Date(0).toISOString(),
  source: "sim",
  sources: {},
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function time<T>(f: () => T): { ms: number; value: T } {
  const times: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = f();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), value: value as T };
}

const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
function sizes(name: string, text: string): void {
  const raw = Buffer.from(text);
  const gz1 = gzipSync(raw, { level: 1 }).length;
  const gz6 = gzipSync(raw, { level: 6 }).length;
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }).length;
  console.log(`${name}: raw ${mb(raw.length)}, gzip -1 ${mb(gz1)}, gzip -6 ${mb(gz6)}, brotli q4 ${mb(br)}`);
}

console.log(
  `${topology.nodes.length} nodes, ${topology.pods.length} pods, ${topology.pending.length} pending`,
);
const plain = time(() => JSON.stringify(topology));
const compact = time(() => JSON.stringify(encodeTopology(topology)));
sizes("plain", plain.value);
sizes("compact", compact.value);
console.log(
  `server: JSON.stringify plain ${plain.ms.toFixed(0)} ms, encode + stringify compact ${compact.ms.toFixed(0)} ms`,
);
const parsePlain = time(() => JSON.parse(plain.value));
const parseCompact = time(() => JSON.parse(compact.value));
const decode = time(() => decodeTopology(JSON.parse(compact.value)));
console.log(
  `page: JSON.parse plain ${parsePlain.ms.toFixed(0)} ms; compact JSON.parse ${parseCompact.ms.toFixed(0)} ms, parse + decode ${decode.ms.toFixed(0)} ms (median of ${runs})`,
);
assert.deepStrictEqual(decode.value, parsePlain.value);
console.log("round trip: decode(encode(t)) deep-equals JSON.parse(JSON.stringify(t))");
