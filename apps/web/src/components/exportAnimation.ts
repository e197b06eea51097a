// "Export WebM" and "PNG strip": a range of a recording as a video (the map of each moment, the timeline
// under it with its cursor, the time on every frame), made in the browser with MediaRecorder, and a row
// of chosen moments as one PNG. Frames are drawn from the recorded topologies the server rebuilds, at
// `speed` times real time and `fps` frames a second of video.
import type { Timeline, Topology } from "@eni-view/model";
import { momentQuery } from "../api/recordings.ts";
import type { BoxStyle } from "../draw/nodeBox.ts";
import { drawPicture, pictureSize } from "../draw/picture.ts";
import { titleOnly } from "../draw/pictureHeader.ts";
import { podColorFn } from "../draw/podColors.ts";
import type { Theme } from "../draw/theme.ts";
import { t } from "../i18n/i18n.ts";
import { type ClusterLayout, type LayoutOptions, layoutCluster } from "../layout/clusterLayout.ts";
import { lazyPodIndex } from "../layout/podIndex.ts";
import { frameIndex, momentLabel, stepPath, timelineSeries } from "../layout/timeline.ts";
import { download, pictureTitle, pictureTitleName } from "./exportPicture.ts";

export interface AnimationOptions {
  recording: string;
  timeline: Timeline;
  from: number;
  to: number;
  speed: number;
  fps: number;
  width: number;
  theme: Theme;
  layout: LayoutOptions;
  onProgress?: (done: number, total: number) => void;
}

const STRIP_H = 96;
const seriesColor: Record<string, string> = {
  running: "#2e9d5b",
  pending: "#b87500",
  ipsAssigned: "#0a66d8",
  ipsUsed: "#7a5af8",
  ipsWarm: "#66707e",
  enis: "#c2410c",
  subnetFree: "#0e9384",
};

/** The moments a video of [from, to] shows, one per frame. */
export function frameTimes(from: number, to: number, speed: number, fps: number): number[] {
  const step = (1000 / fps) * speed;
  const times: number[] = [];
  for (let t = from; t <= to; t += step) times.push(Math.round(t));
  if (times.at(-1) !== to) times.push(to);
  return times;
}

class Moments {
  private readonly cache = new Map<number, Promise<Topology>>();
  private readonly recording: string;
  constructor(recording: string) {
    this.recording = recording;
  }
  at(frameT: number): Promise<Topology> {
    let p = this.cache.get(frameT);
    if (!p) {
      const q = momentQuery(this.recording, frameT);
      p = q.queryFn({ signal: new AbortController().signal });
      this.cache.set(frameT, p);
    }
    return p;
  }
}

interface FrameCtx {
  ctx: CanvasRenderingContext2D;
  width: number;
  height: number;
  mapHeight: number;
}

/** Moments are drawn coloured by namespace, without search or problem marks. */
function stripStyle(theme: Theme, topology: Topology): Omit<BoxStyle, "text"> {
  return {
    theme,
    podColor: podColorFn("namespace", lazyPodIndex(topology.pods), theme),
    lit: null,
    nodeLit: null,
    problems: null,
    heat: null,
  };
}

function drawFrame(
  f: FrameCtx,
  topology: Topology,
  layout: ClusterLayout,
  o: { theme: Theme; timeline: Timeline; from: number; to: number; t: number; label: string },
): void {
  const { ctx, width, height, mapHeight } = f;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = o.theme.background;
  ctx.fillRect(0, 0, width, height);
  const style = stripStyle(o.theme, topology);
  const picture = { layout, style, content: titleOnly(pictureTitle(topology), pictureTitleName(topology)) };
  const size = pictureSize(picture);
  const scale = Math.min(width / size.width, mapHeight / size.height);
  drawPicture(ctx, picture, scale, (width - size.width * scale) / 2, 0);
  // The timeline under the map: the totals, the events, the cursor and the time.
  const top = mapHeight + 8;
  const frame = { from: o.from, to: o.to, width: width - 24, height: STRIP_H - 40 };
  ctx.save();
  ctx.translate(12, top);
  ctx.lineWidth = 1.5;
  for (const s of timelineSeries) {
    const { d } = stepPath(o.timeline.points, s.key, frame);
    if (!d) continue;
    ctx.strokeStyle = seriesColor[s.key] ?? "#888";
    ctx.stroke(new Path2D(d));
  }
  ctx.fillStyle = "#d6393b";
  for (const e of o.timeline.events) {
    if (e.kind === "eni-attached" || e.kind === "eni-freed" || e.t < o.from || e.t > o.to) continue;
    const x = ((e.t - o.from) / Math.max(1, o.to - o.from)) * frame.width;
    ctx.fillRect(x - 1, -4, 2, 6);
  }
  const cx = ((o.t - o.from) / Math.max(1, o.to - o.from)) * frame.width;
  ctx.fillStyle = o.theme.text;
  ctx.fillRect(cx - 1, -6, 2, frame.height + 10);
  ctx.font = "600 14px system-ui, sans-serif";
  ctx.fillText(o.label, 0, frame.height + 24);
  ctx.restore();
}

