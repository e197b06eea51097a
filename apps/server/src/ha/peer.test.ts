import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import Fastify from "fastify";
import { haFromOptions, PEER_TOKEN_ENV } from "../commands/haOptions.ts";
import { PEER_STATUS_HEADER, peerRoutes } from "../routes/peer.ts";

const token = "peer-token-for-the-test-0123456789";
const status = { stale: false, error: null, since: null, lastSuccess: "2026-12-06T14:00:00.000Z" };

async function app(offer: { json: string; etag: string } | null) {
  const a = Fastify();
  peerRoutes(a, { token, ec2: () => (offer ? { ...offer, status } : null) });
  await a.ready();
  return a;
}

describe("GET /internal/ec2 (the leader's EC2 reads for the other replicas)", () => {
  it("answers only with the peer token", async () => {
    const a = await app({ json: '{"enis":[]}', etag: '"1"' });
    assert.equal((await a.inject({ url: "/internal/ec2" })).statusCode, 401);
    const wrong = await a.inject({ url: "/internal/ec2", headers: { authorization: "Bearer nope" } });
    assert.equal(wrong.statusCode, 401);
    const ok = await a.inject({ url: "/internal/ec2", headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.body, '{"enis":[]}');
    assert.equal(ok.headers.etag, '"1"');
  });

  it("a 304 while nothing changed still carries the leader's health", async () => {
    const a = await app({ json: '{"enis":[]}', etag: '"7"' });
    const res = await a.inject({
      url: "/internal/ec2",
      headers: { authorization: `Bearer ${token}`, "if-none-match": '"7"' },
    });
    assert.equal(res.statusCode, 304);
    assert.deepEqual(JSON.parse(decodeURIComponent(String(res.headers[PEER_STATUS_HEADER]))), status);
  });

  it("a replica that does not lead says so (503)", async () => {
    const a = await app(null);
    const res = await a.inject({ url: "/internal/ec2", headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().error, "not-leading");
  });
});

describe("serve --leader-elect options", () => {
  const env = { [PEER_TOKEN_ENV]: token, POD_NAME: "eni-view-abc", POD_IP: "10.0.1.5" };
  it("defaults to client-go's timings, the Lease eni-view and the pod's address", () => {
    const s = haFromOptions({ "leader-elect": true, "lease-namespace": "eni-view" }, 8080, 15_000, env)!;
    assert.deepEqual(s.timing, { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
    assert.equal(s.leaseName, "eni-view");
    assert.equal(s.advertiseUrl, "http://10.0.1.5:8080");
    assert.match(s.identity, /^eni-view-abc_[0-9a-f]{8}$/);
  });

  it("refuses what cannot work, naming the option", () => {
    assert.throws(
      () => haFromOptions({ "lease-name": "x" }, 8080, 15_000, env),
      /--lease-name applies only with --leader-elect/,
    );
    assert.throws(
      () => haFromOptions({ "leader-elect": true }, 8080, 15_000, {}),
      /needs ENI_VIEW_PEER_TOKEN/,
    );
    assert.throws(
      () => haFromOptions({ "leader-elect": true, "renew-deadline": "20" }, 8080, 15_000, env),
      /lease duration must be greater than the renew deadline/,
    );
    assert.throws(
      () => haFromOptions({ "leader-elect": true, "lease-name": "Not_A_Name" }, 8080, 15_000, env),
      /--lease-name must be a Kubernetes object name/,
    );
  });
});

describe("the Lease is eni-view's only write to the cluster", () => {
  it("only leaseStore.ts sends anything but GET, and only to a Lease", () => {
    const dir = new URL(".", import.meta.url).pathname;
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".ts") && !n.endsWith(".test.ts"))) {
      const text = readFileSync(`${dir}/${name}`, "utf8");
      const writes = [...text.matchAll(/"(POST|PUT|PATCH|DELETE)"/g)];
      if (name === "leaseStore.ts") {
        assert.deepEqual([...new Set(writes.map((m) => m[1]))].sort(), ["POST", "PUT"]);
        assert.match(text, /\/apis\/coordination\.k8s\.io\/v1\/namespaces\/\$\{[^}]+\}\/leases/);
      } else assert.deepEqual(writes, [], `${name} writes`);
    }
  });
});
