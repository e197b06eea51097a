// EC2 filter semantics: AND across filters, OR across values, `*` and `?` wildcards, literal dots.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Ec2Error } from "./errors.ts";
import { compileFilters, type FilterFields } from "./filters.ts";

interface Item {
  type: string;
  ips: string[];
  tags: Record<string, string>;
}

const fields: FilterFields<Item> = {
  fields: { "instance-type": (i) => i.type, "private-ip-address": (i) => i.ips },
  tags: (i) => i.tags,
};
const items: Item[] = [
  { type: "t3.medium", ips: ["10.0.1.5", "10.0.1.77"], tags: { team: "web" } },
  { type: "t3a.large", ips: ["10.0.135.1"], tags: { team: "db", tier: "1" } },
  { type: "m5.large", ips: ["10.0.2.9"], tags: {} },
];
const pick = (filters: { name: string; values: string[] }[]) =>
  items.filter(compileFilters(filters, fields)).map((i) => i.type);

describe("compileFilters", () => {
  it("matches wildcards and keeps dots literal", () => {
    assert.deepEqual(pick([{ name: "instance-type", values: ["t3.*"] }]), ["t3.medium"]);
    assert.deepEqual(pick([{ name: "instance-type", values: ["t3*"] }]), ["t3.medium", "t3a.large"]);
    assert.deepEqual(pick([{ name: "instance-type", values: ["m?.large"] }]), ["m5.large"]);
    assert.deepEqual(pick([{ name: "private-ip-address", values: ["10.0.1.*"] }]), ["t3.medium"]);
  });

  it("ORs the values of a filter and ANDs the filters", () => {
    assert.deepEqual(pick([{ name: "private-ip-address", values: ["10.0.1.77", "10.0.2.9"] }]), [
      "t3.medium",
      "m5.large",
    ]);
    assert.deepEqual(
      pick([
        { name: "instance-type", values: ["t3*"] },
        { name: "tag:team", values: ["db"] },
      ]),
      ["t3a.large"],
    );
    assert.deepEqual(pick([{ name: "tag-key", values: ["tier"] }]), ["t3a.large"]);
  });

  it("refuses a filter name the action does not know", () => {
    assert.throws(
      () => compileFilters([{ name: "colour", values: ["red"] }], fields),
      (e) => e instanceof Ec2Error && e.code === "InvalidParameterValue" && /'colour'/.test(e.message),
    );
  });
});
