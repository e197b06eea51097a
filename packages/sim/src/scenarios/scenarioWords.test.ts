// A hand-written scenario file's field errors in the learner's language (issue 16): each reason is a key
// of the model's catalogue (scenario.field.*, scenario.shape.*), said in English or Korean with the file's
// JSON path and values as they are.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { englishWords, serverEnglish, serverWords } from "@eni-view/model";
import { parseScenario, ScenarioError } from "./scenario.ts";

const base = () =>
  JSON.parse(readFileSync(new URL("../../scenarios/scale-lab.json", import.meta.url), "utf8")) as Record<
    string,
    // biome-ignore lint/suspicious/noExplicitAny: a scenario file edited by hand, on purpose
    any
  >;

// Each edit a person writing a scenario file might get wrong, and the reason it is refused for.
const edits: [string, (d: ReturnType<typeof base>) => unknown, string][] = [
  ["an array", () => [], "scenarioObject"],
  ["no name", (d) => ({ ...d, name: "" }), "nonEmptyString"],
  [
    "a subnet CIDR",
    (d) => {
      d.subnets[0].cidr = "192.168.1.0";
      return d;
    },
    "ipv4Cidr",
  ],
  [
    "an IPv6 CIDR",
    (d) => {
      d.subnets[0].ipv6Cidr = "2001:db8::/56";
      return d;
    },
    "ipv6Cidr",
  ],
  ["no node groups", (d) => ({ ...d, nodeGroups: [] }), "nonEmptyList"],
  [
    "perSubnet",
    (d) => {
      d.nodeGroups[0].perSubnet = 0;
      return d;
    },
    "wholeNumber",
  ],
  [
    "capacityType",
    (d) => {
      d.nodeGroups[0].capacityType = "RESERVED";
      return d;
    },
    "oneOf",
  ],
  [
    "labels",
    (d) => {
      d.deployments[0].labels = { app: 1 };
      return d;
    },
    "string",
  ],
  [
    "taints",
    (d) => {
      d.nodeGroups[0].taints = {};
      return d;
    },
    "list",
  ],
  ["cniNodes", (d) => ({ ...d, cniNodes: "yes" }), "boolean"],
  [
    "an instance type",
    (d) => {
      d.nodeGroups[0].instanceType = "x9.huge";
      return d;
    },
    "unknownType",
  ],
  [
    "a type whose memory eni-view does not know",
    (d) => {
      d.nodeGroups[0].instanceType = "c6i.large";
      return d;
    },
    "unknownMemory",
  ],
  [
    "a zone in another region",
    (d) => {
      d.subnets[0].zone = "us-east-1a";
      return d;
    },
    "zoneRegion",
  ],
  [
    "an ENIConfig zone",
    (d) => ({
      ...d,
      eniConfigs: [{ name: "x", zone: "ap-northeast-2d", zoneId: "z", cidr: "100.64.0.0/19" }],
    }),
    "noZoneSubnet",
  ],
];

test("each field error names its path and reason in English, and says it in Korean with the same values", () => {
  for (const [what, edit, reason] of edits) {
    let err: unknown;
    try {
      parseScenario(edit(base()), "my-lab.json");
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ScenarioError, what);
    assert.equal(err.said?.key, `scenario.field.${reason}`, what);
    const values = err.said?.values ?? {};
    assert.match(String(values.where), /^my-lab\.json/, what);
    assert.equal(err.message, serverEnglish(`scenario.field.${reason}`, values));
    const ko = serverWords("ko")(`scenario.field.${reason}`, values);
    assert.match(ko, /[가-힣]/, what);
    // What is left once the file's own path and values are taken out is Korean.
    let rest = ko;
    for (const v of Object.values(values)
      .map(String)
      .sort((a, b) => b.length - a.length))
      rest = rest.replaceAll(v, "");
    assert.deepEqual(
      englishWords(rest.replaceAll(/"[^"]*"/g, ""), new Set(["true", "false", "generate"])),
      [],
      ko,
    );
  }
});
