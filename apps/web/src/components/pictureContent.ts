// What an exported picture says above the map: the title, a summary line (subnets, problems), the legend
// for the colours and marks in the picture, and the Pending pods grouped as the tray groups them.
import type { ProblemIndex, Topology } from "@eni-view/model";
import type { PictureContent, Swatch } from "../draw/pictureHeader.ts";
import type { PodColorFn } from "../draw/podColors.ts";
import { markFill, problemMarkRects } from "../draw/problemMarks.ts";
import type { Theme } from "../draw/theme.ts";
import { t } from "../i18n/i18n.ts";
import { clampName, formatCount, shortZone } from "../layout/format.ts";
import type { HeatMode } from "../layout/heat.ts";
import { pendingSummary } from "../layout/pendingSummary.ts";
import { problemKinds } from "../layout/problems.ts";
import { pictureTitle, pictureTitleName } from "./exportPicture.ts";

const colourModes = new Set(["namespace", "phase", "owner"]);
/** The colouring's name in the page's language (a mode a newer page adds stays as it is). */
function colourModeLabel(mode: string): string {
  return colourModes.has(mode) ? t(`toolbar.colourBy.${mode as "namespace"}`) : mode;
}

/** Pending groups listed in an export; the rest are counted in one line. */
const PENDING_LINES = 12;
const LEGEND_VALUES = 8;

const box = (theme: Theme, rects: Swatch["rects"] = []): Swatch => ({ base: theme.boxFill, rects });

function problemSwatch(theme: Theme, kind: (typeof problemKinds)[number]): Swatch {
  if (kind === "not-ready" || kind === "cordoned")
    return box(theme, [{ x: 0, y: 0, w: 12, h: 4, fill: kind === "not-ready" ? theme.bad : theme.warn }]);
  // The mark's own shape on a box, at the swatch's size.
  return box(
    theme,
    problemMarkRects(12, 12, [kind], true).map((r) => {
      // The badge is wider than a swatch: kept inside it.
      const x = Math.max(0, r.x);
      return { x, y: r.y, w: Math.min(r.w, 12 - x), h: r.h, fill: markFill(theme, r.color) };
    }),
  );
}

export function pictureContent(o: {
  topology: Topology;
  theme: Theme;
  problems: ProblemIndex | null;
  /** [label, colour key, pods] of the colouring's biggest values, as the legend shows them. */
  values: readonly [string, string, number][];
  colorMode: string;
  podColor: PodColorFn;
  /** The heat map drawn, if any (the user's, or the whole-cluster export's fallback). */
  heat: HeatMode;
  /** Said after the summary: why the picture is a heat map. */
  note?: string;
  /** Said before the title: what the picture is when it is not the cluster as it is (a plan). */
  label?: string;
}): PictureContent {
  const { topology: topo, theme } = o;
  const subnets = topo.subnets
    .map((s) =>
      t("export.subnetFree", {
        subnet: `${s.zone ? `${shortZone(s.zone)} ` : ""}${s.cidr}`,
        free: formatCount(s.availableIps),
      }),
    )
    .join(", ");
  const problems = o.problems
    ? [...o.problems.byKind].map(([k, list]) =>
        t("export.problemCount", { count: list.length, kind: t(`screens.export.problem.${k}`) }),
      )
    : [];
  const summary = [
    subnets && t("screens.export.subnets", { list: subnets }),
    t("screens.export.problems", {
      list: problems.length > 0 ? problems.join(", ") : t("screens.export.noProblems"),
    }),
    o.note,
  ]
    .filter(Boolean)
    .join(" · ");
  // The heat-map fallback draws no cells: its legend is the ramp alone.
  const cells = o.note === undefined;
  const legend: PictureContent["legend"] = [];
  if (cells)
    legend.push(
      {
        label: t("screens.export.legend.primary"),
        swatch: { rects: [{ x: 4, y: 4, w: 4, h: 4, fill: theme.boxFill }], base: theme.primaryCell },
      },
      { label: t("screens.export.legend.warm"), swatch: { rects: [], stroke: theme.warmStroke } },
      {
        label: t("screens.export.legend.cooling"),
        swatch: { rects: [], base: theme.cooling, stroke: theme.warmStroke },
      },
      {
        label: t("screens.export.legend.free"),
        swatch: { rects: [{ x: 3, y: 3, w: 6, h: 6, fill: theme.freeCell }] },
      },
      { label: t("screens.export.legend.notAttached"), swatch: { rects: [], stroke: theme.placeholderCell } },
      {
        label: t("screens.export.legend.hostNetwork"),
        swatch: { rects: [], base: theme.hostCell, round: true },
      },
      ...o.values.slice(0, LEGEND_VALUES).map(([label, key]) => ({
        label: t("export.legendValue", {
          mode: colourModeLabel(o.colorMode),
          value: clampName(label) || t("legend.none"),
        }),
        swatch: { rects: [], base: o.podColor(key) },
        data: label !== "",
      })),
    );
  if (o.heat !== "off")
    legend.push(
      { label: t(`controls.heatTitles.${o.heat}`), swatch: { rects: [], base: theme.heat[0]! } },
      ...theme.heat.slice(1).map((c, i) => ({
        label: i === theme.heat.length - 2 ? t("screens.export.legend.heatHot") : "",
        swatch: { rects: [], base: c },
      })),
      { label: t("screens.export.legend.unknown"), swatch: { rects: [], base: theme.placeholderCell } },
    );
  for (const k of problemKinds)
    legend.push({ label: t(`screens.export.problem.${k}`), swatch: problemSwatch(theme, k) });
  const pending = pendingSummary(topo.pending, PENDING_LINES);
  const lines = [...pending.lines];
  if (pending.moreGroups > 0)
    lines.push(t("screens.pending.more", { count: pending.moreGroups, pods: pending.morePods }));
  return {
    // A plan's label goes first, where it cannot be missed; the cluster name then no longer leads the line.
    title: o.label ? `${o.label} · ${pictureTitle(topo)}` : pictureTitle(topo),
    titleName: o.label ? undefined : pictureTitleName(topo),
    summary,
    legend,
    pendingTitle:
      pending.total === 0
        ? `${t("screens.pending.title", { count: 0 })} · ${t("screens.pending.none")}`
        : t("screens.pending.title", { count: pending.total }),
    pending: lines,
  };
}
