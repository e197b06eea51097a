// The access token as a security-minded admin checks it: nothing about the cluster without it, the wrong
// one refused, the right one accepted in each of its three forms, probes still open, and the comparison
// done in constant time.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, mock } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import { AUTH_COOKIE, isLoopbackHostHeader, parseAuthToken, tokensEqual } from "./auth.ts";
import { accessFromOptions } from "./commands/accessOptions.ts";
import { startServer } from "./server.ts";
import { SnapshotStore } from "./snapshots/store.ts";
import { DumpSource } from "./sources/dumpSource.ts";
import { TopologyFeed } from "./topologyFeed.ts";

const lab = new URL("./fixtures/lab-2-replicas", import.meta.url).pathname;
const TOKEN = "s3cret-token-0123456789abcdef";

describe("--auth-token", () => {
  let feed: TopologyFeed;
  let app: FastifyInstance;
  let store: SnapshotStore;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-auth-"));
    feed = new TopologyFeed(new DumpSource(lab));
    await feed.start();
    store = await SnapshotStore.open({ path: join(dir, "snapshots.db") });
    app = await buildApp({ feed, webDist: null, authToken: TOKEN, snapshots: store });
  });
  after(async () => {
    await app.close();
    await feed.stop();
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const dataPaths = ["/api/topology", "/api/history", "/api/stream", "/metrics", "/api/snapshots/x"];

  it("refuses every data route without a token, with a 401 that says how to get in", async () => {
    for (const url of dataPaths) {
      const res = await app.inject({ method: "GET", url });
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.headers["www-authenticate"], 'Bearer realm="eni-view"');
      const body = res.json() as { error: string; message: string };
      assert.equal(body.error, "unauthorized");
      assert.match(body.message, /needs an access token.*\?token=/);
      assert.doesNotMatch(res.body, /ip-192-168|nginx/, `${url} leaks cluster data in its 401`);
    }
    const post = await app.inject({ method: "POST", url: "/api/snapshots" });
    assert.equal(post.statusCode, 401);
    assert.equal(store.count(), 0, "a refused Freeze stores nothing");
    // An unknown API path is refused too, not told apart from a real one.
    assert.equal((await app.inject({ url: "/api/secrets" })).statusCode, 401);
  });

  it("cannot be sidestepped by spelling a data path differently", async () => {
    const spellings = [
      "/metrics/",
      "/%6Detrics",
      "/%6detrics/",
      "/%61pi/topology",
      "/api/topology/",
      "/api/%74opology",
      "//api/topology",
      "/api//topology",
      "/livez/../metrics",
      "/api/snapshots/AAAAAAAAAAAAAAAAAAAAAA/",
    ];
    for (const url of spellings) {
      const res = await app.inject({ url });
      assert.ok(
        res.statusCode !== 200 || !/eniview_|"nodes"/.test(res.body),
        `${url} answered data without a token`,
      );
      assert.notEqual(res.statusCode, 200, url);
    }
  });

  it("refuses a wrong token in every form, whatever its length", async () => {
    const wrong = ["x", `${TOKEN}x`, TOKEN.slice(0, -1), TOKEN.toUpperCase()];
    for (const w of wrong) {
      for (const res of [
        await app.inject({ url: "/api/topology", headers: { authorization: `Bearer ${w}` } }),
        await app.inject({ url: `/api/topology?token=${encodeURIComponent(w)}` }),
        await app.inject({ url: "/api/topology", headers: { cookie: `${AUTH_COOKIE}=${w}` } }),
      ]) {
        assert.equal(res.statusCode, 401, w);
        assert.match((res.json() as { message: string }).message, /token is wrong/);
        assert.equal(res.headers["set-cookie"], undefined, "a wrong token gets no cookie");
      }
    }
  });

  it("takes a token given twice in the query as wrong, not as a route error", async () => {
    const res = await app.inject({ url: `/api/history?token=${TOKEN}&token=${TOKEN}` });
    assert.equal(res.statusCode, 401);
  });

  it("accepts the right token as a bearer header, a query parameter or the cookie", async () => {
    const bearer = await app.inject({ url: "/api/topology", headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(bearer.statusCode, 200);
    assert.equal((bearer.json() as { nodes: unknown[] }).nodes.length, 3);
    // The token is not one of the route's own parameters, so it must not be rejected as unknown.
    const query = await app.inject({ url: `/api/history?minutes=5&token=${TOKEN}` });
    assert.equal(query.statusCode, 200, query.body);
    const metrics = await app.inject({ url: "/metrics", headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(metrics.statusCode, 200);
    const cookie = await app.inject({
      url: "/api/topology",
      headers: { cookie: `a=b; ${AUTH_COOKIE}=${TOKEN}` },
    });
    assert.equal(cookie.statusCode, 200);
    // Data answered to a holder of the token is for that browser only, never a shared cache.
    for (const res of [bearer, query, metrics, cookie])
      assert.match(String(res.headers["cache-control"]), /^private, /);
  });

  it("sets an HttpOnly, SameSite=Strict cookie on the first visit with ?token=, which then lets the page's requests in", async () => {
    const visit = await app.inject({ url: `/?token=${TOKEN}`, headers: { accept: "text/html" } });
    assert.equal(visit.statusCode, 200);
    const setCookie = String(visit.headers["set-cookie"]);
    assert.match(setCookie, new RegExp(`^${AUTH_COOKIE}=${TOKEN};`));
    for (const attr of ["HttpOnly", "SameSite=Strict", "Path=/"]) assert.ok(setCookie.includes(attr), attr);
    assert.equal(visit.headers["cache-control"], "private, no-store", "no shared cache keeps the cookie");
    assert.ok(!setCookie.includes("Secure"), "plain HTTP on 127.0.0.1 cannot take a Secure cookie");
    const pair = setCookie.split(";")[0]!;
    const data = await app.inject({ url: "/api/topology", headers: { cookie: pair } });
    assert.equal(data.statusCode, 200);
    assert.equal(data.headers["set-cookie"], undefined, "no new cookie while the old one is good");
    // Behind a TLS-terminating proxy the cookie is Secure.
    const tls = await app.inject({ url: `/?token=${TOKEN}`, headers: { "x-forwarded-proto": "https" } });
    assert.match(String(tls.headers["set-cookie"]), /; Secure$/);
  });

  it("tells a browser whose link had a wrong token that the token is wrong, not missing", async () => {
    const visit = await app.inject({
      url: "/?token=wrong-token-0123456789",
      headers: { accept: "text/html" },
    });
    assert.equal(visit.statusCode, 200);
    const marker = String(visit.headers["set-cookie"]);
    assert.match(marker, /^eni_view_token_rejected=1; Path=\/; HttpOnly; SameSite=Strict; Max-Age=600$/);
    assert.ok(!marker.includes(TOKEN), "the marker holds no secret");
    const data = await app.inject({ url: "/api/topology", headers: { cookie: marker.split(";")[0]! } });
    assert.equal(data.statusCode, 401);
    assert.match(
      (data.json() as { message: string }).message,
      /token is wrong: check that the link was copied whole/,
    );
    // The right link afterwards gives the token cookie and clears the marker.
    const fixed = await app.inject({ url: `/?token=${TOKEN}`, headers: { cookie: marker.split(";")[0]! } });
    const cookies = fixed.headers["set-cookie"] as string[];
    assert.equal(cookies.length, 2);
    assert.match(cookies[0]!, new RegExp(`^${AUTH_COOKIE}=${TOKEN};`));
    assert.match(cookies[1]!, /^eni_view_token_rejected=; .*Max-Age=0/);
  });

  it("keeps the page's files and the probes open (no cluster data in them)", async () => {
    const page = await app.inject({ url: "/", headers: { accept: "text/html" } });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers["set-cookie"], undefined);
    assert.equal((await app.inject({ url: "/livez" })).statusCode, 200);
    assert.equal((await app.inject({ url: "/readyz" })).statusCode, 200);
    // The 401 still carries the security headers.
    const res = await app.inject({ url: "/api/topology" });
    assert.ok(res.headers["content-security-policy"]);
  });

  it("with a token set, /readyz says only ready or not without it, and the sources' state with it", async () => {
    const bare = await app.inject({ url: "/readyz" });
    assert.equal(bare.statusCode, 200);
    assert.deepEqual(bare.json(), { status: "ready" });
    for (const headers of [{ authorization: `Bearer ${TOKEN}` }, { cookie: `${AUTH_COOKIE}=${TOKEN}` }]) {
      const full = await app.inject({ url: "/readyz", headers });
      assert.equal(full.json().status, "ready");
      assert.ok(full.json().sources.dump, "the sources' state");
    }
    const wrong = await app.inject({
      url: "/readyz",
      headers: { authorization: "Bearer wrong-token-0123456789" },
    });
    assert.deepEqual(wrong.json(), { status: "ready" });
    assert.deepEqual((await app.inject({ url: "/livez" })).json(), { status: "ok" });
  });

  it("serves the page's source maps only with the token", async () => {
    const web = await mkdtemp(join(tmpdir(), "eni-view-web-"));
    await mkdir(join(web, "assets"));
    await writeFile(join(web, "index.html"), "<!doctype html><title>eni-view</title>");
    await writeFile(
      join(web, "assets", "index-abc.js"),
      "console.log(1)\n//# sourceMappingURL=index-abc.js.map",
    );
    await writeFile(join(web, "assets", "index-abc.js.map"), '{"version":3,"sources":["../src/App.tsx"]}');
    const withWeb = await buildApp({ feed, webDist: web, authToken: TOKEN });
    try {
      assert.equal((await withWeb.inject({ url: "/assets/index-abc.js" })).statusCode, 200);
      const map = await withWeb.inject({ url: "/assets/index-abc.js.map" });
      assert.equal(map.statusCode, 401);
      assert.ok(!map.body.includes("App.tsx"));
      const given = await withWeb.inject({
        url: "/assets/index-abc.js.map",
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(given.statusCode, 200);
      assert.match(given.body, /App\.tsx/);
    } finally {
      await withWeb.close();
      await rm(web, { recursive: true, force: true });
    }
  });

  it("compares in constant time: every check goes through crypto.timingSafeEqual on equal-length digests", async () => {
    const spy = mock.method(crypto, "timingSafeEqual");
    try {
      const short = await app.inject({ url: "/api/topology", headers: { authorization: "Bearer a" } });
      assert.equal(short.statusCode, 401);
      const right = await app.inject({ url: "/api/topology", headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(right.statusCode, 200);
      assert.ok(spy.mock.callCount() >= 2, "timingSafeEqual was used");
      for (const call of spy.mock.calls) {
        const [a, b] = call.arguments as [Buffer, Buffer];
        assert.equal(a.length, 32);
        assert.equal(b.length, 32);
      }
    } finally {
      spy.mock.restore();
    }
    assert.equal(tokensEqual(TOKEN, TOKEN), true);
    assert.equal(tokensEqual("", TOKEN), false);
  });
});

describe("token settings", () => {
  it("rejects tokens that are short or cannot travel in a URL or cookie", () => {
    assert.throws(() => parseAuthToken("short"), /16 to 256 characters/);
    assert.throws(() => parseAuthToken(`${"a".repeat(20)};x`), /only letters, digits/);
    assert.throws(() => parseAuthToken(`${"a".repeat(20)} b`), /only letters, digits/);
    assert.equal(parseAuthToken(TOKEN), TOKEN);
  });

  it("takes several tokens separated by commas, each checked, none twice", () => {
    assert.deepEqual(accessFromOptions({ "auth-token": `${TOKEN},${TOKEN}-b` }).authToken, [
      TOKEN,
      `${TOKEN}-b`,
    ]);
    assert.throws(
      () => accessFromOptions({ "auth-token": `${TOKEN},short` }),
      /--auth-token \(token 2\) must be 16/,
    );
    assert.throws(() => accessFromOptions({ "auth-token": `${TOKEN},${TOKEN}` }), /the same token twice/);
  });

  it("takes the token from ENI_VIEW_AUTH_TOKEN, the flag winning", () => {
    assert.equal(accessFromOptions({}, { ENI_VIEW_AUTH_TOKEN: TOKEN }).authToken, TOKEN);
    assert.equal(
      accessFromOptions({ "auth-token": `${TOKEN}-flag` }, { ENI_VIEW_AUTH_TOKEN: TOKEN }).authToken,
      `${TOKEN}-flag`,
    );
    assert.equal(accessFromOptions({}, {}).authToken, undefined);
    assert.throws(
      () => accessFromOptions({}, { ENI_VIEW_AUTH_TOKEN: "tiny" }),
      /ENI_VIEW_AUTH_TOKEN must be/,
    );
  });
});

describe("a server on 127.0.0.1", () => {
  /** One GET with a chosen Host header (fetch does not let a caller set Host). */
  function get(url: string, host: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { host } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("answers only to a Host naming this machine (DNS rebinding)", async () => {
    const server = await startServer(new DumpSource(lab), { host: "127.0.0.1", port: 0, webDist: null });
    try {
      const port = new URL(server.url).port;
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, "localhost", `[::1]:${port}`]) {
        assert.equal((await get(`${server.url}/api/topology`, host)).status, 200, host);
      }
      for (const host of [`evil.example:${port}`, "127.0.0.1.evil.example", `attacker.test`]) {
        const res = await get(`${server.url}/api/topology`, host);
        assert.equal(res.status, 403, host);
        assert.match(res.body, /answers to localhost or 127\.0\.0\.1/);
        assert.doesNotMatch(res.body, /"nodes"/);
      }
    } finally {
      await server.close();
    }
  });

  it("recognises loopback Host headers", () => {
    assert.equal(isLoopbackHostHeader("127.0.0.1:8080"), true);
    assert.equal(isLoopbackHostHeader("LOCALHOST:8080"), true);
    assert.equal(isLoopbackHostHeader("[::1]:8080"), true);
    assert.equal(isLoopbackHostHeader("localhost.evil.example"), false);
    assert.equal(isLoopbackHostHeader("[::1].evil:80"), false);
    assert.equal(isLoopbackHostHeader(undefined), false);
  });
});
