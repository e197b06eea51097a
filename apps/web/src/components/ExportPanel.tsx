// Export a range of the recording as a WebM video at a chosen speed and size, or chosen moments as a PNG
// strip (exportAnimation.ts does the drawing and encoding).
import { useState } from "react";
import type { Theme } from "../draw/theme.ts";
import type { LayoutOptions } from "../layout/clusterLayout.ts";
import { momentLabel, playSpeeds } from "../layout/timeline.ts";
import { exportAnimation, exportStrip } from "./exportAnimation.ts";
import type { Replay } from "./useReplay.ts";

const widths = [640, 960, 1280] as const;

export function ExportPanel({
  replay,
  theme,
  layout,
}: {
  replay: Replay;
  theme: Theme;
  layout: LayoutOptions;
}) {
  const [speed, setSpeed] = useState(30);
  const [width, setWidth] = useState(960);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [strip, setStrip] = useState<number[]>([]);
  const timeline = replay.timeline.data;
  const from = replay.range?.from ?? replay.start;
  const to = replay.range?.to ?? replay.end;
  const run = async (what: string, work: () => Promise<string>) => {
    setBusy(what);
    setMessage(null);
    try {
      setMessage(await work());
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  if (!timeline || from === null || to === null || replay.recording === null) return null;
  const recording = replay.recording;
  const seconds = (to - from) / 1000 / speed;
  return (
    <div className="export-panel" data-testid="export-panel">
      <span>
        {momentLabel(from)} – {momentLabel(to)}
      </span>
      <select
        value={speed}
        onChange={(e) => setSpeed(Number(e.target.value))}
        data-testid="export-speed"
        aria-label="Video speed"
      >
        {playSpeeds.map((s) => (
          <option key={s} value={s}>
            {s}×
          </option>
        ))}
      </select>
      <select
        value={width}
        onChange={(e) => setWidth(Number(e.target.value))}
        data-testid="export-width"
        aria-label="Video width"
      >
        {widths.map((w) => (
          <option key={w} value={w}>
            {w} px
          </option>
        ))}
      </select>
      <button
        type="button"
        data-testid="export-webm"
        disabled={busy !== null}
        title={`A ${seconds.toFixed(0)} s video at 10 frames a second`}
        onClick={() =>
          run("video", () =>
            exportAnimation({
              recording,
              timeline,
              from,
              to,
              speed,
              fps: 10,
              width,
              theme,
              layout,
              onProgress: (done, total) => setBusy(`frame ${done} of ${total}`),
            }),
          )
        }
      >
        Export WebM ({seconds.toFixed(0)} s)
      </button>
      <span className="timeline-sep" />
      <button
        type="button"
        data-testid="strip-add"
        disabled={replay.at === null}
        onClick={() => replay.at !== null && setStrip([...new Set([...strip, replay.frameT ?? replay.at])])}
      >
        + this moment
      </button>
      <button
        type="button"
        data-testid="export-strip"
        disabled={busy !== null || strip.length === 0}
        onClick={() => run("strip", () => exportStrip(recording, timeline, strip, theme, layout))}
      >
        PNG strip ({strip.length})
      </button>
      {strip.length > 0 && (
        <button type="button" onClick={() => setStrip([])}>
          clear
        </button>
      )}
      {busy && <span data-testid="export-busy">{busy}…</span>}
      {message && !busy && <span data-testid="export-message">{message}</span>}
    </div>
  );
}
