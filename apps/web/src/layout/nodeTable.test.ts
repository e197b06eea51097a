import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tableRows } from "./nodeTable.ts";
import { indexProblems } from "./problems.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

// t3.medium: 3 ENIs of 5 pod IPs, max pods 17.
const roomy = t3medium("a-roomy", [eni("eni-a", 0, slots(20, 5, 2))]);
const full = t3medium("b-full", [
  eni("eni-b0", 0, slots(20, 5, 5)),
  eni("eni-b1", 1, slots(30, 5, 5)),
  eni("eni-b2", 2, slots(40, 5, 5)),
]);
const waitingOne = t3medium("c-waiting", [eni("eni-c", 0, slots(20, 5, 5))], { podsWaitingForIp: 1 });
const waitingThree = t3medium("d-waiting", [eni("eni-d", 0, slots(20, 5, 5))], { podsWaitingForIp: 3 });
const notReady = t3medium("e-down", [eni("eni-e", 0, slots(20, 5, 1))], { ready: false });
const nodes = [roomy, full, waitingOne, waitingThree, notReady];
const index = indexProblems(nodes, []);
const names = (sort: Parameters<typeof tableRows>[2]) =>
  tableRows(nodes, index, sort).map((r) => r.node.name);

describe("tableRows", () => {
  it("orders by the problems list: NotReady, then waiting for an IP (most waiting first), then full, then the rest", () => {
    assert.deepEqual(names("problems"), ["e-down", "d-waiting", "c-waiting", "b-full", "a-roomy"]);
  });

  it("carries each node's problems, none for a node without", () => {
    const rows = tableRows(nodes, index, "problems");
    assert.deepEqual(rows.find((r) => r.node.name === "b-full")?.problems, ["full", "eni-limit"]);
    assert.deepEqual(rows.find((r) => r.node.name === "a-roomy")?.problems, []);
  });

  it("sorts by name, by pods / max pods and by pods waiting for an IP", () => {
    assert.deepEqual(names("name"), ["a-roomy", "b-full", "c-waiting", "d-waiting", "e-down"]);
    assert.equal(names("utilisation")[0], "b-full");
    assert.deepEqual(names("pending").slice(0, 2), ["d-waiting", "c-waiting"]);
  });
});
