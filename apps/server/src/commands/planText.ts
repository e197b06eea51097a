// `eni-view plan`'s text output: the changes, the first limit, the nodes before and after (ranges over
// the seeds), the Pending pods grouped, the subnets, the EC2 calls against their buckets, the time to
// settle and what only replaced nodes get. Everything from the cluster goes through terminalSafe.
import type { PlanAnswer, PlanResult, Range } from "@eni-view/model";
import { terminalSafe } from "./terminalText.ts";
import { formatTable, wrap } from "./textTable.ts";

function r(range: Range): string {
  return range.min === range.max ? String(range.min) : `${range.min}-${range.max}`;
}

/** "before->after" for a node, "before->-" for one that goes. */
function change(n: PlanResult["nodes"][number], before: number, after: Range): string {
  return `${before}->${n.fate === "removed" ? "-" : r(after)}`;
}

function commonDomain(names: readonly string[]): string {
  const first = names[0] ?? "";
  const dot = first.indexOf(".");
  if (dot < 0) return "";
  const domain = first.slice(dot);
  return names.every((n) => n.endsWith(domain) && n.length > domain.length) ? domain : "";
}

function answerText(a: PlanAnswer): string[] {
  if (a.kind === "replicas-that-fit") {
    return [
      terminalSafe(
        `Replicas of ${a.workload.kind} ${a.workload.namespace}/${a.workload.name} that fit: ${r(a.fit)} (now ${a.current})`,
      ),
      terminalSafe(`  ${a.limit}`),
    ];
  }
  if (a.kind === "nodes-needed") return [terminalSafe(`Nodes needed: ${a.summary}`)];
  const out = [
    terminalSafe(
      `Instance types of ${a.family} for ${a.count} more pods like ${a.like.namespace}/${a.like.name}:`,
    ),
    formatTable(
      a.options,
      [
        { header: "TYPE", value: (o) => o.instanceType },
        { header: "MAX PODS", right: true, value: (o) => o.maxPods },
        { header: "NODES", right: true, value: (o) => o.nodes },
        { header: "ENIS", right: true, value: (o) => r(o.enis) },
        { header: "SUBNET ADDRESSES", right: true, value: (o) => r(o.addresses) },
      ],
      "  ",
    ),
    `  fewest nodes: ${a.fewestNodes ?? "none fits"}; fewest ENIs: ${a.fewestEnis ?? "none"}; fewest subnet addresses: ${a.fewestAddresses ?? "none"}`,
  ];
  return out;
}

