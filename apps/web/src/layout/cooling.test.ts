import assert from "node:assert/strict";
import { test } from "node:test";
import { activeCooling, coolingText, nextCoolingEnd } from "./cooling.ts";

const entry = (ip: string, releasedAt: string, until: string) => ({
  ip,
  node: "n1",
  eni: "eni-1",
  releasedAt,
  until,
});

const list = [
  entry("192.168.1.20", "2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z"),
  entry("192.168.1.21", "2026-01-01T00:00:10Z", "2026-01-01T00:00:40Z"),
];

test("an IP cools down from its release to its end, then is warm again", () => {
  const at = (s: number) => Date.parse("2026-01-01T00:00:00Z") + s * 1000;
  const c = activeCooling(list, at(15));
  assert.deepEqual([...c.keys()], ["192.168.1.20", "192.168.1.21"]);
  assert.equal(c.get("192.168.1.20")!.remainingMs, 15_000);
  assert.equal(c.get("192.168.1.20")!.share, 0.5);
  assert.deepEqual([...activeCooling(list, at(30)).keys()], ["192.168.1.21"]);
  assert.equal(activeCooling(list, at(41)).size, 0);
  assert.equal(nextCoolingEnd(list, at(15)), at(30));
  assert.equal(nextCoolingEnd(list, at(40)), null);
});

test("the words say how long is left and that it is inferred", () => {
  const c = activeCooling(list, Date.parse("2026-01-01T00:00:21.5Z")).get("192.168.1.20")!;
  const text = coolingText(c);
  assert.match(text, /^about 9 s left/);
  assert.match(text, /00:00:00 UTC/);
  assert.match(text, /inferred/);
});