function pickMime(): string {
  for (const m of ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm"])
    if (typeof MediaRecorder !== "undefined" && MediaRecorder.isTypeSupported(m)) return m;
  throw new Error(t("video.noRecorder"));
}

const stamp = () => new Date().toISOString().slice(0, 19).replaceAll(":", "");

/** Records the range as a WebM video and saves it; returns what to tell the user. */
export async function exportAnimation(o: AnimationOptions): Promise<string> {
  const mime = pickMime();
  const points = o.timeline.points;
  const times = frameTimes(o.from, o.to, o.speed, o.fps);
  const moments = new Moments(o.recording);
  // The boxes stay where they are from frame to frame (the layout follows the previous one).
  let layout: ClusterLayout | null = null;
  const first = await moments.at(points[Math.max(0, frameIndex(points, o.from))]!.t);
  layout = layoutCluster(first.nodes, o.layout, null);
  const size = pictureSize({ layout, style: stripStyle(o.theme, first), content: titleOnly("") });
  const width = Math.round(o.width / 2) * 2;
  const mapHeight = Math.round(Math.min(width * (size.height / size.width), width * 0.75) / 2) * 2;
  const height = mapHeight + STRIP_H;
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error(t("video.noCanvas"));
  const stream = canvas.captureStream(0);
  const track = stream.getVideoTracks()[0] as CanvasCaptureMediaStreamTrack;
  const recorder = new MediaRecorder(stream, { mimeType: mime, videoBitsPerSecond: 1_500_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((resolve) => {
    recorder.onstop = () => resolve();
  });
  recorder.start();
  const frameMs = 1000 / o.fps;
  const began = performance.now();
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const at = frameIndex(points, t);
    const topology = await moments.at(points[Math.max(0, at)]!.t);
    layout = layoutCluster(topology.nodes, o.layout, layout);
    const elapsed = (t - o.from) / 1000;
    const label = `${new Date(t).toLocaleDateString()} ${momentLabel(t)}  +${Math.floor(elapsed / 60)}:${String(Math.floor(elapsed % 60)).padStart(2, "0")}  ·  ${o.speed}×`;
    drawFrame({ ctx, width, height, mapHeight }, topology, layout, { ...o, t, label });
    // Frames go to the encoder at the video's own pace: MediaRecorder stamps them with the wall clock.
    const due = began + i * frameMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    track.requestFrame();
    // The track takes the canvas at the next rendering of the page: wait for it, or the next frame's
    // drawing would replace this one before it was taken.
    await new Promise<void>((r) => requestAnimationFrame(() => r()));
    o.onProgress?.(i + 1, times.length);
  }
  // The encoder may still hold the last frames: give it time before stopping, or they are lost.
  await new Promise((r) => setTimeout(r, Math.max(500, 3 * frameMs)));
  recorder.stop();
  await stopped;
  for (const t of stream.getTracks()) t.stop();
  const blob = new Blob(chunks, { type: "video/webm" });
  download(blob, `eni-view-${stamp()}-${o.speed}x.webm`);
  return t("video.webmSaved", { frames: times.length, size: (blob.size / 1048576).toFixed(1) });
}

/** The chosen moments side by side in one PNG, each with its time under it. */
export async function exportStrip(
  recording: string,
  timeline: Timeline,
  moments: number[],
  theme: Theme,
  layoutOptions: LayoutOptions,
  cellWidth = 480,
): Promise<string> {
  if (moments.length === 0) throw new Error(t("video.noMoments"));
  const store = new Moments(recording);
  const sorted = [...moments].sort((a, b) => a - b);
  const tops = await Promise.all(
    sorted.map((t) => store.at(timeline.points[Math.max(0, frameIndex(timeline.points, t))]!.t)),
  );
  let layout: ClusterLayout | null = null;
  const layouts = tops.map((t) => {
    layout = layoutCluster(t.nodes, layoutOptions, layout);
    return layout;
  });
  const pictures = layouts.map((l, i) => ({
    layout: l,
    style: stripStyle(theme, tops[i]!),
    content: titleOnly(pictureTitle(tops[i]!), pictureTitleName(tops[i]!)),
  }));
  const cellHeight = Math.max(
    ...pictures.map((pic) => {
      const s = pictureSize(pic);
      return Math.ceil((cellWidth * s.height) / s.width);
    }),
  );
  const canvas = document.createElement("canvas");
  canvas.width = cellWidth * sorted.length;
  canvas.height = cellHeight + 28;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error(t("video.noStripCanvas"));
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  sorted.forEach((t, i) => {
    const pic = pictures[i]!;
    const s = pictureSize(pic);
    // Each moment stays in its cell: text too long for it is cut at the cell's edge.
    ctx.save();
    ctx.beginPath();
    ctx.rect(i * cellWidth, 0, cellWidth - 4, canvas.height);
    ctx.clip();
    drawPicture(ctx, pic, cellWidth / s.width, i * cellWidth, 0);
    ctx.restore();
    ctx.fillStyle = theme.text;
    ctx.font = "600 14px system-ui, sans-serif";
    ctx.fillText(`${new Date(t).toLocaleDateString()} ${momentLabel(t)}`, i * cellWidth + 8, cellHeight + 20);
  });
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  if (!blob) throw new Error(t("video.noEncode"));
  download(blob, `eni-view-${stamp()}-strip.png`);
  return t("video.stripSaved", { count: sorted.length });
}
