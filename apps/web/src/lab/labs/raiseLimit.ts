// Raising the limit with prefix delegation (domain page, section 0), in its EKS and kOps forms: fill the
// nodes to 50 replicas, turn on ENABLE_PREFIX_DELEGATION in aws-node (nothing changes yet: kubelet keeps
// the max pods it started with), then replace the nodes so they start with the prefix-delegation max pods.
import type { Report } from "@eni-view/model";
import { capacityFigures, deploymentPods, firstFigures, isFull, settled } from "../labFacts.ts";
import {
  type Command,
  type Lab,
  type LabEnv,
  type LabStep,
  lit,
  type Msg,
  type Observation,
} from "../labTypes.ts";
import { NGINX, scaleStep, scaleValues } from "../scaleSteps.ts";

type Provisioner = "eks" | "kops";

function values(topo: Report): Record<string, string | number> {
  const f = firstFigures(topo);
  const base = scaleValues(topo, 50);
  return {
    ...base,
    pdUncapped: f?.pdUncapped ?? "?",
    pdMaxPods: f?.pdMaxPods ?? "?",
    vcpus: f?.vcpus ?? "?",
    cluster: topo.cluster.name ?? "CLUSTER",
  };
}

function observeSetting(topo: Report, provisioner: Provisioner): Observation {
  const cni = topo.cluster.cni;
  const wantWpt = provisioner === "kops" ? cni.warmPrefixTarget === 1 : true;
  return {
    settled: settled(topo),
    fingerprint: `pd=${cni.prefixDelegation}/wpt=${cni.warmPrefixTarget}`,
    reached: cni.prefixDelegation && wantWpt,
    other: {
      key: "raise.otherSetting",
      values: { pd: String(cni.prefixDelegation), wpt: String(cni.warmPrefixTarget ?? "-") },
    },
  };
}

function settingStep(provisioner: Provisioner): LabStep {
  const env =
    provisioner === "kops"
      ? "ENABLE_PREFIX_DELEGATION=true WARM_PREFIX_TARGET=1"
      : "ENABLE_PREFIX_DELEGATION=true";
  return {
    id: "prefix-delegation",
    title: { key: "raise.pd.title" },
    view(topo) {
      const d = deploymentPods(topo, NGINX.namespace, NGINX.name);
      return {
        commands: [
          {
            text: `kubectl set env ds aws-node -n kube-system ${env}`,
            ...(provisioner === "kops" ? { note: { key: "raise.pd.kopsNote" } } : {}),
          },
          { text: "kubectl rollout status ds aws-node -n kube-system" },
        ],
        lookFor: { key: "raise.pd.look", values: values(topo) },
        highlight: lit({
          nodes: topo.nodes.filter(isFull).map((n) => n.name),
          pending: d.pending,
        }),
        why: [{ key: "raise.pd.why", values: values(topo) }],
      };
    },
    observe: (topo) => observeSetting(topo, provisioner),
  };
}

function rollCommands(topo: Report, env: LabEnv, provisioner: Provisioner): Command[] {
  const groups = [...new Set(topo.nodes.map((n) => n.nodeGroup ?? "").filter((g) => g !== ""))].sort();
  const v = values(topo);
  if (env.sim) {
    const admin = env.sim.adminUrl;
    if (provisioner === "kops")
      return [
        ...groups.map((g) => ({
          text: `curl -s -X PUT ${admin}/nodegroups/${g} -d '{"maxPods":${v.pdMaxPods}}'`,
          note: { key: "raise.roll.kopsEditIg", values: { group: g, maxPods: v.pdMaxPods } } as Msg,
        })),
        { text: `curl -s -X POST ${admin}/rolling-update`, note: { key: "raise.roll.kopsRolling" } },
      ];
    return groups.map((g) => ({
      text: `curl -s -X POST ${admin}/nodegroups/${g}/rolling-update`,
      note: { key: "raise.roll.eksUpdate" },
    }));
  }
  if (provisioner === "kops")
    return [
      ...groups.map((g) => ({
        text: `kops edit ig ${g}`,
        note: { key: "raise.roll.kopsEditIg", values: { group: g, maxPods: v.pdMaxPods } } as Msg,
      })),
      { text: "kops update cluster --yes" },
      { text: "kops rolling-update cluster --yes", note: { key: "raise.roll.kopsRolling" } },
    ];
  const n = topo.nodes.length;
  return groups.flatMap((g) => [
    {
      text: `eksctl create nodegroup --cluster ${v.cluster} --name ${g}-pd --node-type ${v.type} --nodes ${n} --max-pods-per-node ${v.pdMaxPods}`,
    },
    {
      text: `eksctl delete nodegroup --cluster ${v.cluster} --name ${g}`,
      note: { key: "raise.roll.eksDelete" },
    },
  ]);
}

