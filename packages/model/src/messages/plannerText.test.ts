import assert from "node:assert/strict";
import { test } from "node:test";
import { PlanInputError } from "../plan/errors.ts";
import { planCluster } from "../plan/planCluster.ts";
import type { PlanChange, PlanResult } from "../plan/types.ts";
import { PLAN_QUERY_KEYS, PlanQueryError, parsePlanQuery } from "../planQuery.ts";
import { eksCluster } from "../testing/eksCluster.ts";
import { translator } from "../testing/translator.ts";
import { englishWords, flatten } from "./catalogue.ts";
import { plannerEnglish, plannerMessages, plannerText, variableKind } from "./plannerText.ts";

const english = translator(plannerMessages.en, "en");
const korean = translator(plannerMessages.ko, "ko");

// 3 m5.xlarge nodes (max pods 58) in node group ng-1, 12 pods of 5 Deployments on each.
const cluster = eksCluster(3, 12);
const web = { kind: "Deployment", namespace: "default", name: "web" } as const;
const pod = cluster.pods.find((p) => p.owner === "Deployment/web")!;

function planned(changes: PlanChange[], questions = false): PlanResult {
  return planCluster({
    cluster,
    changes,
    seeds: [1],
    ...(questions
      ? {
          questions: [
            { kind: "replicas-that-fit", workload: web },
            {
              kind: "nodes-needed",
              like: { namespace: pod.namespace, name: pod.name },
              count: 30,
              instanceType: "m5.large",
            },
          ],
        }
      : {}),
  });
}

function refusal(changes: PlanChange[]): string {
  try {
    planned(changes);
  } catch (err) {
    if (err instanceof PlanInputError) return err.message;
    throw err;
  }
  throw new Error(`not refused: ${JSON.stringify(changes)}`);
}

/** Every sentence of the planner a user reads, for plans that reach most of its catalogue. */
let made: string[] | null = null;
function sentences(): string[] {
  made ??= planSentences();
  return made;
}

function planSentences(): string[] {
  const plans = [
    planned([{ kind: "scale", workload: web, replicas: 300 }], true),
    planned([
      { kind: "set", settings: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } },
      { kind: "more-pods", like: { namespace: pod.namespace, name: pod.name }, count: 1 },
      { kind: "add-nodes", nodeGroup: "ng-1", count: 2, instanceType: "m5.large" },
      { kind: "roll-nodes" },
    ]),
    planned([
      { kind: "eni-config", name: "us-west-2a", subnetId: cluster.subnets[0]!.id },
      { kind: "remove-nodes", nodeGroup: "ng-1", count: 1 },
      { kind: "instance-type", nodeGroup: "ng-1", instanceType: "m5.2xlarge" },
      { kind: "new-node-group", name: "ng-2", instanceType: "c5.large", nodes: 1 },
    ]),
  ];
  const out = new Set<string>();
  for (const p of plans) {
    for (const c of p.changes) out.add(c.text).add(c.note ?? c.text);
    for (const s of [p.firstLimit, p.ec2.summary, p.settle.summary, ...p.effects.onReplacedNodes])
      if (s !== null) out.add(s);
    for (const a of p.answers)
      out.add(a.kind === "replicas-that-fit" ? a.limit : a.kind === "nodes-needed" ? a.summary : "");
  }
  out.delete("");
  out.add(refusal([{ kind: "scale", workload: web, replicas: -1 }]));
  out.add(refusal([{ kind: "scale", workload: { ...web, name: "nope" }, replicas: 1 }]));
  out.add(refusal([{ kind: "add-nodes", nodeGroup: "ng-9", count: 1 }]));
  out.add(refusal([{ kind: "remove-nodes", nodeGroup: "ng-1", count: 9 }]));
  out.add(refusal([{ kind: "set", settings: { WARM_IP_TARGET: "lots" } }]));
  out.add(refusal([{ kind: "instance-type", nodeGroup: "ng-1", instanceType: "m5.huge" }]));
  // A plan link's refusals (the page's URL, the server's query).
  for (const query of ["scale=default/web=-1", "nope=1", "set=WARM_FOO=1", "more=default=3", "seeds=0", ""]) {
    try {
      parsePlanQuery(query);
    } catch (err) {
      if (err instanceof PlanQueryError) out.add(err.message);
      else throw err;
    }
  }
  return [...out];
}

test("every sentence of these plans and refusals is recognised, and said again word for word in English", () => {
  const all = sentences();
  assert.ok(all.length >= 20, `only ${all.length} sentences`);
  for (const s of all) assert.deepEqual(plannerText(s, english), { text: s, known: true }, s);
});

// Latin words Korean keeps: Kubernetes kinds and components as the Korean Kubernetes docs write them.
const kept = new Set(["kubelet", "Deployment", "StatefulSet", "ReplicaSet"]);

test("in Korean no English word is left in them beyond names, ids and the scheduler's own message", () => {
  // Names, and a plan link's parameters as typed in it (scale=...).
  const names = [...cluster.nodes.map((n) => n.name), "nope", "lots", "ng-9", "m5.huge", ...PLAN_QUERY_KEYS];
  for (const s of sentences()) {
    const { text, known } = plannerText(s, korean);
    assert.ok(known, s);
    // Quoted values are what was typed.
    let rest = text.replaceAll(/"[^"]*"/g, "");
    for (const n of names) rest = rest.replaceAll(n, "");
    // "the scheduler finds no node: <message>" keeps the scheduler's words verbatim.
    rest = rest.replace(/스케줄러 메시지: .*$/, "");
    assert.deepEqual(englishWords(rest, kept), [], text);
  }
});

test("every message of the catalogue, filled in, is recognised as itself (and sentences inside it too)", () => {
  const keys = [...flatten(plannerMessages.en).keys()]
    .map((k) => k.replace(/_(one|other)$/, ""))
    .filter((k, i, all) => k !== "range" && !/^(category|thing)\./.test(k) && all.indexOf(k) === i);
  const samples: Record<string, string | number> = {
    change: plannerEnglish("change.roll", { group: "ng-1", count: 2 }),
    note: plannerEnglish("note.rollOver"),
    limit: plannerEnglish("limit.noIp", { node: "ip-10-0-1-5" }),
    summary: plannerEnglish("settle.nothing"),
    what: plannerEnglish("what.addTo", { group: "ng-1" }),
    time: "5 to 8",
    nodes: "2 to 3",
    period: "65 to 70",
  };
  const said: string[] = [];
  const recorder = (key: string, values: Record<string, string | number>) => {
    said.push(key);
    return english(key, values);
  };
  for (const key of keys) {
    const values = new Proxy(samples, {
      get: (s, name: string) => s[name] ?? (variableKind(name) === "number" ? 7 : `x-${name}`),
    });
    const sentence = plannerEnglish(key, values);
    said.length = 0;
    const { text, known } = plannerText(sentence, recorder);
    assert.ok(known, `${key}: ${sentence}`);
    assert.equal(text, sentence, key);
    assert.ok(said.includes(key), `${key} read as ${said.join(", ")}`);
  }
});

test("a range over the seeds is said as Korean writes one, and an unknown sentence stays as written", () => {
  const s = plannerEnglish("settle.about", { time: "12 to 15", cycle: 5, attach: 3 });
  assert.match(plannerText(s, korean).text, /약 12~15초/);
  assert.deepEqual(plannerText("nothing the planner wrote", korean), {
    text: "nothing the planner wrote",
    known: false,
  });
});
