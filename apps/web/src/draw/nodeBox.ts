// Paints one node box in box-local layout units through a Painter (a cached bitmap, the overview, a PNG or
// an SVG export). Names only ever reach the output as text.
import type { EniReport, NodeReport } from "@eni-view/model";
import { t as translate } from "../i18n/i18n.ts";
import { shortEniId, shortNodeName, shortSubnetId, shortZone } from "../layout/format.ts";
import { CELL, HEADER_H, PAD, PITCH, ROW_LABEL_H } from "../layout/metrics.ts";
import type { Cell, CellKind, NodeLayout } from "../layout/nodeLayout.ts";
import { eniAttaching, kindWords, nodeStatus, podsLine } from "../layout/nodeText.ts";
import type { NodePlanMarks } from "../layout/planDiff.ts";
import type { ProblemKind } from "../layout/problems.ts";
import { detailLoading } from "../overview/overviewState.ts";
import { loadingDots, thinBar } from "../overview/thinBox.ts";
import type { Font, Painter } from "./painter.ts";
import { drawPlanMarks } from "./planMarks.ts";
import { drawProblemMarks, TEXT_BADGE_W } from "./problemMarks.ts";
import type { Theme } from "./theme.ts";

export type Ctx2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export interface BoxStyle {
  theme: Theme;
  podColor: (podKey: string) => string;
  /** Whether a cell stays lit under the current search; null when nothing is searched. */
  lit: ((node: string, pod: string | null, ip: string | null) => boolean) | null;
  /** Whether the node as a whole is touched by the search. */
  nodeLit: ((node: string) => boolean) | null;
  /** The node's problems, for their marks; null draws none. */
  problems: ((node: string) => readonly ProblemKind[] | undefined) | null;
  /** Heat-map colour of the node; null when the map is off. Zoomed out the box is filled with it. */
  heat: ((node: NodeReport) => string) | null;
  /** What a plan changes on the node (planMarks.ts); absent or null outside a plan. */
  plan?: ((node: string) => NodePlanMarks | undefined) | null;
  text: boolean;
}

