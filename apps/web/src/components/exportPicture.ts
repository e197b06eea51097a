// "Export PNG/SVG": the whole cluster with a title line, saved as a file download.
import type { Topology } from "@eni-view/model";
import { type PictureOptions, picturePng, pictureSvg } from "../draw/picture.ts";
import { captureTime, clampName } from "../layout/format.ts";

export function pictureTitle(t: Topology): string {
  const s = t.summary;
  const when = new Date(t.generatedAt);
  const time = Number.isNaN(when.getTime())
    ? t.generatedAt
    : when.toISOString().replace("T", " ").slice(0, 19);
  // A capture is labelled as one, with the time it was taken, not the time it was served.
  const stamp =
    t.source === "dump"
      ? `capture taken ${t.cluster.capturedAt ? captureTime(t.cluster.capturedAt) : "(time unknown)"}`
      : `${time} UTC`;
  const warned =
    t.warnings.length > 0 ? ` · ${t.warnings.length} warning${t.warnings.length === 1 ? "" : "s"}` : "";
  return `${clampName(t.cluster.name ?? "cluster")}${t.cluster.region ? ` (${t.cluster.region})` : ""} · ${stamp} · ${s.nodes} nodes · ${s.podsRunning} pods running, ${s.pendingPods} pending · IPs ${s.ipsUsed} used / ${s.ipsWarm} warm / ${s.ipsAssigned} assigned · ENIs ${s.enisAttached}/${s.enisPossible}${warned}`;
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

/** Saves the picture; returns what to tell the user (the pixel ratio used when it had to be lowered). */
export async function exportPicture(kind: "png" | "svg", ratio: number, o: PictureOptions): Promise<string> {
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "");
  const base = `eni-view-${stamp}`;
  if (kind === "svg") {
    download(new Blob([pictureSvg(o)], { type: "image/svg+xml" }), `${base}.svg`);
    return "SVG saved";
  }
  const { blob, ratio: used } = await picturePng(o, ratio);
  download(blob, `${base}.png`);
  return used < ratio
    ? `PNG saved at ${used.toFixed(2)}× (the largest image the browser can make)`
    : "PNG saved";
}
