import assert from "node:assert/strict";
import { test } from "node:test";
import { coolingIps } from "./cooling.ts";
import type { EniReport, NodeReport } from "./types.ts";

const node = (name: string, slots: EniReport["slots"]): NodeReport =>
  ({ name, enis: [{ id: `eni-${name}`, slots }] }) as unknown as NodeReport;

const released = (ip: string, nodeName: string, at: string, until: string) => ({
  ip,
  node: nodeName,
  at,
  until,
});

test("an IP freed by a pod deletion the source saw, now warm on its node, is cooling until the given time", () => {
  const nodes = [
    node("n1", [
      { ip: "192.168.1.20", pod: null },
      { ip: "192.168.1.21", pod: "default/new" },
      { ip: "192.168.1.22", pod: null },
    ]),
  ];
  const got = coolingIps(
    [
      released("192.168.1.20", "n1", "2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z"),
      // Taken again by a new pod: not cooling whatever the deletion said.
      released("192.168.1.21", "n1", "2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z"),
      // An IP on another node than the one the pod ran on is not that release.
      released("192.168.1.22", "n2", "2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z"),
    ],
    nodes,
  );
  assert.deepEqual(got, [
    {
      ip: "192.168.1.20",
      node: "n1",
      eni: "eni-n1",
      releasedAt: "2026-01-01T00:00:00Z",
      until: "2026-01-01T00:00:30Z",
    },
  ]);
});

test("the latest release of an IP counts; an IP no longer on any ENI is left out", () => {
  const nodes = [node("n1", [{ ip: "192.168.1.20", pod: null }])];
  const got = coolingIps(
    [
      released("192.168.1.20", "n1", "2026-01-01T00:00:10Z", "2026-01-01T00:00:40Z"),
      released("192.168.1.20", "n1", "2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z"),
      released("192.168.1.30", "n1", "2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z"),
    ],
    nodes,
  );
  assert.deepEqual(
    got.map((c) => [c.ip, c.until]),
    [["192.168.1.20", "2026-01-01T00:00:40Z"]],
  );
  assert.deepEqual(coolingIps(undefined, nodes), []);
});
