// Export a range of the recording as a WebM video at a chosen speed and size, or chosen moments as a PNG
// strip (exportAnimation.ts does the drawing and encoding).
import { useState } from "react";
import type { Theme } from "../draw/theme.ts";
import { t } from "../i18n/i18n.ts";
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
        aria-label={t("video.speed")}
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
        aria-label={t("video.width")}
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
        title={t("video.title", { seconds: seconds.toFixed(0) })}
        onClick={() =>
          run(t("video.what.video"), () =>
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
              onProgress: (done, total) => setBusy(t("video.frame", { done, total })),
            }),
          )
        }
      >
        {t("video.export", { seconds: seconds.toFixed(0) })}
      </button>
      <span className="timeline-sep" />
      <button
        type="button"
        data-testid="strip-add"
        disabled={replay.at === null}
        onClick={() => replay.at !== null && setStrip([...new Set([...strip, replay.frameT ?? replay.at])])}
      >
        {t("video.add")}
      </button>
      <button
        type="button"
        data-testid="export-strip"
        disabled={busy !== null || strip.length === 0}
        onClick={() =>
          run(t("video.what.strip"), () => exportStrip(recording, timeline, strip, theme, layout))
        }
      >
        {t("video.strip", { count: strip.length })}
      </button>
      {strip.length > 0 && (
        <button type="button" onClick={() => setStrip([])}>
          {t("video.clear")}
        </button>
      )}
      {busy && <span data-testid="export-busy">{t("video.busy", { what: busy })}</span>}
      {message && !busy && <span data-testid="export-message">{message}</span>}
    </div>
  );
}
