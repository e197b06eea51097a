// The warm pool lab: WARM_ENI_TARGET=1 keeps one ENI's worth of free secondary IPs on every node, so the
// first pod that takes an IP on an idle node makes its IPAMD attach a second ENI.
import type { NodeReport, Report } from "@eni-view/model";
import { awsCommand, scaleCommand } from "../commands.ts";
import {
  deploymentPods,
  firstFigures,
  nodesShortOfEnis,
  podEnis,
  podsOn,
  settled,
  warmIps,
  warmSettingsNote,
} from "../labFacts.ts";
import { type Lab, lit, type Msg, noHighlight, type Observation } from "../labTypes.ts";
import { NGINX } from "../scaleSteps.ts";

const TMP = { namespace: "default", name: "tmp" } as const;
const tmpKey = `${TMP.namespace}/${TMP.name}`;

function tmpNode(topo: Report): string | null {
  return topo.pods.find((p) => p.namespace === TMP.namespace && p.name === TMP.name)?.node ?? null;
}

/** Nodes with no pod holding an IP, by name. */
function idleNodes(topo: Report): NodeReport[] {
  const busy = new Set(topo.pods.map((p) => p.node));
  return [...topo.nodes].filter((n) => !busy.has(n.name)).sort((a, b) => a.name.localeCompare(b.name));
}

/** Where the step puts its pod: the node it already went to, else the first idle node. */
function target(topo: Report): string | null {
  return tmpNode(topo) ?? idleNodes(topo)[0]?.name ?? null;
}

function values(topo: Report): Record<string, string | number> {
  const f = firstFigures(topo);
  return {
    perEni: f?.perEni ?? "?",
    left: f ? f.perEni - 1 : "?",
    twoEnis: f ? 2 * f.perEni : "?",
    type: f?.instanceType ?? "?",
    node: target(topo) ?? "?",
  };
}

function observeIdle(topo: Report): Observation {
  const d = deploymentPods(topo, NGINX.namespace, NGINX.name);
  const total = d.placed.length + d.pending.length;
  const idle = idleNodes(topo);
  const enis = topo.nodes.reduce((s, n) => s + podEnis(n).length, 0);
  // IPAMD frees an empty ENI only once its addresses have cooled down and it is a minute old.
  const emptying = idle.some((n) => podEnis(n).length > 1);
  return {
    settled: settled(topo) && !emptying,
    fingerprint: `${total}/${enis}`,
    reached: total === 0 && idle.some((n) => podEnis(n).length === 1),
    other:
      total !== 0
        ? { key: "common.otherReplicas", values: { name: NGINX.name, have: total, want: 0 } }
        : { key: "warm.otherNoIdle" },
  };
}

function observeTmp(topo: Report): Observation {
  const node = tmpNode(topo);
  const n = node ? topo.nodes.find((x) => x.name === node) : undefined;
  const waiting = topo.pending.find((p) => p.namespace === TMP.namespace && p.name === TMP.name);
  const enis = n ? podEnis(n).length : 0;
  let other: Msg | null = null;
  if (waiting)
    other = {
      key: "common.otherPending",
      values: { count: 1, reason: waiting.reason, message: waiting.message || waiting.status },
    };
  else if (n && podsOn(topo, n.name).length > 1) other = { key: "warm.otherBusy", values: { node: n.name } };
  return {
    settled: settled(topo) && nodesShortOfEnis(topo).length === 0,
    fingerprint: `${node ?? (waiting ? "pending" : "none")}/${enis}`,
    reached: n !== undefined && enis === 2 && podsOn(topo, n.name).length === 1,
    other,
  };
}

export const warmPoolLab: Lab = {
  id: "warm-pool",
  scenario: "scale-lab",
  title: { key: "warm.title" },
  summary: { key: "warm.summary" },
  intro: { key: "warm.intro" },
  steps: [
    {
      id: "warm-ips",
      title: { key: "warm.look.title" },
      view(topo, env) {
        return {
          commands: [
            { text: "kubectl get pods -A -o wide" },
            {
              text: awsCommand(
                env,
                topo.cluster.region,
                "ec2 describe-network-interfaces --query 'NetworkInterfaces[].[Attachment.InstanceId,Attachment.DeviceIndex,length(PrivateIpAddresses)]' --output table",
              ),
            },
          ],
          lookFor: { key: "warm.look.look" },
          highlight: lit({ ips: topo.nodes.flatMap(warmIps) }),
          why: [{ key: "warm.look.why", values: values(topo) }, ...warmSettingsNote(topo)],
        };
      },
    },
    {
      id: "idle-node",
      title: { key: "warm.idle.title" },
      view(topo) {
        const idle = idleNodes(topo);
        return {
          commands: [{ text: scaleCommand(NGINX.name, 0) }],
          lookFor: { key: "warm.idle.look", values: values(topo) },
          highlight: lit({ nodes: idle.map((n) => n.name) }),
          why: [{ key: "warm.idle.why", values: values(topo) }, ...warmSettingsNote(topo)],
        };
      },
      observe: observeIdle,
    },
    {
      id: "first-pod",
      title: { key: "warm.first.title" },
      view(topo) {
        const node = target(topo);
        const n = node ? topo.nodes.find((x) => x.name === node) : undefined;
        const overrides = `'{"spec":{"nodeSelector":{"kubernetes.io/hostname":"${node ?? "NODE"}"}}}'`;
        return {
          commands: [{ text: `kubectl run ${TMP.name} --image=nginx:alpine --overrides=${overrides}` }],
          lookFor: { key: node ? "warm.first.look" : "warm.first.noIdle", values: values(topo) },
          highlight: lit({
            enis: n
              ? podEnis(n)
                  .filter((e) => e.deviceIndex > 0)
                  .map((e) => e.id)
              : [],
            pods: [tmpKey],
            pending: [tmpKey],
          }),
          why: [{ key: "warm.first.why", values: values(topo) }, ...warmSettingsNote(topo)],
        };
      },
      observe: observeTmp,
    },
    {
      id: "clean-up",
      title: { key: "warm.clean.title" },
      view(topo) {
        return {
          commands: [{ text: `kubectl delete pod ${TMP.name}` }, { text: scaleCommand(NGINX.name, 2) }],
          lookFor: { key: "warm.clean.look" },
          highlight: noHighlight,
          why: [{ key: "warm.clean.why" }, ...warmSettingsNote(topo)],
        };
      },
      observe(topo) {
        const d = deploymentPods(topo, NGINX.namespace, NGINX.name);
        const total = d.placed.length + d.pending.length;
        const tmp = tmpNode(topo) !== null;
        return {
          settled: settled(topo),
          fingerprint: `${total}/${tmp}`,
          reached: !tmp && total === 2,
          other: tmp
            ? { key: "warm.otherTmp" }
            : { key: "common.otherReplicas", values: { name: NGINX.name, have: total, want: 2 } },
        };
      },
    },
  ],
};
