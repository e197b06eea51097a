// "Export PNG/SVG": the whole cluster or what is on screen, under a header that says what it shows, saved
// as a file download.
import { eniTotal, type Topology } from "@eni-view/model";
import { heatColorFn } from "../draw/heatColors.ts";
import type { BoxStyle } from "../draw/nodeBox.ts";
import { type PictureOptions, picturePng, pictureSvg, type Region, wholeRegion } from "../draw/picture.ts";
import { formatNumber } from "../i18n/format.ts";
import { t } from "../i18n/i18n.ts";
import type { ClusterLayout } from "../layout/clusterLayout.ts";
import { captureTime, clampName } from "../layout/format.ts";
import type { HeatMode } from "../layout/heat.ts";
import { pictureContent } from "./pictureContent.ts";

/** The cluster's name and region as the title starts with them: cluster data, not the page's words. */
export function pictureTitleName(topo: Topology): string | undefined {
  if (!topo.cluster.name) return undefined;
  return `${clampName(topo.cluster.name)}${topo.cluster.region ? ` (${topo.cluster.region})` : ""}`;
}

export function pictureTitle(topo: Topology): string {
  const s = topo.summary;
  const when = new Date(topo.generatedAt);
  const time = Number.isNaN(when.getTime())
    ? topo.generatedAt
    : when.toISOString().replace("T", " ").slice(0, 19);
  // A capture is labelled as one, with the time it was taken, not the time it was served.
  const stamp =
    topo.source === "dump"
      ? topo.cluster.capturedAt
        ? t("export.capture", { time: captureTime(topo.cluster.capturedAt) })
        : t("export.captureUnknown")
      : t("export.time", { time });
  const totals = t("export.summary", {
    nodes: t("layout.nodes", { count: s.nodes }),
    running: s.podsRunning,
    pending: s.pendingPods,
    used: s.ipsUsed,
    warm: s.ipsWarm,
    assigned: s.ipsAssigned,
    attached: s.enisAttached,
    // The model's eniTotal ("15+?" while some nodes' types or ENIs are unknown) in the page's number format.
    possible: eniTotal(s).replace(/\d+/, (n) => formatNumber(Number(n))),
  });
  const warned =
    topo.warnings.length > 0 ? ` · ${t("export.warnings", { count: topo.warnings.length })}` : "";
  return `${t("export.title", { name: pictureTitleName(topo) ?? t("export.cluster"), stamp, totals })}${warned}`;
}

/** Hands the browser a file to save; the URL lives long enough for a large video to be written. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export const exportScopes = ["cluster", "view"] as const;
export type ExportScope = (typeof exportScopes)[number];

export interface ExportRequest {
  kind: "png" | "svg";
  ratio: number;
  /** The whole cluster, or the part of the map on screen at its zoom. */
  scope: ExportScope;
  layout: ClusterLayout;
  style: Omit<BoxStyle, "text">;
  /** The map's region on screen, for "what I see"; null when the map is not drawn (subnet view). */
  view: Region | null;
  header: Omit<Parameters<typeof pictureContent>[0], "heat" | "note">;
  heat: HeatMode;
}

/** Saves the picture; returns what to tell the user (the pixel ratio used when it had to be lowered, the
 * heat map when the cluster was past the detail cap). */
export async function exportPicture(r: ExportRequest): Promise<string> {
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "");
  const base = `eni-view-${r.scope === "view" ? "view-" : ""}${stamp}`;
  let region: Region | undefined;
  let heat = r.heat;
  let heatStyle: Omit<BoxStyle, "text"> | null = null;
  let note: string | undefined;
  if (r.scope === "view") {
    if (!r.view) throw new Error(t("screens.export.noView"));
    region = r.view;
  } else {
    const whole = wholeRegion(r.layout, r.kind === "png" ? r.ratio : 1);
    region = whole.region;
    if (whole.heat) {
      // Past the cap every box would be a few pixels of texture anyway: the heat map says more, in colour.
      if (heat === "off") heat = "pods";
      heatStyle = { ...r.style, heat: heatColorFn(heat, r.style.theme) };
      note = t("screens.export.heatNote", { count: r.layout.nodes.length });
    }
  }
  const o: PictureOptions = {
    layout: r.layout,
    style: r.style,
    region,
    heatStyle,
    content: pictureContent({ ...r.header, heat, note }),
  };
  if (r.kind === "svg") {
    download(new Blob([pictureSvg(o)], { type: "image/svg+xml" }), `${base}.svg`);
    return heatStyle
      ? t("screens.export.savedHeat", { kind: "SVG" })
      : t("screens.export.saved", { kind: "SVG" });
  }
  const png = await picturePng(o, r.ratio);
  download(png.blob, `${base}.png`);
  const size = t("screens.export.size", {
    width: png.width,
    height: png.height,
    mb: (png.blob.size / 1048576).toFixed(1),
  });
  if (heatStyle) return `${t("screens.export.savedHeat", { kind: "PNG" })} ${size}`;
  return png.ratio < r.ratio
    ? `${t("screens.export.savedLowered", { ratio: png.ratio.toFixed(2) })} ${size}`
    : `${t("screens.export.saved", { kind: "PNG" })} ${size}`;
}
