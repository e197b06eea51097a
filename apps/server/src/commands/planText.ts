// `eni-view plan`'s text output: the changes, the first limit, the nodes before and after (ranges over
// the seeds), the Pending pods grouped, the subnets, the EC2 calls against their buckets, the time to
// settle and what only replaced nodes get. Everything from the cluster goes through terminalSafe. The
// frame is in the CLI's language, and so are the planner's own sentences (changes, limits, summaries,
// warnings: the model's English, recognised and said again from its "planner" catalogue).
import type { PendingReason, PlanAnswer, PlanResult, Range } from "@eni-view/model";
import { plannerSentence as say, t } from "../i18n/cliText.ts";
import { pendingWhy } from "./pendingWhy.ts";
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
        t("plan.text.fit", {
          kind: a.workload.kind,
          workload: `${a.workload.namespace}/${a.workload.name}`,
          fit: r(a.fit),
          now: a.current,
        }),
      ),
      terminalSafe(`  ${say(a.limit)}`),
    ];
  }
  if (a.kind === "nodes-needed")
    return [terminalSafe(t("plan.text.nodesNeeded", { summary: say(a.summary) }))];
  const out = [
    terminalSafe(
      t("plan.text.types", { family: a.family, count: a.count, pod: `${a.like.namespace}/${a.like.name}` }),
    ),
    formatTable(
      a.options,
      [
        { header: t("plan.text.col.type"), value: (o) => o.instanceType },
        { header: t("plan.text.col.maxPods"), right: true, value: (o) => o.maxPods },
        { header: t("plan.text.col.nodes"), right: true, value: (o) => o.nodes },
        { header: t("plan.text.col.enis"), right: true, value: (o) => r(o.enis) },
        { header: t("plan.text.col.addresses"), right: true, value: (o) => r(o.addresses) },
      ],
      "  ",
    ),
    `  ${t("plan.text.fewest", {
      nodes: a.fewestNodes ?? t("plan.text.noneFits"),
      enis: a.fewestEnis ?? t("plan.text.none"),
      addresses: a.fewestAddresses ?? t("plan.text.none"),
    })}`,
  ];
  return out;
}

