// The liveness probe on a port of its own (`--probe-port`), answered by a worker thread. On the main port
// /livez waits behind whatever the main thread is doing: at 5,000 nodes a topology build, a snapshot's
// serialisation or a major GC holds it for 100 ms to 2 s on a loaded machine (bench/tools/livez-lag.ts:
// /livez max 1.9 s with nothing else open, 0.5 s beside 2,000 slowloris sockets), and the kubelet counts a
// slow answer as a failure. The worker has its own event loop and heap, so it answers at once; what it
// answers is still the main thread's health: the main thread writes the time into shared memory every
// second, and a heartbeat older than `staleMs` (the main thread stuck, not merely busy) is 503.
import { Worker } from "node:worker_threads";

export interface ProbeServerOptions {
  host: string;
  port: number;
  /** The main thread counts as stuck after this long without a heartbeat. */
  staleMs?: number;
}

export interface ProbeServer {
  url: string;
  close(): Promise<void>;
}

const beatEveryMs = 1000;
export const defaultProbeStaleMs = 30_000;

// Plain JavaScript, evaluated as the worker's script: the thread needs nothing of the app but node:http,
// and an inline script needs no file of its own in the npm package.
const workerScript = `
const { workerData, parentPort } = require("node:worker_threads");
const http = require("node:http");
const beat = new BigInt64Array(workerData.shared);
const server = http.createServer((req, res) => {
  const path = (req.url || "/").split("?")[0];
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "application/json" });
    return res.end('{"error":"method-not-allowed"}');
  }
  if (path !== "/livez") {
    res.writeHead(404, { "content-type": "application/json" });
    return res.end('{"error":"not-found","message":"the probe port serves /livez only"}');
  }
  const age = Date.now() - Number(Atomics.load(beat, 0));
  const ok = age <= workerData.staleMs;
  res.writeHead(ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(ok ? { status: "ok" } : { status: "stuck", message: "the server's main thread has not run for " + Math.round(age / 1000) + " s" }));
});
server.headersTimeout = 5000;
server.requestTimeout = 5000;
server.keepAliveTimeout = 5000;
server.on("error", (err) => parentPort.postMessage({ error: err.code || err.message }));
server.listen(workerData.port, workerData.host, () => parentPort.postMessage({ port: server.address().port }));
parentPort.on("message", (m) => { if (m === "close") server.close(() => process.exit(0)); });
`;

export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const shared = new SharedArrayBuffer(8);
  const beat = new BigInt64Array(shared);
  const write = () => Atomics.store(beat, 0, BigInt(Date.now()));
  write();
  const worker = new Worker(workerScript, {
    eval: true,
    workerData: {
      shared,
      host: options.host,
      port: options.port,
      staleMs: options.staleMs ?? defaultProbeStaleMs,
    },
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  const timer = setInterval(write, beatEveryMs);
  timer.unref();
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", (m: { port?: number; error?: string }) => {
      if (m.port !== undefined) resolve(m.port);
      else
        reject(
          new Error(
            m.error === "EADDRINUSE"
              ? `--probe-port ${options.port} on ${options.host} is in use; pick another`
              : `the probe port could not listen (${m.error})`,
          ),
        );
    });
    worker.once("error", reject);
  }).catch(async (err: unknown) => {
    clearInterval(timer);
    await worker.terminate();
    throw err;
  });
  // The probe thread must not keep the process alive on its own.
  worker.unref();
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      clearInterval(timer);
      worker.postMessage("close");
      await new Promise<void>((resolve) => {
        const done = setTimeout(() => void worker.terminate().then(() => resolve()), 2000);
        worker.once("exit", () => {
          clearTimeout(done);
          resolve();
        });
      });
    },
  };
}
