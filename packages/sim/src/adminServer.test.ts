import assert from "node:assert/strict";
import { after, test } from "node:test";
import { startAdminServer } from "./adminServer.ts";
import { createFaultControl } from "./faults.ts";
import { ScenarioError } from "./scenarios/scenario.ts";

const faults = createFaultControl({ kubeLatencyMs: 5 });
const admin = await startAdminServer(faults);
after(() => admin.close());

test("GET /faults shows the settings given at start", async () => {
  const res = await fetch(`${admin.url}/faults`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body.kubeLatencyMs, 5);
  assert.equal(body.ec2ThrottleRate, 0);
  assert.deepEqual(body.forbidden, []);
});

test("PUT /faults changes only the fields given and tells listeners", async () => {
  const seen: string[][] = [];
  const off = faults.onChange((s) => seen.push([...s.forbidden]));
  const res = await fetch(`${admin.url}/faults`, {
    method: "PUT",
    body: JSON.stringify({ ec2ThrottleRate: 0.25, forbidden: ["pods"] }),
  });
  off();
  assert.equal(res.status, 200);
  assert.equal(faults.settings.ec2ThrottleRate, 0.25);
  assert.equal(faults.settings.kubeLatencyMs, 5);
  assert.deepEqual(faults.settings.forbidden, ["pods"]);
  assert.deepEqual(seen, [["pods"]]);
});

test("bad settings get a 400 naming the field, and the settings stay as they were", async () => {
  for (const [body, pattern] of [
    ['{"ec2ThrottleRate": 2}', /ec2ThrottleRate must be a number from 0 to 1/],
    ['{"dropWatch": true}', /unknown fault setting "dropWatch"/],
    ['{"forbidden": ["pod"]}', /unknown resource "pod"/],
    ["not json", /not JSON/],
  ] as const) {
    const res = await fetch(`${admin.url}/faults`, { method: "PUT", body });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, pattern);
  }
  assert.equal(faults.settings.ec2ThrottleRate, 0.25);
});

test("other paths and methods get a clean 404 or 405", async () => {
  assert.equal((await fetch(`${admin.url}/nope`)).status, 404);
  const res = await fetch(`${admin.url}/faults`, { method: "DELETE" });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "GET, PUT");
});

test("POST /reset resets from curl and from the page allowed, and refuses any other page", async () => {
  const calls: (string | undefined)[] = [];
  const lab = await startAdminServer(faults, "127.0.0.1", undefined, {
    reset: async (scenario) => {
      calls.push(scenario);
      if (scenario === "nope")
        throw new ScenarioError({ key: "scenario.unknown", values: { name: "nope", builtIn: "scale-lab" } });
      return scenario ?? "scale-lab";
    },
  });
  try {
    const page = "http://127.0.0.1:8080";
    lab.allowOrigin(page);
    // curl: no Origin.
    const plain = await fetch(`${lab.url}/reset`, { method: "POST" });
    assert.equal(plain.status, 200);
    assert.deepEqual(await plain.json(), { scenario: "scale-lab" });
    // The page's preflight and its POST, each answered for its origin.
    const pre = await fetch(`${lab.url}/reset`, {
      method: "OPTIONS",
      headers: { origin: page, "access-control-request-method": "POST" },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), page);
    const fromPage = await fetch(`${lab.url}/reset`, {
      method: "POST",
      headers: { origin: page, "content-type": "application/json" },
      body: JSON.stringify({ scenario: "kops-lab" }),
    });
    assert.equal(fromPage.status, 200);
    assert.equal(fromPage.headers.get("access-control-allow-origin"), page);
    // Another page, even with a simple POST that skips the preflight: refused before anything happens.
    const evil = await fetch(`${lab.url}/reset`, {
      method: "POST",
      headers: { origin: "http://evil.example", "content-type": "text/plain" },
      body: "{}",
    });
    assert.equal(evil.status, 403);
    assert.equal(evil.headers.get("access-control-allow-origin"), null);
    const bad = await fetch(`${lab.url}/reset`, { method: "POST", body: '{"scenario": 3}' });
    assert.equal(bad.status, 400);
    const unknown = await fetch(`${lab.url}/reset`, { method: "POST", body: '{"scenario": "nope"}' });
    assert.equal(unknown.status, 400);
    const refused = (await unknown.json()) as { error: string; key: string; values: object };
    assert.match(refused.error, /unknown scenario "nope"/);
    // The catalogue key beside the English, for eni-view's page to say in its language.
    assert.equal(refused.key, "scenario.unknown");
    assert.equal(((await evil.json()) as { key: string }).key, "labReset.forbidden");
    assert.equal((await fetch(`${lab.url}/reset`)).status, 405);
    assert.deepEqual(calls, [undefined, "kops-lab", "nope"]);
  } finally {
    await lab.close();
  }
});
