import assert from "node:assert/strict";
import { after, test } from "node:test";
import { startAdminServer } from "./adminServer.ts";
import { createFaultControl } from "./faults.ts";

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
