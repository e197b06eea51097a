// The labs' expectations checked on topologies the simulator served at each step of the labs
// (fixtures/: GET /api/topology from `eni-view start --speed 10` after each command, subnet maps dropped
// where the lab does not read them).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { compareCatalogues, flatten, type Report } from "@eni-view/model";
import { stepView } from "./commands.ts";
import { firstFigures } from "./labFacts.ts";
import { labById, labs } from "./labs.ts";
import type { Lab, LabEnv, LabStep } from "./labTypes.ts";
import { judgeStep, stepEntry } from "./stepEngine.ts";

const fixture = (name: string): Report =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8")) as Report;

const sim: LabEnv = {
  sim: {
    kubeconfig: "/tmp/eni-view-sim-x/kubeconfig",
    ec2Url: "http://127.0.0.1:4566",
    adminUrl: "http://127.0.0.1:4567",
    region: "ap-northeast-2",
    scenario: "scale-lab",
  },
};
const real: LabEnv = { sim: null };

function step(lab: string, id: string): LabStep {
  const s = labById(lab)?.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${lab}/${id}`);
  return s;
}

const reached = (s: LabStep, t: Report) => s.observe?.(t).reached === true && s.observe(t).settled;

test("each scale step is reached on the topology its own command led to, and on no other", () => {
  const states: [string, Report][] = [2, 8, 15, 30, 50].map((r) => [`replicas-${r}`, fixture(`scale-${r}`)]);
  for (const [id] of states) {
    const s = step("scale", id);
    for (const [other, topo] of states) assert.equal(reached(s, topo), other === id, `${id} on ${other}`);
  }
});

test("after --replicas=30 every node has its 3rd ENI, and the step lights exactly those ENIs", () => {
  const topo = fixture("scale-30");
  const view = step("scale", "replicas-30").view(topo, sim);
  const third = topo.nodes.map((n) => n.enis.find((e) => e.deviceIndex === 2)?.id);
  assert.equal(third.length, 3);
  assert.ok(third.every((id) => id !== undefined));
  assert.deepEqual([...view.highlight.enis].sort(), (third as string[]).sort());
});

test("at 50 replicas the step counts the Pending pods from the nodes' max pods and lights them", () => {
  const topo = fixture("scale-50");
  const view = step("scale", "replicas-50").view(topo, sim);
  const values = view.why[0]?.values ?? {};
  // 3 nodes × (17 − 2) = 45 slots, 2 CoreDNS pods: 43 nginx fit, 7 of 50 wait.
  assert.deepEqual([values.slots, values.others, values.room, values.pending], [45, 2, 43, 7]);
  assert.equal(view.highlight.pending.length, 7);
  assert.deepEqual(
    [...view.highlight.pending].sort(),
    topo.pending.map((p) => `${p.namespace}/${p.name}`).sort(),
  );
  assert.equal(view.highlight.nodes.length, 3);
});

test("a step waits on the state it opened with, and says so when the cluster settles elsewhere", () => {
  const s = step("scale", "replicas-30");
  const at15 = fixture("scale-15");
  const entry = s.observe!(at15).fingerprint;
  assert.deepEqual(judgeStep(s, at15, entry), { kind: "waiting" });
  const at50 = judgeStep(s, fixture("scale-50"), entry);
  assert.equal(at50.kind, "other");
  if (at50.kind === "other") {
    assert.equal(at50.why.key, "common.otherReplicas");
    assert.deepEqual(at50.why.values, { name: "nginx-deployment", have: 50, want: 30 });
  }
  assert.deepEqual(judgeStep(s, fixture("scale-30"), entry), { kind: "reached", moved: true });
  // Opened on a cluster already there (a teacher's link, "Back"): reached, but it waits for "Next".
  const at30 = fixture("scale-30");
  assert.deepEqual(judgeStep(s, at30, s.observe!(at30).fingerprint), { kind: "reached", moved: false });
  assert.deepEqual(judgeStep(step("max-pods", "allocatable"), at15, null), { kind: "manual" });
  // A node gone since the step opened (kOps drains and terminates before it launches): still changing.
  const fewer = { ...fixture("scale-50"), nodes: fixture("scale-50").nodes.slice(1) };
  assert.deepEqual(judgeStep(s, fewer, entry, 3), { kind: "settling" });
  // Even when the nodes left already look like the end state (two new nodes holding every pod).
  const roll = step("raise-limit-kops", "roll-nodes");
  const rolled = fixture("raise-rolled");
  const twoOfThree = { ...rolled, nodes: rolled.nodes.slice(1) };
  assert.deepEqual([roll.observe!(twoOfThree).reached, roll.observe!(twoOfThree).settled], [true, true]);
  assert.deepEqual(judgeStep(roll, twoOfThree, roll.observe!(fixture("scale-50")).fingerprint, 3), {
    kind: "settling",
  });
});

test("after a reset a step starts from the first settled cluster read since, never from the one before", () => {
  const s = step("raise-limit", "replicas-50");
  const withReads = (name: string, at: string): Report =>
    ({
      ...fixture(name),
      sources: { kubernetes: { lastSuccess: at }, ec2: { lastSuccess: at } },
    }) as Report;
  const resetAt = Date.parse("2026-12-06T12:00:00Z");
  // The cluster from before the reset (read before it): no entry yet, so nothing is "other".
  const old = stepEntry(null, "raise-limit/1/r", s, withReads("scale-30", "2026-12-06T11:59:59Z"), resetAt);
  assert.equal(old.fingerprint, null);
  assert.deepEqual(judgeStep(s, fixture("scale-30"), old.fingerprint), { kind: "waiting" });
  // The new cluster, read after the reset: the step starts from it, and 50 replicas then move it on.
  const fresh = stepEntry(old, "raise-limit/1/r", s, withReads("scale-2", "2026-12-06T12:00:05Z"), resetAt);
  assert.equal(fresh.fingerprint, s.observe!(fixture("scale-2")).fingerprint);
  assert.deepEqual(judgeStep(s, fixture("scale-50"), fresh.fingerprint), { kind: "reached", moved: true });
  // Once the new cluster is in, the next step opens at once, even half-way through its own change: a
  // command typed straight away is what moves it on, not the state it opened with.
  const pd = step("raise-limit", "prefix-delegation");
  const scale50 = fixture("scale-50");
  const starting = {
    ...scale50,
    pending: scale50.pending.map((p, i) => (i === 0 ? { ...p, reason: "starting" as const } : p)),
  };
  assert.equal(pd.observe!(starting).settled, false);
  const next = stepEntry(fresh, "raise-limit/2", pd, starting, resetAt);
  assert.deepEqual([next.fingerprint, next.after], [pd.observe!(starting).fingerprint, null]);
  // A step that only reads waits for the new cluster too, then takes it.
  const look = step("max-pods", "allocatable");
  const before = stepEntry(null, "max-pods/2/r", look, withReads("scale-2", "2026-12-06T11:59:59Z"), resetAt);
  assert.notEqual(before.after, null);
  assert.notEqual(
    stepEntry(before, "max-pods/2/r", look, withReads("scale-2", "2026-12-06T11:59:59Z"), resetAt).after,
    null,
  );
  assert.equal(
    stepEntry(before, "max-pods/2/r", look, withReads("scale-2", "2026-12-06T12:00:05Z"), resetAt).after,
    null,
  );
  // Without a reset a step takes the cluster it opens on at once.
  assert.equal(
    stepEntry(null, "k", s, fixture("scale-8"), null).fingerprint,
    s.observe!(fixture("scale-8")).fingerprint,
  );
});

test("raising the limit: the aws-node setting alone changes no node, the roll-over reaches the step", () => {
  const env = fixture("raise-pd-env");
  const rolled = fixture("raise-rolled");
  assert.ok(reached(step("raise-limit", "prefix-delegation"), env));
  assert.ok(!reached(step("raise-limit", "prefix-delegation"), fixture("scale-50")));
  const roll = step("raise-limit", "roll-nodes");
  const before = roll.observe!(env);
  assert.equal(before.reached, false);
  assert.equal(before.other?.key, "raise.otherOldNode");
  assert.equal(before.other?.values?.maxPods, 17);
  assert.ok(reached(roll, rolled));
  // The new nodes' ENIs hold /28 prefixes: those are what the step lights.
  const lit = roll.view(rolled, sim).highlight.enis;
  assert.ok(lit.length > 0);
  for (const id of lit)
    assert.ok(rolled.nodes.some((n) => n.enis.some((e) => e.id === id && e.prefixes.length > 0)));
  // kOps asks WARM_PREFIX_TARGET=1 too; the simulator's EKS manifest already has it.
  assert.ok(reached(step("raise-limit-kops", "prefix-delegation"), env));
});

test("the roll-over step names the simulator's admin URL on the simulator and eksctl or kops elsewhere", () => {
  const topo = fixture("raise-pd-env");
  const onSim = stepView(step("raise-limit", "roll-nodes"), topo, sim).commands.map((c) => c.text);
  assert.equal(onSim[0], "export KUBECONFIG=/tmp/eni-view-sim-x/kubeconfig");
  assert.ok(onSim.includes("curl -s -X POST http://127.0.0.1:4567/nodegroups/ng1/rolling-update"));
  const onReal = stepView(step("raise-limit", "roll-nodes"), topo, real).commands.map((c) => c.text);
  assert.ok(onReal.every((c) => !c.includes("KUBECONFIG") && !c.includes("127.0.0.1")));
  assert.ok(onReal.some((c) => c.includes("--max-pods-per-node 110")));
  const kops = stepView(step("raise-limit-kops", "roll-nodes"), topo, real).commands.map((c) => c.text);
  assert.deepEqual(kops.slice(-2), ["kops rolling-update cluster --yes", "kubectl get nodes -w"]);
});

test("custom networking: kubelet's 17 against the ENIs' 10 pod IPs leaves 5 pods per node waiting", () => {
  const fill = step("custom-networking", "fill");
  const start = fixture("custom-start");
  const values = fill.view(start, sim).why[0]?.values ?? {};
  assert.deepEqual([values.customMaxPods, values.kubelet, values.replicas, values.waiting], [12, 17, 43, 15]);
  assert.ok(!reached(fill, start));
  assert.ok(reached(fill, fixture("custom-43")));
});

test("subnet exhaustion reads free addresses and free /28 blocks from the subnet map", () => {
  const topo = fixture("fragmented-start");
  const view = step("subnet-exhaustion", "waiting-pods").view(topo, sim);
  const v = view.why[0]?.values ?? {};
  assert.deepEqual([v.cidr, v.free, v.blocks, v.waiting], ["192.168.3.0/24", 234, 0, 2]);
  assert.equal(view.highlight.nodes.length, 1);
  assert.equal(view.highlight.pending.length, 2);
});

test("the max pods formula is filled with the instance type's own figures", () => {
  const view = stepView(step("max-pods", "instance-types"), fixture("scale-2"), sim);
  const formula = view.why.find((m) => m.key === "maxPods.formula");
  assert.deepEqual(formula?.values, { type: "t3.medium", enis: 3, ipv4: 6, maxPods: 17 });
  assert.ok(view.commands[1]?.text.includes("--endpoint-url http://127.0.0.1:4566"));
  assert.equal(firstFigures(fixture("raise-rolled"))?.pdMaxPods, 110);
  // Nodes running prefix delegation get the prefix formula, capped as the max-pods calculator caps it.
  const pd = step("max-pods", "instance-types").view(fixture("raise-rolled"), sim).why;
  assert.deepEqual(pd.find((m) => m.key === "maxPods.formulaPd")?.values, {
    type: "t3.medium",
    enis: 3,
    ipv4: 6,
    uncapped: 242,
    maxPods: 110,
  });
});

// Every message any step can show, on every fixture, exists in both languages with the same placeholders.
const en = JSON.parse(readFileSync(new URL("../i18n/lab.en.json", import.meta.url), "utf8"));
const ko = JSON.parse(readFileSync(new URL("../i18n/lab.ko.json", import.meta.url), "utf8"));

const enKeys = flatten(en);
const koKeys = flatten(ko);
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

test("English and Korean have the same keys and placeholders, and the Korean is Korean", () => {
  // Plural keys by their base: English has _one and _other, Korean only _other.
  assert.deepEqual(compareCatalogues({ lang: "en", catalogue: en }, { lang: "ko", catalogue: ko }), []);
  for (const [k, v] of koKeys) assert.match(v, /[가-힣]/, `${k} has no Korean`);
});

test("every message a lab can show has a text in both languages, filled with every value it names", () => {
  const topos = [
    "scale-2",
    "scale-8",
    "scale-15",
    "scale-30",
    "scale-50",
    "raise-pd-env",
    "raise-rolled",
    "custom-start",
    "custom-43",
    "fragmented-start",
  ].map(fixture);
  const used = new Map<string, Set<string>>();
  const use = (key: string, values: Record<string, unknown> = {}) => {
    const set = used.get(key) ?? new Set<string>();
    for (const v of Object.keys(values)) set.add(v);
    used.set(key, set);
  };
  const all = (lab: Lab) => {
    use(lab.title.key);
    use(lab.intro.key);
    use(lab.summary.key);
    for (const s of lab.steps)
      for (const topo of topos)
        for (const env of [sim, real]) {
          const v = s.view(topo, env);
          use(s.title.key, s.title.values);
          use(v.lookFor.key, v.lookFor.values);
          for (const m of v.why) use(m.key, m.values);
          for (const c of v.commands) if (c.note) use(c.note.key, c.note.values);
          const o = s.observe?.(topo);
          if (o?.other) use(o.other.key, o.other.values);
        }
  };
  for (const lab of labs) all(lab);
  assert.ok(used.size > 40);
  for (const [key, values] of used) {
    for (const [lang, texts] of [
      ["en", enKeys],
      ["ko", koKeys],
    ] as const) {
      const text = texts.get(key);
      assert.ok(text !== undefined, `${lang} has no text for ${key}`);
      for (const p of placeholders(text))
        assert.ok(values.has(p!), `${key} (${lang}) names {{${p}}}, not given`);
    }
  }
});

test("at 15 replicas the step lights the nginx pods and every 3rd ENI attached so far, and no other ENI", () => {
  const topo = fixture("scale-15");
  const view = step("scale", "replicas-15").view(topo, sim);
  const third = topo.nodes.flatMap((n) => n.enis.filter((e) => e.deviceIndex === 2).map((e) => e.id));
  assert.ok(third.length > 0 && third.length < 3, "some nodes have their 3rd ENI at 15");
  assert.deepEqual([...view.highlight.enis].sort(), third.sort());
  assert.equal(view.highlight.pods.length, 15);
});

test("the other pods the 50-replica step subtracts are named from the cluster, not assumed", () => {
  const topo = fixture("scale-50");
  const values = step("scale", "replicas-50").view(topo, sim).why[0]?.values ?? {};
  assert.deepEqual([values.others, values.otherNames], [2, "coredns"]);
  // A pod left over from the warm-pool lab is one of them too.
  const tmp = { ...topo.pods[0]!, name: "tmp", owner: null };
  const withTmp = { ...topo, pods: [...topo.pods, tmp] };
  assert.equal(step("scale", "replicas-50").view(withTmp, sim).why[0]?.values?.otherNames, "coredns, tmp");
});

test("on nodes with room for every replica the filling steps say all fit, not that every node is full", () => {
  const at50 = fixture("scale-50");
  // Max pods 29 (a c5d.large's): 3 × 27 slots less the 2 CoreDNS pods leave room for 79 nginx pods.
  const roomy = { ...at50, nodes: at50.nodes.map((n) => ({ ...n, maxPods: 29 })), pending: [] };
  for (const [lab, text] of [
    ["scale", "scale.s50"],
    ["raise-limit", "raise.s50"],
  ] as const) {
    const view = step(lab, "replicas-50").view(roomy, sim);
    assert.equal(view.lookFor.key, `${text}.lookFits`);
    assert.equal(view.why[0]?.key, `${text}.whyFits`);
    assert.deepEqual([view.highlight.nodes.length, view.highlight.pods.length], [0, 43]);
    // The cluster of the lab itself still reads as full.
    assert.equal(step(lab, "replicas-50").view(at50, sim).lookFor.key, `${text}.look`);
  }
});

test("a step says when aws-node runs with other warm-pool settings than the ones its text speaks of", () => {
  const at8 = fixture("scale-8");
  const noteOf = (topo: Report, lab: string, id: string) =>
    step(lab, id)
      .view(topo, sim)
      .why.filter((m) => m.key === "common.warmSettings")
      .map((m) => m.values?.settings);
  assert.deepEqual(noteOf(at8, "scale", "replicas-8"), []);
  const warmIp = { ...at8, cluster: { ...at8.cluster, cni: { ...at8.cluster.cni, warmIpTarget: 5 } } };
  assert.deepEqual(noteOf(warmIp, "scale", "replicas-8"), ["WARM_IP_TARGET=5"]);
  assert.deepEqual(noteOf(warmIp, "warm-pool", "first-pod"), ["WARM_IP_TARGET=5"]);
  // Prefix delegation on (the raise-the-limit lab after its second step).
  assert.deepEqual(noteOf(fixture("raise-pd-env"), "raise-limit", "replicas-50"), [
    "ENABLE_PREFIX_DELEGATION=true",
  ]);
});
