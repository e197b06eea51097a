// NextToken paging that stays right while the collection changes between calls, as it does while
// IPAMDs attach and delete ENIs under a poller walking the pages.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Ec2Error } from "./errors.ts";
import { paginate } from "./paginate.ts";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `eni-${String(i).padStart(3, "0")}`);
const key = (s: string) => s;

describe("paginate", () => {
  it("serves every item once across pages, then no token", () => {
    const items = ids(12);
    const first = paginate(items, key, 5, undefined, "A");
    const second = paginate(items, key, 5, first.nextToken ?? "", "A");
    const third = paginate(items, key, 5, second.nextToken ?? "", "A");
    assert.deepEqual([...first.items, ...second.items, ...third.items], items);
    assert.equal(third.nextToken, null);
  });

  it("neither skips nor repeats when items before the token go away or arrive", () => {
    const items = ids(12);
    const first = paginate(items, key, 5, undefined, "A");
    // eni-001 is deleted and eni-0005 (sorting before eni-005) appears before the next call.
    const changed = [...items.filter((i) => i !== "eni-001"), "eni-0005"].sort();
    const second = paginate(changed, key, 5, first.nextToken ?? "", "A");
    assert.deepEqual(second.items, ["eni-005", "eni-006", "eni-007", "eni-008", "eni-009"]);
  });

  it("refuses a token from another action or one it never issued", () => {
    const token = paginate(ids(12), key, 5, undefined, "A").nextToken ?? "";
    assert.throws(
      () => paginate(ids(12), key, 5, token, "B"),
      (e) => e instanceof Ec2Error && e.code === "InvalidPaginationToken",
    );
    assert.throws(() => paginate(ids(12), key, 5, "bm90IGpzb24", "A"), /pagination token is not valid/);
  });
});
