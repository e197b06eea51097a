// `eni-view record`, `report --recording` and `serve --recording` as a user types them: the simulator
// recorded into a file, that file reported and served, and bad files refused with one line and exit 2.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import type { RecordingInfo, Topology } from "@eni-view/model";
import { RecordingStore } from "../recording/recordingStore.ts";
import { eniView, serveCli } from "../testing/cli.ts";

const run = promisify(execFile);

async function fails(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await eniView(...args);
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error(`eni-view ${args.join(" ")} did not fail`);
}

describe("eni-view record, report --recording, serve --recording", () => {
  let dir: string;
  let file: string;
  let kubeconfig: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-record-"));
    file = join(dir, "lab.db");
    const rec = await serveCli(
      [
        "record",
        "--out",
        file,
        "--name",
        "lab 14:00",
        "--source",
        "sim",
        "--speed",
        "20",
        "--state-dir",
        join(dir, "sim"),
      ],
      /(recording sim into)[\s\S]*KUBECONFIG=\S+/,
    );
    kubeconfig = /KUBECONFIG=(\S+)/.exec(rec.output())![1]!;
    await run("kubectl", [
      "--kubeconfig",
      kubeconfig,
      "scale",
      "deployment",
      "nginx-deployment",
      "--replicas=30",
    ]);
    // Until the recording holds the 30 pods placed (flushed each second).
    const deadline = Date.now() + 30_000;
    for (;;) {
      const store = await RecordingStore.open(file, { readOnly: true }).catch(() => null);
      const last = store ? store.points(store.list()[0]?.id ?? "").at(-1) : undefined;
      store?.close();
      if (last && last.running >= 32 && last.pending === 0) break;
      if (Date.now() > deadline) throw new Error("the recording never showed 30 nginx pods");
      await new Promise((r) => setTimeout(r, 250));
    }
    rec.child.kill("SIGINT");
    const [code] = await once(rec.child, "exit");
    assert.equal(code, 0);
    assert.match(rec.output(), /recorded \d+ changes from/);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("reports the recording's last moment and its first, like report --dump", async () => {
    const end = JSON.parse(
      (await eniView("report", "--recording", file, "--at", "end", "-o", "json")).stdout,
    ) as Topology;
    assert.equal(end.nodes.length, 3);
    assert.equal(end.pods.filter((p) => p.name.startsWith("nginx")).length, 30);
    const start = JSON.parse(
      (await eniView("report", "--recording", file, "--at", "start", "-o", "json")).stdout,
    ) as Topology;
    assert.ok(start.pods.filter((p) => p.name.startsWith("nginx")).length <= 2);
    const text = (await eniView("report", "--recording", file, "--at", "end")).stdout;
    assert.match(text, /recording "lab 14:00" at/);
  });

  it("summarises the step to 30 as Markdown", async () => {
    const md = (await eniView("record", "summary", "--recording", file)).stdout;
    assert.match(md, /Deployment\/nginx-deployment: 2 → 30/);
    assert.match(md, /all Running after [\d.]+ s/);
  });

  it("keeps nothing secret: no credential of the kubeconfig is in any frame", async () => {
    const secrets = [
      ...(await readFile(kubeconfig, "utf8")).matchAll(
        /(?:token|client-key-data|client-certificate-data): *(\S{16,})/g,
      ),
    ].map((m) => m[1]!);
    assert.ok(secrets.length > 0, "the simulator's kubeconfig carries credentials");
    const store = await RecordingStore.open(file, { readOnly: true });
    try {
      const id = store.list()[0]!.id;
      for (const frame of store.frames(id)) {
        const text = gunzipSync(RecordingStore.data(frame)).toString("utf8");
        for (const s of secrets)
          assert.ok(!text.includes(s.slice(0, 32)), `frame ${frame.n} holds a credential`);
      }
    } finally {
      store.close();
    }
  });

  it("serves the recording read-only: the last moment live, the timeline, no writes", async () => {
    const served = await serveCli(
      ["serve", "--recording", file, "--port", "0", "--web-dist", dir],
      /at (http:\/\/127\.0\.0\.1:\d+)\//,
    );
    try {
      const t = (await (await fetch(`${served.url}/api/topology`)).json()) as Topology;
      assert.equal(t.source, "recording");
      assert.equal(t.pods.filter((p) => p.name.startsWith("nginx")).length, 30);
      const { recordings } = (await (await fetch(`${served.url}/api/recordings`)).json()) as {
        recordings: RecordingInfo[];
      };
      assert.equal(recordings[0]!.name, "lab 14:00");
      const post = await fetch(`${served.url}/api/recordings`, { method: "POST", body: "{}" });
      assert.ok(post.status === 404 || post.status === 405, String(post.status));
    } finally {
      served.child.kill("SIGINT");
      await once(served.child, "exit");
    }
  });

  it("refuses a corrupt, cut-short or newer file and a moment outside it with one line and exit 2", async () => {
    const junk = join(dir, "junk.db");
    await writeFile(junk, "x".repeat(5000));
    const cut = join(dir, "cut.db");
    const whole = await readFile(file);
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length / 3)));
    const newer = join(dir, "newer.db");
    await copyFile(file, newer);
    const { DatabaseSync } = await import("node:sqlite");
    const db = new DatabaseSync(newer);
    db.exec("UPDATE recording_format SET version = 7");
    db.close();
    const cases: [string[], RegExp][] = [
      [["report", "--recording", junk, "--at", "end"], /is not a recording, or is damaged or cut short/],
      [["report", "--recording", cut, "--at", "end"], /damaged or cut short/],
      [["report", "--recording", newer, "--at", "end"], /written by a newer eni-view \(recording format 7/],
      [
        ["report", "--recording", file, "--at", "2001-01-01T00:00:00Z"],
        /is outside recording "lab 14:00", which holds/,
      ],
      [["report", "--recording", file, "--at", "noon"], /is not a moment/],
      [["record", "summary", "--recording", join(dir, "missing.db")], /no such file/],
      [["serve", "--recording", junk], /is not a recording/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await fails(...args);
      assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr, message);
      assert.equal(stderr.trim().split("\n").length, 1, stderr);
    }
    // Nothing was changed in the file that was reported on.
    assert.deepEqual(await readFile(file), whole);
  });
});