export function formatPlan(plan: PlanResult, wide: boolean): string {
  const out: string[] = [];
  const seeds = plan.seeds.length;
  out.push(
    terminalSafe(`Plan: ${plan.changes.map((c) => c.text).join("; ") || "no change (the cluster as it is)"}`),
  );
  out.push(`Seeds: ${plan.seeds.join(", ")} (a range "a-b" is where they end differently)`);
  // One line, whatever its length: the line people look for (and grep).
  out.push("", terminalSafe(`First limit: ${plan.firstLimit ?? "none: every pod gets a node and an IP"}`));
  const domain = commonDomain(plan.nodes.filter((n) => n.fate !== "new").map((n) => n.name));
  const short = (name: string) => (domain && name.endsWith(domain) ? name.slice(0, -domain.length) : name);
  const shown = wide
    ? plan.nodes
    : plan.nodes.filter(
        (n) =>
          n.fate !== "kept" ||
          n.pods.max !== n.before.pods ||
          n.enis.max !== n.before.enis ||
          n.assigned.max !== n.before.assigned,
      );
  out.push(
    "",
    `Nodes: ${plan.nodes.filter((n) => n.fate !== "removed").length} after the change (${plan.nodes.filter((n) => n.fate === "new").length} new, ${plan.nodes.filter((n) => n.fate === "removed").length} removed)${wide ? "" : `; ${shown.length} changed listed (-o wide lists all)`}`,
  );
  if (shown.length > 0) {
    out.push(
      formatTable(shown, [
        { header: "NODE", value: (n) => terminalSafe(short(n.name)) },
        {
          header: "",
          value: (n) =>
            n.fate === "kept"
              ? ""
              : n.fate === "new"
                ? n.replaces
                  ? `new (for ${terminalSafe(short(n.replaces))})`
                  : "new"
                : "removed",
        },
        { header: "TYPE", value: (n) => n.instanceType },
        { header: "ZONE", value: (n) => n.zone },
        { header: "ENIS", right: true, value: (n) => change(n, n.before.enis, n.enis) },
        {
          header: "IPS/PREFIXES",
          right: true,
          value: (n) => `${change(n, n.before.assigned, n.assigned)}${n.unit === "prefix" ? " /28" : ""}`,
        },
        { header: "USED", right: true, value: (n) => (n.fate === "removed" ? "-" : r(n.used)) },
        { header: "WARM", right: true, value: (n) => (n.fate === "removed" ? "-" : r(n.warm)) },
        {
          header: "PODS/MAX",
          right: true,
          value: (n) => `${change(n, n.before.pods, n.pods)}/${n.maxPods ?? "?"}`,
        },
      ]),
    );
  }
  const fresh = plan.pending.filter((p) => !p.already);
  out.push("", `Pending after the change: ${plan.pending.length} (${fresh.length} new)`);
  const groups = new Map<string, { count: number; seeds: Range }>();
  for (const p of plan.pending) {
    const key = `${p.namespace}/${p.owner ?? p.name} · ${p.reason}: ${p.message}`;
    const g = groups.get(key) ?? { count: 0, seeds: { min: seeds, max: 0 } };
    g.count++;
    g.seeds = { min: Math.min(g.seeds.min, p.seeds), max: Math.max(g.seeds.max, p.seeds) };
    groups.set(key, g);
  }
  for (const [key, g] of [...groups].sort((a, b) => b[1].count - a[1].count)) {
    const some = g.seeds.min < seeds ? ` (some in ${g.seeds.min} of ${seeds} seeds)` : "";
    out.push(wrap(terminalSafe(`${g.count} × ${key}${some}`), "  ", "      "));
  }
  out.push(
    "",
    "Subnets after the change:",
    formatTable(plan.subnets, [
      { header: "SUBNET", value: (s) => terminalSafe(s.name ? `${s.id} (${s.name})` : s.id) },
      { header: "CIDR", value: (s) => s.cidr },
      { header: "ZONE", value: (s) => s.zone },
      { header: "FREE", right: true, value: (s) => `${s.freeBefore}->${r(s.freeAfter)}` },
      { header: "FREE /28", right: true, value: (s) => `${s.freeBlocks28Before}->${r(s.freeBlocks28After)}` },
      { header: "RUNS OUT", value: (s) => s.error ?? (s.runsOut ? "yes" : "") },
    ]),
  );
  out.push("", `EC2 calls by IPAMD: ${plan.ec2.summary}`);
  if (plan.ec2.calls.length > 0) {
    out.push(
      formatTable(
        plan.ec2.calls,
        [
          { header: "ACTION", value: (c) => c.action },
          { header: "CALLS", right: true, value: (c) => r(c.count) },
          {
            header: "BUCKET",
            value: (c) => `${c.category} ${c.bucket.size} + ${c.bucket.refillPerSecond}/s`,
          },
          { header: "FITS", value: (c) => (c.fits ? "yes" : "no: throttled") },
        ],
        "  ",
      ),
    );
  }
  out.push("", wrap(`Time to settle: ${plan.settle.summary}`, "", "  "));
  if (plan.nodesToReplace.length > 0) {
    out.push(
      "",
      wrap(
        terminalSafe(
          `Nodes to replace (${plan.nodesToReplace.length}): ${plan.nodesToReplace.map(short).join(", ")}`,
        ),
        "",
        "  ",
      ),
    );
  }
  if (plan.effects.atOnce.length > 0)
    out.push("", ...plan.effects.atOnce.map((t) => wrap(terminalSafe(`At once: ${t}`), "", "  ")));
  if (plan.effects.onReplacedNodes.length > 0)
    out.push(
      ...plan.effects.onReplacedNodes.map((t) =>
        wrap(terminalSafe(`Only on replaced nodes: ${t}`), "", "  "),
      ),
    );
  for (const a of plan.answers) out.push("", ...answerText(a));
  for (const w of plan.warnings) out.push("", wrap(terminalSafe(`warning: ${w}`), "", "  "));
  return out.join("\n");
}