export function formatPlan(plan: PlanResult, wide: boolean): string {
  const out: string[] = [];
  const seeds = plan.seeds.length;
  out.push(
    terminalSafe(
      t("plan.text.plan", {
        changes: plan.changes.map((c) => say(c.text)).join("; ") || t("plan.text.noChange"),
      }),
    ),
  );
  out.push(t("plan.text.seeds", { seeds: plan.seeds.join(", ") }));
  // One line, whatever its length: the line people look for (and grep).
  out.push(
    "",
    terminalSafe(
      t("plan.text.firstLimit", {
        limit: plan.firstLimit === null ? t("plan.text.noLimit") : say(plan.firstLimit),
      }),
    ),
  );
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
    t("plan.text.nodes", {
      after: plan.nodes.filter((n) => n.fate !== "removed").length,
      added: plan.nodes.filter((n) => n.fate === "new").length,
      removed: plan.nodes.filter((n) => n.fate === "removed").length,
      listed: wide ? "" : t("plan.text.listed", { count: shown.length }),
    }),
  );
  if (shown.length > 0) {
    out.push(
      formatTable(shown, [
        { header: t("plan.text.col.node"), value: (n) => terminalSafe(short(n.name)) },
        {
          header: "",
          value: (n) =>
            n.fate === "kept"
              ? ""
              : n.fate === "new"
                ? n.replaces
                  ? t("plan.text.newFor", { node: terminalSafe(short(n.replaces)) })
                  : t("plan.text.new")
                : t("plan.text.removed"),
        },
        { header: t("plan.text.col.type"), value: (n) => n.instanceType },
        { header: t("plan.text.col.zone"), value: (n) => n.zone },
        { header: t("plan.text.col.enis"), right: true, value: (n) => change(n, n.before.enis, n.enis) },
        {
          header: t("plan.text.col.ips"),
          right: true,
          value: (n) => `${change(n, n.before.assigned, n.assigned)}${n.unit === "prefix" ? " /28" : ""}`,
        },
        {
          header: t("plan.text.col.used"),
          right: true,
          value: (n) => (n.fate === "removed" ? "-" : r(n.used)),
        },
        {
          header: t("plan.text.col.warm"),
          right: true,
          value: (n) => (n.fate === "removed" ? "-" : r(n.warm)),
        },
        {
          header: t("plan.text.col.podsMax"),
          right: true,
          value: (n) => `${change(n, n.before.pods, n.pods)}/${n.maxPods ?? "?"}`,
        },
      ]),
    );
  }
  const fresh = plan.pending.filter((p) => !p.already);
  out.push("", t("plan.text.pending", { count: plan.pending.length, fresh: fresh.length }));
  const groups = new Map<string, { count: number; seeds: Range; reason: PendingReason }>();
  for (const p of plan.pending) {
    const key = `${p.namespace}/${p.owner ?? p.name} · ${p.reason}: ${p.message}`;
    const g = groups.get(key) ?? { count: 0, seeds: { min: seeds, max: 0 }, reason: p.reason };
    g.count++;
    g.seeds = { min: Math.min(g.seeds.min, p.seeds), max: Math.max(g.seeds.max, p.seeds) };
    groups.set(key, g);
  }
  for (const [key, g] of [...groups].sort((a, b) => b[1].count - a[1].count)) {
    const some = g.seeds.min < seeds ? t("plan.text.someSeeds", { min: g.seeds.min, seeds }) : "";
    out.push(wrap(terminalSafe(`${g.count} × ${key}${some}`), "  ", "      "), pendingWhy(g.reason));
  }
  out.push(
    "",
    t("plan.text.subnets"),
    formatTable(plan.subnets, [
      {
        header: t("plan.text.col.subnet"),
        value: (s) => terminalSafe(s.name ? `${s.id} (${s.name})` : s.id),
      },
      { header: t("plan.text.col.cidr"), value: (s) => s.cidr },
      { header: t("plan.text.col.zone"), value: (s) => s.zone },
      { header: t("plan.text.col.free"), right: true, value: (s) => `${s.freeBefore}->${r(s.freeAfter)}` },
      {
        header: t("plan.text.col.free28"),
        right: true,
        value: (s) => `${s.freeBlocks28Before}->${r(s.freeBlocks28After)}`,
      },
      { header: t("plan.text.col.runsOut"), value: (s) => s.error ?? (s.runsOut ? t("plan.text.yes") : "") },
    ]),
  );
  out.push("", t("plan.text.ec2", { summary: say(plan.ec2.summary) }));
  if (plan.ec2.calls.length > 0) {
    out.push(
      formatTable(
        plan.ec2.calls,
        [
          { header: t("plan.text.col.action"), value: (c) => c.action },
          { header: t("plan.text.col.calls"), right: true, value: (c) => r(c.count) },
          {
            header: t("plan.text.col.bucket"),
            value: (c) =>
              `${t(`planner:category.${c.category}`)} ${c.bucket.size} + ${c.bucket.refillPerSecond}/s`,
          },
          {
            header: t("plan.text.col.fits"),
            value: (c) => (c.fits ? t("plan.text.yes") : t("plan.text.throttled")),
          },
        ],
        "  ",
      ),
    );
  }
  out.push("", wrap(t("plan.text.settle", { summary: say(plan.settle.summary) }), "", "  "));
  if (plan.nodesToReplace.length > 0) {
    out.push(
      "",
      wrap(
        terminalSafe(
          t("plan.text.replace", {
            count: plan.nodesToReplace.length,
            nodes: plan.nodesToReplace.map(short).join(", "),
          }),
        ),
        "",
        "  ",
      ),
    );
  }
  if (plan.effects.atOnce.length > 0)
    out.push(
      "",
      ...plan.effects.atOnce.map((e) =>
        wrap(terminalSafe(t("plan.text.atOnce", { text: say(e) })), "", "  "),
      ),
    );
  if (plan.effects.onReplacedNodes.length > 0)
    out.push(
      ...plan.effects.onReplacedNodes.map((e) =>
        wrap(terminalSafe(t("plan.text.onReplaced", { text: say(e) })), "", "  "),
      ),
    );
  for (const a of plan.answers) out.push("", ...answerText(a));
  for (const w of plan.warnings)
    out.push("", wrap(terminalSafe(t("plan.text.warning", { text: say(w) })), "", "  "));
  return out.join("\n");
}
