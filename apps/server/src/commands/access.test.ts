// The command line of a shared dashboard: token and snapshot options checked up front with one clear line,
// the token never printed, and Freeze switched off (not the whole server) when the default place fails.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { main } from "../cli.ts";
import { serveCli } from "../testing/cli.ts";
import { accessFromOptions, exposureWarning, openSnapshots } from "./accessOptions.ts";

const lab = new URL("../fixtures/lab-2-replicas", import.meta.url).pathname;
const TOKEN = "cli-test-token-0123456789abcdef";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const saved = { log: console.log, error: console.error };
  let out = "";
  let err = "";
  console.log = (...parts: unknown[]) => {
    out += `${parts.map(String).join(" ")}\n`;
  };
  console.error = (...parts: unknown[]) => {
    err += `${parts.map(String).join(" ")}\n`;
  };
  try {
    return { code: await main(args, { LANG: "C.UTF-8" }), out, err };
  } finally {
    console.log = saved.log;
    console.error = saved.error;
  }
}

describe("serve and start: access and snapshot options", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-access-cli-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("documents the token, its environment variable and the snapshot options in --help", async () => {
    for (const command of ["serve", "start"]) {
      const { code, out } = await run([command, "--help"]);
      assert.equal(code, 0);
      for (const text of [
        "--auth-token TOKEN",
        "ENI_VIEW_AUTH_TOKEN",
        "--snapshot-db FILE",
        "--snapshot-ttl",
        "--snapshot-max-size",
        "--log-level LEVEL",
      ])
        assert.ok(out.includes(text), `${command} --help mentions ${text}`);
    }
  });

  it("refuses bad values with one clear line and exit code 2", async () => {
    const junk = join(dir, "junk.db");
    await writeFile(junk, "not a database at all, only some text that is long enough ".repeat(20));
    const { DatabaseSync } = await import("node:sqlite");
    const foreign = join(dir, "foreign.db");
    const db = new DatabaseSync(foreign);
    db.exec("CREATE TABLE snapshots (id TEXT, taken TEXT)");
    db.close();
    const cases: [string[], RegExp][] = [
      [
        ["serve", "--dump", lab, "--snapshot-db", foreign],
        new RegExp(`${foreign.replaceAll(".", "\\.")} has a "snapshots" table that is not eni-view's`),
      ],
      [["serve", "--dump", lab, "--auth-token", "short"], /--auth-token must be 16 to 256 characters/],
      [["serve", "--dump", lab, "--auth-token", `${TOKEN};x`], /--auth-token may contain only/],
      [["serve", "--dump", lab, "--snapshot-ttl", "forever"], /--snapshot-ttl must be a duration/],
      [["serve", "--dump", lab, "--snapshot-max-size", "lots"], /--snapshot-max-size must be a size/],
      [
        ["serve", "--dump", lab, "--log-level", "loud"],
        /--log-level must be one of fatal, error, warn, info/,
      ],
      [["serve", "--dump", lab, "--no-snapshots", "--snapshot-max-size", "1G"], /cannot be combined/],
      [["serve", "--dump", lab, "--snapshot-db", junk], /cannot be used as the snapshot database/],
      [["start", "--auth-token", "short"], /--auth-token must be 16 to 256 characters/],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await run(args);
      assert.equal(code, 2, `${args.join(" ")}: ${err}`);
      assert.match(err, message);
      assert.doesNotMatch(err, /\n\s+at /, "no stack trace");
    }
  });

  it("warns loudly when listening beyond this machine without a token, and only then", () => {
    const warning = exposureWarning("0.0.0.0", false);
    assert.match(warning ?? "", /WARNING.*0\.0\.0\.0 WITHOUT an access token/);
    assert.match(warning ?? "", /oauth2-proxy/);
    assert.equal(exposureWarning("0.0.0.0", true), null);
    assert.equal(exposureWarning("127.0.0.1", false), null);
    assert.equal(exposureWarning("::1", false), null);
    assert.notEqual(exposureWarning("::", false), null);
  });

  it("turns Freeze off, with a reason, when the default snapshot place cannot be used", async () => {
    const blocker = join(dir, "a-file");
    await writeFile(blocker, "");
    const access = accessFromOptions({}, {});
    access.snapshots.path = join(blocker, "eni-view", "snapshots.db");
    const { store, notice } = await openSnapshots(access);
    assert.equal(store, null);
    assert.match(notice.join("\n"), /^Freeze is off: cannot create the snapshot database/);
    // Named with --snapshot-db, the same problem stops the command instead.
    const given = accessFromOptions({ "snapshot-db": join(blocker, "x.db") }, {});
    await assert.rejects(openSnapshots(given), /cannot create the snapshot database/);
  });

  it("--no-snapshots opens no file and leaves no writing route", async () => {
    const access = accessFromOptions({ "no-snapshots": true }, {});
    assert.deepEqual(await openSnapshots(access), { store: null, notice: [] });
    assert.throws(
      () => accessFromOptions({ "no-snapshots": true, "snapshot-db": join(dir, "x.db") }, {}),
      /--no-snapshots cannot be combined/,
    );
    const { code, out } = await run(["serve", "--help"]);
    assert.equal(code, 0);
    assert.match(out, /--no-snapshots +no "Freeze"/);
  });

  it("serves with a token: says a token is needed without printing it, and refuses data without it", async () => {
    const { child, url, output } = await serveCli(
      ["serve", "--dump", lab, "--port", "0", "--snapshot-db", join(dir, "s.db")],
      /serving dump at (http:\/\/127\.0\.0\.1:\d+)\/[\s\S]*\n.*\n/,
      { ...process.env, ENI_VIEW_AUTH_TOKEN: TOKEN },
    );
    try {
      const out = output();
      assert.match(out, /Access token required: open http:\/\/127\.0\.0\.1:\d+\/\?token=<your token>/);
      assert.ok(!out.includes(TOKEN), "the token is not printed");
      assert.doesNotMatch(out, /WARNING/);
      assert.equal((await fetch(`${url}/api/topology`)).status, 401);
      const ok = await fetch(`${url}/api/topology`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(ok.status, 200);
      assert.equal((await fetch(`${url}/livez`)).status, 200);
    } finally {
      child.kill("SIGINT");
      if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    }
  });
});
