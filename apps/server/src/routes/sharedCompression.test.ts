import assert from "node:assert/strict";
import { test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { pickEncoding, SharedCompression } from "./sharedCompression.ts";

test("pickEncoding: brotli over gzip, q-values respected, nothing for identity or unknown", () => {
  assert.equal(pickEncoding("gzip, deflate, br, zstd"), "br");
  assert.equal(pickEncoding("gzip"), "gzip");
  assert.equal(pickEncoding("br;q=0, gzip"), "gzip");
  assert.equal(pickEncoding("br;q=0.5, gzip;q=0.9"), "gzip");
  assert.equal(pickEncoding("identity"), null);
  assert.equal(pickEncoding("deflate"), null);
  assert.equal(pickEncoding(undefined), null);
  assert.equal(pickEncoding("GZIP;Q=1"), "gzip");
});

test("one compression in flight per form and encoding; a later seq waits for it, then gets its own", async () => {
  const shared = new SharedCompression();
  let made = 0;
  const text = (n: number) => () => {
    made++;
    return [`{"seq":${n},"pad":"`, "x".repeat(100_000), '"}'];
  };
  const a = shared.get("json", "br", 1, text(1));
  const b = shared.get("json", "br", 1, text(1));
  // The topology moved on while the first was being made: no second compression beside it.
  const c = shared.get("json", "br", 2, text(2));
  assert.equal(a, b);
  assert.equal(a, c);
  assert.equal(made, 1);
  const gz = shared.get("json", "gzip", 1, text(1));
  assert.notEqual(gz, a);
  assert.equal(made, 2);
  assert.match(brotliDecompressSync(await a.body).toString(), /^\{"seq":1,"pad":"x{100000}"\}$/);
  assert.match(gunzipSync(await gz.body).toString(), /^\{"seq":1,/);
  // Finished: the same seq is served from what was made, a newer one is made afresh.
  assert.equal(shared.get("json", "br", 1, text(1)), a);
  const next = shared.get("json", "br", 2, text(2));
  assert.notEqual(next, a);
  assert.match(brotliDecompressSync(await next.body).toString(), /^\{"seq":2,/);
  assert.equal(made, 3);
  assert.deepEqual(Object.fromEntries(shared.started), { "json:br": 2, "json:gzip": 1 });
});

test("the plain text is made once for the requests at that moment and let go when the last is done", async () => {
  const shared = new SharedCompression();
  const text = () => ['{"a":"', "y".repeat(50_000), '"}'];
  const a = shared.get("json", "identity", 5, text);
  const b = shared.get("json", "identity", 5, text);
  assert.equal(a, b);
  assert.equal(a.users, 2);
  assert.equal((await a.body).toString(), `{"a":"${"y".repeat(50_000)}"}`);
  shared.release("json", "identity", a);
  assert.equal(shared.get("json", "identity", 5, text), a, "still held while one request is sent it");
  shared.release("json", "identity", a);
  shared.release("json", "identity", a);
  await a.body;
  await new Promise((r) => setImmediate(r));
  const again = shared.get("json", "identity", 5, text);
  assert.notEqual(again, a, "made afresh once nobody held it");
  assert.deepEqual(Object.fromEntries(shared.started), { "json:identity": 2 });
});
