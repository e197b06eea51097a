// `kubectl scale deployment nginx-deployment --replicas=N` as a lab step: the scale lab is five of them, and
// the raise-the-limit labs start from the 50-replica one. The expected state is computed, never listed:
// N pods in all, as many Pending for "Too many pods" as the nodes' max pods leave no room for, and every
// node holding at least the ENIs the warm-pool rules call for with its pods.
import { type NodeReport, type Report, steadyState } from "@eni-view/model";
import { scaleCommand } from "./commands.ts";
import {
  deploymentPods,
  expectedEnis,
  firstFigures,
  isFull,
  nodesShortOfEnis,
  roomFor,
  settled,
  warmSettingsNote,
} from "./labFacts.ts";
import type { Highlight, LabKey, LabStep, Msg, Observation } from "./labTypes.ts";

export const NGINX = { namespace: "default", name: "nginx-deployment" } as const;

/** What the map lights after the step: the deployment's pods (with each node's last ENI once attached,
 * "podsLastEni"), each node's last ENI slot, or the full nodes. */
export type ScaleLook = "pods" | "podsLastEni" | "lastEni" | "full";

export function observeScale(topo: Report, replicas: number): Observation {
  const d = deploymentPods(topo, NGINX.namespace, NGINX.name);
  const total = d.placed.length + d.pending.length;
  const wantPending = Math.max(0, replicas - roomFor(topo, NGINX.namespace, NGINX.name));
  const mine = new Set(d.pending);
  const notTooMany = topo.pending.filter(
    (p) => mine.has(`${p.namespace}/${p.name}`) && p.reason !== "too-many-pods",
  );
  const short = nodesShortOfEnis(topo);
  const enis = topo.nodes.reduce((s, n) => s + n.enis.length, 0);
  const fingerprint = `${total}/${d.pending.length}/${enis}`;
  // A node short of ENIs with no pod refused an IP is IPAMD's next cycle, or EC2 not read again yet.
  const failing = notTooMany.some((p) => p.reason === "ip-exhausted");
  const isSettled = settled(topo) && (short.length === 0 || failing);
  const reached =
    total === replicas && d.pending.length === wantPending && notTooMany.length === 0 && short.length === 0;
  let other: Msg | null = null;
  if (total !== replicas)
    other = { key: "common.otherReplicas", values: { name: NGINX.name, have: total, want: replicas } };
  else if (notTooMany.length > 0) {
    const p = notTooMany[0]!;
    other = {
      key: "common.otherPending",
      values: { count: notTooMany.length, reason: p.reason, message: p.message || p.status },
    };
  } else if (short.length > 0) {
    const n = short[0]!;
    other = {
      key: "common.otherEnis",
      values: { node: n.name, have: n.enis.length, want: expectedEnis(n, topo) ?? 0 },
    };
  } else if (d.pending.length !== wantPending)
    other = { key: "common.otherPendingCount", values: { have: d.pending.length, want: wantPending } };
  return { settled: isSettled, fingerprint, reached, other };
}

/** The deployment's pods the nodes have room for, and the sum it comes from. */
export function scaleRoom(topo: Report) {
  const ready = topo.nodes.filter((n) => n.ready && !n.cordoned);
  const slots = ready.reduce((s, n) => s + Math.max(0, (n.maxPods ?? 0) - 2), 0);
  const room = roomFor(topo, NGINX.namespace, NGINX.name);
  return { nodes: ready.length, slots, others: slots - room, room };
}

/** Fewest pod IPs on a node that make IPAMD attach ENI number `enis` (the model's warm-pool rules). */
export function podsForEnis(topo: Report, node: NodeReport, enis: number): number | null {
  const cap = node.capacity;
  // Prefixes come 16 addresses at a time: the question is one of secondary IPs.
  if (cap.mode !== "secondary-ip" || cap.maxEnis === null || cap.ipv4PerEni === null || node.maxPods === null)
    return null;
  const limits = { maxEnis: cap.maxEnis, ipv4PerEni: cap.ipv4PerEni, maxPods: node.maxPods };
  for (let p = 0; p <= (cap.podIps ?? 0); p++)
    if (steadyState(topo.cluster.cni, limits, p).enis >= enis) return p;
  return null;
}