function observeRolled(topo: Report, provisioner: Provisioner): Observation {
  const d = deploymentPods(topo, NGINX.namespace, NGINX.name);
  const old = topo.nodes.filter((n) => {
    const f = capacityFigures(n);
    return f !== null && (n.maxPods ?? 0) < f.pdMaxPods;
  });
  const withoutPrefixes = topo.nodes.filter(
    (n) => topo.pods.some((p) => p.node === n.name) && !n.enis.some((e) => e.prefixes.length > 0),
  );
  const reached =
    topo.cluster.cni.prefixDelegation &&
    old.length === 0 &&
    withoutPrefixes.length === 0 &&
    d.pending.length === 0;
  let other: Msg | null = null;
  const o = old[0];
  if (o)
    other = {
      key: provisioner === "kops" ? "raise.otherKopsMaxPods" : "raise.otherOldNode",
      values: { node: o.name, maxPods: o.maxPods ?? "?" },
    };
  else if (withoutPrefixes[0])
    other = { key: "raise.otherNoPrefix", values: { node: withoutPrefixes[0].name } };
  else if (d.pending.length > 0)
    other = { key: "common.otherPendingCount", values: { have: d.pending.length, want: 0 } };
  // Half-way through a roll-over some nodes are new and some old, and pods wait for the new nodes' first
  // prefixes: neither is where the step ends, whichever way it ends.
  const mixed = old.length > 0 && old.length < topo.nodes.length;
  const fresh = new Set(topo.nodes.filter((n) => !old.includes(n)).map((n) => n.name));
  const waitingForIp = topo.pending.some((p) => p.node !== null && fresh.has(p.node));
  return {
    settled: settled(topo) && !mixed && !waitingForIp,
    fingerprint: topo.nodes
      .map((n) => `${n.name}:${n.maxPods}`)
      .sort()
      .join(","),
    reached,
    other,
  };
}

function rollStep(provisioner: Provisioner): LabStep {
  return {
    id: "roll-nodes",
    title: { key: "raise.roll.title" },
    view(topo, env) {
      const d = deploymentPods(topo, NGINX.namespace, NGINX.name);
      return {
        commands: [...rollCommands(topo, env, provisioner), { text: "kubectl get nodes -w" }],
        lookFor: {
          key: provisioner === "kops" ? "raise.roll.lookKops" : "raise.roll.look",
          values: values(topo),
        },
        highlight: lit({
          enis: topo.nodes.flatMap((n) => n.enis.filter((e) => e.prefixes.length > 0).map((e) => e.id)),
          pending: d.pending,
        }),
        why: [{ key: "raise.roll.why", values: values(topo) }],
      };
    },
    observe: (topo) => observeRolled(topo, provisioner),
  };
}

export const raiseLimitLab: Lab = {
  id: "raise-limit",
  scenario: "scale-lab",
  title: { key: "raise.title" },
  summary: { key: "raise.summary" },
  intro: { key: "raise.intro" },
  steps: [scaleStep("replicas-50", 50, "full", "raise.s50"), settingStep("eks"), rollStep("eks")],
};

/** kOps: its LimitRange gives every container a CPU request, which stops pods before max pods does. */
const kopsFill: LabStep = (() => {
  const base = scaleStep("replicas-50", 50, "full", "raise.s50");
  return {
    ...base,
    view(topo, env) {
      const v = base.view(topo, env);
      return {
        ...v,
        commands: [
          { text: "kubectl delete limitranges limits", note: { key: "raise.kopsLimitRange" } },
          ...v.commands,
        ],
      };
    },
  };
})();

export const raiseLimitKopsLab: Lab = {
  id: "raise-limit-kops",
  scenario: "kops-lab",
  title: { key: "raise.kopsTitle" },
  summary: { key: "raise.kopsSummary" },
  intro: { key: "raise.kopsIntro" },
  steps: [kopsFill, settingStep("kops"), rollStep("kops")],
};
