import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { after, describe, it } from "node:test";
import { type ProbeServer, startProbeServer } from "./probeServer.ts";

/** Probes `url` from another process once `delayMs` has passed there, while this thread is kept busy
 * for `blockMs` (a topology build, a major GC): the probe's status, body and when it was answered. */
async function probeWhileBlocked(
  url: string,
  delayMs: number,
  blockMs: number,
): Promise<{ status: number; body: string; answeredAt: number; blockedUntil: number }> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `console.log("ready"); setTimeout(async () => { const r = await fetch(${JSON.stringify(url)}); const body = await r.text(); console.log(JSON.stringify({ status: r.status, body, answeredAt: Date.now() })); }, ${delayMs});`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  // The block starts once the child runs, not once it is spawned: a loaded machine can take seconds to
  // start a Node.js process, and the probe must fall inside the block.
  const ready = new Promise<void>((resolve) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.startsWith("ready\n")) resolve();
    });
  });
  await ready;
  const until = Date.now() + blockMs;
  while (Date.now() < until) {
    // The main thread does nothing else: no timer, no socket, no heartbeat runs meanwhile.
  }
  await once(child, "exit");
  return { ...JSON.parse(out.slice("ready\n".length)), blockedUntil: until };
}

describe("the probe port", () => {
  const servers: ProbeServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  it("answers /livez while the main thread is busy, from a thread of its own", async () => {
    const probe = await startProbeServer({ host: "127.0.0.1", port: 0 });
    servers.push(probe);
    // The child starts in well under the block; it asks half-way through it.
    const r = await probeWhileBlocked(`${probe.url}/livez`, 1500, 4000);
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { status: "ok" });
    assert.ok(r.answeredAt < r.blockedUntil, "answered before the main thread was free again");
  });

  it("says the main thread is stuck once its heartbeat is older than staleMs", async () => {
    const probe = await startProbeServer({ host: "127.0.0.1", port: 0, staleMs: 200 });
    servers.push(probe);
    const r = await probeWhileBlocked(`${probe.url}/livez`, 2500, 4000);
    assert.equal(r.status, 503);
    assert.match(JSON.parse(r.body).message, /main thread has not run for \d+ s/);
  });

  it("serves nothing but /livez, and names a port in use", async () => {
    const probe = await startProbeServer({ host: "127.0.0.1", port: 0 });
    servers.push(probe);
    const res = await fetch(`${probe.url}/api/topology`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /serves \/livez only/);
    const port = Number(new URL(probe.url).port);
    await assert.rejects(
      startProbeServer({ host: "127.0.0.1", port }),
      /--probe-port \d+ on 127\.0\.0\.1 is in use/,
    );
  });
});