function fit(p: Painter, text: string, font: Font, width: number): string {
  if (p.measure(text, font) <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (p.measure(`${text.slice(0, mid)}…`, font) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

export function eniCaption(eni: EniReport | null, deviceIndex: number, hidden: number): string {
  const dev = `eth${deviceIndex}`;
  if (!eni)
    return hidden > 0
      ? translate("box.notAttachedIps", { dev, count: hidden })
      : translate("box.notAttached", { dev });
  const ids = { id: shortEniId(eni.id), subnet: shortSubnetId(eni.subnetId) };
  // Branch ENIs have no device slot: they ride a VLAN of the trunk drawn above them.
  if (eni.role === "branch") return translate("box.branch", ids);
  if (eni.role === "fargate") return translate("box.fargate", ids);
  const role =
    eni.role === "primary" || eni.role === "secondary" ? "" : ` · ${translate(`node.eni.role.${eni.role}`)}`;
  const card = eni.networkCardIndex > 0 ? translate("box.card", { card: eni.networkCardIndex }) : "";
  // An IPv6 node's pods live in the ENI's /80: that, not the subnet, is what the row is about.
  const v6 = eni.prefixes.find((p) => p.includes(":"));
  if (v6 !== undefined) return `${dev}${card} ${shortEniId(eni.id)} ${v6}`;
  if (eniAttaching(eni)) return translate("box.attaching", { dev: `${dev}${card}`, id: ids.id });
  const free = hidden > 0 ? translate("box.moreFree", { count: hidden }) : "";
  return `${dev}${card} ${ids.id} ${ids.subnet}${role}${free}`;
}

const nameFont: Font = { size: 10, weight: 600 };
const statusFont: Font = { size: 8, weight: 600 };
const infoFont: Font = { size: 8.5 };
const captionFont: Font = { size: 7.5, mono: true };
/** How far in from its cell the "room on ENI" square sits. */
const FREE_INSET = 2;

/**
 * An empty slot's colour zoomed out, where every cell is a solid square a pixel or two wide. Each is opaque and
 * at the theme's mark contrast against the box (WCAG 1.4.11): fading warm and unattached slots with an alpha, as
 * before, left them at 1.6:1. They stay apart by lightness instead, darkest nearest to holding a pod: the
 * primary IP, then warm, then room on the ENI, then a slot not attached (overviewContrast.test.ts).
 */
export function zoomedOutSlotFill(t: Theme, kind: Exclude<CellKind, "pod">): string {
  switch (kind) {
    case "primary":
      return t.primaryCell;
    case "warm":
      return t.warmStroke;
    case "free":
      return t.freeCell;
    default:
      // Another card's interface holds no pod either: zoomed out it reads as headroom not attached.
      return t.placeholderCell;
  }
}

function drawCell(p: Painter, c: Cell, style: BoxStyle, nodeName: string, firstLine: boolean): void {
  const t = style.theme;
  const a = style.lit !== null && !style.lit(nodeName, c.pod, c.ip) ? t.dimAlpha : 1;
  if (!style.text) {
    // Zoomed out a cell is a pixel or two: close the gaps (and, on an ENI's first line, grow over its caption,
    // which is not drawn) so colour, not box paper, fills the picture.
    const fill = c.kind === "pod" ? style.podColor(c.pod!) : zoomedOutSlotFill(t, c.kind);
    const top = firstLine ? c.y - ROW_LABEL_H + 2 : c.y;
    p.rect(c.x, top, PITCH, c.y + PITCH - top, fill, a);
    return;
  }
  switch (c.kind) {
    case "pod":
      p.rect(c.x, c.y, CELL, CELL, style.podColor(c.pod!), a);
      break;
    case "primary":
      // The node's own address: a dark square with a hole, never mistaken for a pod.
      p.rect(c.x, c.y, CELL, CELL, t.primaryCell, a);
      p.rect(c.x + 3, c.y + 3, CELL - 6, CELL - 6, t.boxFill, 1);
      break;
    case "warm":
      p.strokeRect(c.x + 0.6, c.y + 0.6, CELL - 1.2, CELL - 1.2, t.warmStroke, 1.2, a);
      break;
    case "free":
      // Room on the ENI: a small square, lighter in weight than a pod or a warm IP but 3:1 against the box.
      p.rect(c.x + FREE_INSET, c.y + FREE_INSET, CELL - 2 * FREE_INSET, CELL - 2 * FREE_INSET, t.freeCell, a);
      break;
    case "placeholder":
      p.strokeRect(c.x + 0.5, c.y + 0.5, CELL - 1, CELL - 1, t.placeholderCell, 1, a);
      break;
    case "interface":
      // Another card's interface: an outline with a bar across, never a slot a pod could take.
      p.strokeRect(c.x + 0.5, c.y + 0.5, CELL - 1, CELL - 1, t.textDim, 1, a * 0.8);
      p.rect(c.x + 2, c.y + CELL / 2 - 0.5, CELL - 4, 1, t.textDim, a * 0.8);
      break;
  }
}

/** A thin node's numbers where its rows will be (overview/thinBox.ts): never empty slots. */
function drawThinSummary(
  p: Painter,
  l: NodeLayout,
  area: { y: number; height: number },
  style: BoxStyle,
): void {
  const t = style.theme;
  const n = l.node;
  const bar = thinBar(n);
  const w = l.width - 2 * PAD;
  const barY = style.text ? area.y + ROW_LABEL_H : area.y;
  const barH = style.text ? CELL : area.height;
  let x = PAD;
  const segment = (share: number, fill: string, alpha: number) => {
    if (share <= 0) return;
    p.rect(x, barY, share * w, barH, fill, alpha);
    x += share * w;
  };
  // Opaque, as the cells are zoomed out: at 0.35 the warm and room parts fell to 1.6:1 against the box.
  segment(bar.used, t.primaryCell, 1);
  segment(bar.warm, zoomedOutSlotFill(t, "warm"), 1);
  segment(bar.room, zoomedOutSlotFill(t, "free"), 1);
  const loading = detailLoading(n);
  if (style.text) {
    const enis = n.omitted?.enis ?? n.enis.length;
    const numbers = translate("overview.boxSummary", {
      enis,
      used: n.ipsUsed,
      assigned: n.ipsAssigned,
      warm: n.ipsWarm,
    });
    p.text(PAD, area.y + 8, fit(p, numbers, captionFont, w), captionFont, t.textDim);
    const note = translate(loading ? "overview.boxLoading" : "overview.boxNotLoaded");
    p.text(PAD, barY + barH + 10, fit(p, note, captionFont, w), captionFont, t.textDim);
  }
  if (loading)
    for (const d of loadingDots(l.width, area.y, area.height)) p.circle(d.x, d.y, d.r, t.textDim, 0.9);
}

export function drawNodeBox(p: Painter, l: NodeLayout, style: BoxStyle): void {
  const t = style.theme;
  const n = l.node;
  p.rect(0, 0, l.width, l.height, t.boxFill);
  p.strokeRect(
    0.5,
    0.5,
    l.width - 1,
    l.height - 1,
    n.overcommitted ? t.warn : t.boxStroke,
    n.overcommitted ? 1.5 : 1,
  );
  const status = nodeStatus(n);
  const problems = style.problems?.(n.name) ?? [];
  const heat = style.heat?.(n) ?? null;
  p.rect(0, 0, l.width, 3, t[status.tone]);
  // Zoomed out a healthy node's header is a faint tint; a NotReady or cordoned one's is a solid band drawn with
  // the problem marks (problemMarks.ts), over the cells or heat, with its keyline.
  if (!style.text && status.tone === "ok") p.rect(1, 4, l.width - 2, HEADER_H - 2, t.ok, 0.18);
  if (heat !== null && !style.text) {
    // Zoomed out the heat map is the picture: the box below its status band is one colour.
    p.rect(1, HEADER_H / 2 + 4, l.width - 2, l.height - HEADER_H / 2 - 5, heat);
    drawProblemMarks(p, l, problems, t, false);
    const marked = style.plan?.(n.name);
    if (marked) drawPlanMarks(p, l, marked, t, false);
    if (style.nodeLit !== null && !style.nodeLit(n.name)) p.rect(0, 0, l.width, l.height, t.background, 0.55);
    return;
  }
  if (heat !== null) p.rect(1, 4, l.width - 2, HEADER_H - 5, heat, 0.45);
  if (style.text) {
    const badge = problems.includes("waiting-for-ip") ? TEXT_BADGE_W + 3 : 0;
    const statusW = p.measure(status.label, statusFont) + 6 + badge;
    p.text(
      PAD,
      PAD + 10,
      fit(p, shortNodeName(n.name), nameFont, l.width - 2 * PAD - statusW),
      nameFont,
      t.text,
      "left",
      undefined,
      true,
    );
    p.text(l.width - PAD - badge, PAD + 9, status.label, statusFont, t[status.tone], "right");
    // Overcommitted: the warning takes the zone's place (the group title has it) so it fits narrow boxes.
    const kind = kindWords(n);
    const type = [n.instanceType ?? (kind === null ? translate("box.unknownType") : null), kind]
      .filter(Boolean)
      .join(" ");
    const warned = (n.warnings?.length ?? 0) > 0;
    const fits = (n.maxPodsByEni ?? 0) + (n.branchEnis ?? 0);
    const line2 = n.overcommitted
      ? translate("box.overcommitLine", { type, pods: n.pods, maxPods: n.maxPods, fits })
      : `${warned ? `⚠${n.warnings.length} ` : ""}${type} · ${shortZone(n.zone)} · ${podsLine(n)}`;
    p.text(
      PAD,
      PAD + 22,
      fit(p, line2, infoFont, l.width - 2 * PAD),
      infoFont,
      n.overcommitted || warned ? t.warn : t.textDim,
    );
  }
  if (l.summary) drawThinSummary(p, l, l.summary, style);
  for (const row of l.rows) {
    const role = row.eni?.role;
    if (role === "trunk" || role === "branch")
      p.rect(2, row.y + ROW_LABEL_H, 2, row.height - ROW_LABEL_H, role === "trunk" ? t.trunk : t.branch);
    if (style.text) {
      const colour = role === "trunk" ? t.trunk : role === "branch" ? t.branch : t.textDim;
      const caption = fit(
        p,
        row.caption ?? eniCaption(row.eni, row.deviceIndex, row.hiddenSlots),
        captionFont,
        l.width - 2 * PAD,
      );
      // ENIs unknown is a gap in the data, said in the warning colour; a placeholder is only headroom.
      const unknown = row.kind === "off-eni" && n.enisKnown === false && n.kind !== "hybrid";
      p.text(PAD, row.y + 8, caption, captionFont, unknown ? t.warn : colour);
    }
    const first = row.y + ROW_LABEL_H;
    // An attaching ENI's room is drawn like a slot not attached yet: no pod can take it.
    const attaching = eniAttaching(row.eni);
    for (const c of row.cells)
      drawCell(
        p,
        attaching && c.kind === "free" ? { ...c, kind: "placeholder" } : c,
        style,
        n.name,
        c.y === first,
      );
  }
  if (l.hostY >= 0) {
    if (style.text)
      p.text(PAD, l.hostY + 8, translate("box.host", { count: l.hostPods.length }), captionFont, t.textDim);
    for (const h of l.hostPods) {
      const lit = style.lit === null || style.lit(n.name, `${h.pod.namespace}/${h.pod.name}`, null);
      p.circle(h.x + CELL / 2, h.y + CELL / 2, CELL / 2 - 0.5, t.hostCell, lit ? 1 : t.dimAlpha);
    }
  }
  drawProblemMarks(p, l, problems, t, style.text);
  const planned = style.plan?.(n.name);
  if (planned) drawPlanMarks(p, l, planned, t, style.text);
  if (style.nodeLit !== null && !style.nodeLit(n.name)) p.rect(0, 0, l.width, l.height, t.background, 0.55);
}