function highlightFor(topo: Report, look: ScaleLook): Highlight {
  const d = deploymentPods(topo, NGINX.namespace, NGINX.name);
  if (look === "full")
    return {
      nodes: topo.nodes.filter(isFull).map((n) => n.name),
      enis: [],
      ips: [],
      pods: [],
      pending: d.pending,
    };
  const lastEnis = topo.nodes.flatMap((n) => {
    const last = (n.capacity.maxEnis ?? 0) - 1;
    return n.enis.filter((e) => e.onDefaultCard && e.deviceIndex === last).map((e) => e.id);
  });
  if (look === "lastEni") return { nodes: [], enis: lastEnis, ips: [], pods: [], pending: d.pending };
  const enis = look === "podsLastEni" ? lastEnis : [];
  return { nodes: [], enis, ips: [], pods: d.placed, pending: d.pending };
}

/** The other pods holding IPs, by their owner's name (coredns) or their own (a pod of no owner). */
function otherNames(topo: Report): string {
  const mine = `Deployment/${NGINX.name}`;
  const names = new Set(
    topo.pods.filter((p) => p.owner !== mine).map((p) => (p.owner ?? p.name).split("/").pop() ?? p.name),
  );
  return [...names].sort().join(", ") || "-";
}

/** The values every scale step's texts may use, from the cluster's own nodes. */
export function scaleValues(topo: Report, replicas: number): Record<string, string | number> {
  const f = firstFigures(topo);
  const r = scaleRoom(topo);
  const first = [...topo.nodes].sort((a, b) => a.name.localeCompare(b.name))[0];
  const third = first ? podsForEnis(topo, first, 3) : null;
  return {
    replicas,
    type: f?.instanceType ?? "?",
    enis: f?.enis ?? "?",
    ipv4: f?.ipv4PerEni ?? "?",
    perEni: f?.perEni ?? "?",
    twoEnis: f ? 2 * f.perEni : "?",
    podIps: f ? f.enis * f.perEni : "?",
    maxPods: f?.maxPods ?? "?",
    thirdAt: third ?? "?",
    nodes: r.nodes,
    slots: r.slots,
    others: r.others,
    room: r.room,
    pending: Math.max(0, replicas - r.room),
    perNode: r.nodes > 0 ? Math.ceil(replicas / r.nodes) : "?",
    otherNames: otherNames(topo),
    name: NGINX.name,
  };
}

/** The texts of one scale step: its title, what to look for and why. */
export type ScaleText = "scale.s2" | "scale.s8" | "scale.s15" | "scale.s30" | "scale.s50" | "raise.s50";

/** What the steps that fill the nodes say when every replica finds room. */
const fitsTexts: Partial<Record<ScaleText, { look: LabKey; why: LabKey }>> = {
  "scale.s50": { look: "scale.s50.lookFits", why: "scale.s50.whyFits" },
  "raise.s50": { look: "raise.s50.lookFits", why: "raise.s50.whyFits" },
};

export function scaleStep(id: string, replicas: number, look: ScaleLook, text: ScaleText): LabStep {
  return {
    id,
    title: { key: `${text}.title`, values: { replicas } },
    view(topo) {
      const values = scaleValues(topo, replicas);
      // On a larger type (c5d.large: max pods 29) every replica finds room: the step says so rather than
      // "every node is full", and lights the pods.
      const fits = look === "full" && values.pending === 0 ? fitsTexts[text] : undefined;
      return {
        commands: [{ text: scaleCommand(NGINX.name, replicas) }],
        lookFor: { key: fits?.look ?? `${text}.look`, values },
        highlight: highlightFor(topo, fits ? "pods" : look),
        why: [{ key: fits?.why ?? `${text}.why`, values }, ...warmSettingsNote(topo)],
      };
    },
    observe: (topo) => observeScale(topo, replicas),
  };
}
