// The recording timeline under the map: the totals over time as step lines, the events marked on them,
// and the controls to go back in time: scrub, play at 1x to 60x, step from change to change, jump to an
// event, start and stop a named recording, copy a link to the moment, compare two moments, and "Live".
import type { TimelineEvent, TimelinePoint } from "@eni-view/model";
import { useQueryClient } from "@tanstack/react-query";
import { type PointerEvent, useCallback, useMemo, useRef, useState } from "react";
import { startRecording, stopRecording } from "../api/recordings.ts";
import type { Theme } from "../draw/theme.ts";
import { formatDate, formatDateTime } from "../i18n/format.ts";
import { t } from "../i18n/i18n.ts";
import type { LayoutOptions } from "../layout/clusterLayout.ts";
import {
  eventsNear,
  type Frame,
  frameIndex,
  momentLabel,
  nextChange,
  playSpeeds,
  previousChange,
  stepPath,
  timelineSeries,
  tOf,
  xOf,
} from "../layout/timeline.ts";
import { ExportPanel } from "./ExportPanel.tsx";
import { SummaryPanel } from "./SummaryPanel.tsx";
import type { Replay } from "./useReplay.ts";
import "./timeline.css";
import { errorText, eventText } from "../i18n/serverText.ts";

const height = 64;

interface Props {
  replay: Replay;
  copy: (text: string) => Promise<void>;
  /** For the exported video and strip: the page's theme and box arrangement. */
  theme: Theme;
  layout: LayoutOptions;
  /** A capture folder served: its latest moment is the capture's, never the live cluster's. */
  capture?: boolean;
}

/** The width of an element, followed as it resizes; a callback ref, since the element comes and goes. */
function useWidth(): [(el: HTMLDivElement | null) => void, number] {
  const [width, setWidth] = useState(600);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: HTMLDivElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    const measure = () => setWidth(Math.max(100, Math.floor(el.clientWidth)));
    observer.current = new ResizeObserver(measure);
    observer.current.observe(el);
    measure();
  }, []);
  return [ref, width];
}

const eventLabel = (kind: TimelineEvent["kind"]) => t(`timeline.event.${kind}`);

function RecordButton({ replay }: { replay: Replay }) {
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const named = replay.recordings.data?.find((r) => r.kind === "named" && r.recording) ?? null;
  const act = async () => {
    setBusy(true);
    setError(null);
    try {
      if (named) await stopRecording(named.id);
      else {
        const name = window.prompt(
          t("timeline.recordName"),
          t("timeline.recordDefault", { time: formatDateTime(Date.now()) }),
        );
        if (!name) return;
        const info = await startRecording(name);
        replay.setRecording(info.id);
      }
      await client.invalidateQueries({ queryKey: ["recordings"] });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        onClick={act}
        disabled={busy}
        data-testid="record"
        title={named ? t("timeline.stopTitle", { name: named.name }) : t("timeline.startTitle")}
      >
        {named ? t("timeline.stop", { name: named.name }) : t("timeline.record")}
      </button>
      {error && (
        <span className="timeline-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

function Chart({
  points,
  events,
  frame,
  at,
  nowWord,
  compareAt,
  onSeek,
  onStep,
  onRange,
}: {
  points: TimelinePoint[];
  events: TimelineEvent[];
  frame: Frame;
  at: number | null;
  /** What the latest moment is called: "live", or the capture's. */
  nowWord: string;
  compareAt: number | null;
  onSeek: (t: number) => void;
  /** The arrow keys step from change to change. */
  onStep: (forward: boolean) => void;
  /** Shift-drag picks a range: the timeline then shows it alone (and a link can carry it). */
  onRange: (range: { from: number; to: number }) => void;
}) {
  const paths = useMemo(
    () => timelineSeries.map((s) => ({ ...s, ...stepPath(points, s.key, frame) })),
    [points, frame],
  );
  const dragging = useRef(false);
  const [picking, setPicking] = useState<{ a: number; b: number } | null>(null);
  const tAt = (e: PointerEvent<HTMLDivElement>) =>
    tOf(e.clientX - e.currentTarget.getBoundingClientRect().left, frame);
  const seekAt = (e: PointerEvent<HTMLDivElement>) => onSeek(tAt(e));
  const cursor = at === null ? frame.width : xOf(at, frame);
  const gaps = events.filter((e) => e.kind === "gap");
  const marks = events.filter((e) => e.kind !== "gap" && e.kind !== "eni-freed" && e.kind !== "eni-attached");
  const eniMarks = events.filter((e) => e.kind === "eni-attached" || e.kind === "eni-freed");
  return (
    <div
      className="timeline-chart"
      data-testid="timeline-chart"
      role="slider"
      aria-label={t("timeline.moment")}
      aria-valuemin={frame.from}
      aria-valuemax={frame.to}
      aria-valuenow={at ?? frame.to}
      aria-valuetext={at === null ? nowWord : momentLabel(at)}
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
          e.preventDefault();
          onStep(e.key === "ArrowRight");
        }
      }}
      onPointerDown={(e) => {
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        if (e.shiftKey) setPicking({ a: tAt(e), b: tAt(e) });
        else seekAt(e);
      }}
      onPointerMove={(e) => {
        if (!dragging.current) return;
        if (picking) setPicking({ ...picking, b: tAt(e) });
        else seekAt(e);
      }}
      onPointerUp={() => {
        dragging.current = false;
        if (picking) {
          const from = Math.min(picking.a, picking.b);
          const to = Math.max(picking.a, picking.b);
          if (to - from >= 1000) onRange({ from, to });
          setPicking(null);
        }
      }}
    >
      <svg className="timeline-lines" width={frame.width} height={height + 14} aria-hidden="true">
        {picking && (
          <rect
            className="timeline-picking"
            x={xOf(Math.min(picking.a, picking.b), frame)}
            y={0}
            width={Math.abs(xOf(picking.b, frame) - xOf(picking.a, frame))}
            height={height + 14}
          />
        )}
        {gaps.map((g) => (
          <rect
            key={`gap-${g.t}`}
            className="timeline-gap"
            x={xOf(g.t, frame)}
            y={0}
            width={Math.max(1, xOf(g.until ?? g.t, frame) - xOf(g.t, frame))}
            height={height}
          >
            <title>{eventText(g)}</title>
          </rect>
        ))}
        <g transform="translate(0,12)">
          {paths.map((p) => (
            <path key={p.key} className={`tl-${p.key}`} d={p.d}>
              <title>{t("timeline.seriesTitle", { label: t(`timeline.series.${p.key}`), max: p.max })}</title>
            </path>
          ))}
        </g>
        {eniMarks.map((e) => (
          <line
            key={`${e.kind}-${e.subject}-${e.t}`}
            className={`tl-mark tl-mark-${e.kind}`}
            x1={xOf(e.t, frame)}
            x2={xOf(e.t, frame)}
            y1={height + 8}
            y2={height + 14}
          >
            <title>{`${momentLabel(e.t)} ${eventText(e)}`}</title>
          </line>
        ))}
        {marks.map((e) => (
          <g key={`${e.kind}-${e.subject}-${e.t}`} className={`tl-mark tl-mark-${e.kind}`} data-kind={e.kind}>
            <line x1={xOf(e.t, frame)} x2={xOf(e.t, frame)} y1={0} y2={height + 8} />
            <circle cx={xOf(e.t, frame)} cy={5} r={4}>
              <title>{`${momentLabel(e.t)} ${eventLabel(e.kind)}: ${eventText(e)}`}</title>
            </circle>
          </g>
        ))}
        {compareAt !== null && (
          <line
            className="timeline-compare"
            x1={xOf(compareAt, frame)}
            x2={xOf(compareAt, frame)}
            y1={0}
            y2={height + 14}
          />
        )}
        <line className="timeline-cursor" x1={cursor} x2={cursor} y1={0} y2={height + 14} />
      </svg>
    </div>
  );
}

export function Timeline({ replay, copy, theme, layout, capture = false }: Props) {
  const nowWord = capture ? t("timeline.captureNow") : t("timeline.live");
  const [ref, width] = useWidth();
  const [copied, setCopied] = useState<string | null>(null);
  const [showSummary, setShowSummary] = useState(false);
  const [showExport, setShowExport] = useState(false);
  const data = replay.timeline.data;
  const points = data?.points ?? [];
  const events = data?.events ?? [];
  const list = replay.recordings.data;
  const from = replay.range?.from ?? replay.start;
  const to = replay.range?.to ?? replay.end;
  const frame: Frame | null =
    from !== null && to !== null ? { from, to: Math.max(to, from + 1000), width, height } : null;
  const at = replay.at;
  const shown = at === null ? points.at(-1) : points[frameIndex(points, at)];
  const jumpable = useMemo(
    () => events.filter((e) => e.kind !== "eni-attached" && e.kind !== "eni-freed").slice(-200),
    [events],
  );
  const nearCursor = frame && at !== null ? eventsNear(events, xOf(at, frame), frame) : [];

  // A server that keeps no recordings (no snapshot file) has no timeline to show.
  if (!list) return null;
  return (
    <section className="timeline" data-testid="timeline" aria-label={t("timeline.section")}>
      <div className="timeline-controls">
        <select
          value={replay.recording ?? ""}
          onChange={(e) => replay.setRecording(e.target.value)}
          data-testid="recording-select"
          aria-label={t("timeline.recording")}
        >
          {list.map((r) => (
            <option key={r.id} value={r.id}>
              {r.kind === "ring" ? t("timeline.ring") : r.name}
              {r.recording ? " ●" : ""}
            </option>
          ))}
        </select>
        <RecordButton replay={replay} />
        <span className="timeline-sep" />
        <button
          type="button"
          title={t("timeline.prev")}
          aria-label={t("timeline.prev")}
          data-testid="prev-change"
          disabled={points.length === 0}
          onClick={() => {
            const t = previousChange(points, at ?? replay.end ?? 0);
            if (t !== null) replay.seek(t);
          }}
        >
          {t("timeline.prevButton")}
        </button>
        <button
          type="button"
          data-testid="play"
          aria-label={replay.playing ? t("timeline.pause") : t("timeline.play")}
          disabled={points.length === 0}
          onClick={() => {
            if (!replay.playing && (at === null || at >= (replay.range?.to ?? replay.end ?? 0)))
              replay.seek(replay.range?.from ?? replay.start);
            replay.setPlaying(!replay.playing);
          }}
        >
          {replay.playing ? t("timeline.pause") : t("timeline.playButton")}
        </button>
        <select
          value={replay.speed}
          onChange={(e) => replay.setSpeed(Number(e.target.value))}
          data-testid="speed"
          aria-label={t("timeline.speed")}
        >
          {playSpeeds.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
        <button
          type="button"
          title={t("timeline.next")}
          aria-label={t("timeline.next")}
          data-testid="next-change"
          disabled={at === null}
          onClick={() => {
            const t = at === null ? null : nextChange(points, at);
            if (t !== null) replay.seek(t);
          }}
        >
          {t("timeline.nextButton")}
        </button>
        <select
          value=""
          onChange={(e) => {
            const t = Number(e.target.value);
            if (Number.isFinite(t) && e.target.value !== "") replay.seek(t);
          }}
          data-testid="jump-event"
          aria-label={t("timeline.jump")}
        >
          <option value="">{t("timeline.jumpOption")}</option>
          {jumpable.map((e) => (
            <option key={`${e.kind}-${e.subject}-${e.t}`} value={e.t} data-kind={e.kind}>
              {`${momentLabel(e.t)} ${eventLabel(e.kind)}: ${eventText(e)}`}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="summary-toggle"
          aria-pressed={showSummary}
          onClick={() => setShowSummary(!showSummary)}
          disabled={replay.recording === null}
        >
          {t("timeline.summary")}
        </button>
        <button
          type="button"
          data-testid="export-toggle"
          aria-pressed={showExport}
          onClick={() => setShowExport(!showExport)}
          disabled={points.length === 0}
        >
          {t("timeline.export")}
        </button>
        <span className="timeline-sep" />
        <span className="timeline-when" data-testid="timeline-when">
          {at === null ? nowWord : t("timeline.recorded", { at: `${formatDate(at)} ${momentLabel(at)}` })}
        </span>
        {at !== null && (
          <>
            <button type="button" onClick={() => replay.seek(null)} data-testid="go-live">
              {t("timeline.goLive")}
            </button>
            <button
              type="button"
              data-testid="copy-moment"
              onClick={async () => {
                const link = replay.link(false);
                await copy(link).catch(() => undefined);
                setCopied(link);
              }}
            >
              {t("timeline.copyMoment")}
            </button>
            <button
              type="button"
              data-testid="copy-range"
              title={t("timeline.rangeTitle")}
              onClick={async () => {
                const link = replay.link(true);
                await copy(link).catch(() => undefined);
                setCopied(link);
              }}
            >
              {t("timeline.copyRange")}
            </button>
            <button
              type="button"
              data-testid="compare"
              onClick={() => replay.setCompareAt(replay.compareAt === null ? at : null)}
              title={t("timeline.compareTitle")}
            >
              {replay.compareAt === null ? t("timeline.compare") : t("timeline.endCompare")}
            </button>
          </>
        )}
        {replay.range && (
          <button type="button" data-testid="whole-range" onClick={() => replay.setRange(null)}>
            {t("timeline.whole")}
          </button>
        )}
        {copied && (
          <span className="timeline-copied" data-testid="moment-link">
            {t("timeline.copied", { link: copied })}
          </span>
        )}
      </div>
      {showExport && <ExportPanel replay={replay} theme={theme} layout={layout} />}
      {showSummary && replay.recording !== null && (
        <SummaryPanel
          recording={replay.recording}
          onSeek={(t) => replay.seek(t)}
          onClose={() => setShowSummary(false)}
        />
      )}
      <div className="timeline-body" ref={ref}>
        {replay.timeline.error ? (
          <div className="timeline-error" role="alert">
            {errorText(replay.timeline.error)}
          </div>
        ) : !frame || points.length === 0 ? (
          <div className="timeline-empty">
            {replay.timeline.isLoading ? t("timeline.loading") : t("timeline.empty")}
          </div>
        ) : (
          <Chart
            points={points}
            events={events}
            frame={frame}
            at={at}
            nowWord={nowWord}
            compareAt={replay.compareAt}
            onSeek={(t) => replay.seek(t)}
            onRange={(range) => replay.setRange(range)}
            onStep={(forward) => {
              const from = at ?? replay.end ?? 0;
              const t = forward ? nextChange(points, from) : previousChange(points, from);
              if (t !== null) replay.seek(t);
            }}
          />
        )}
      </div>
      <div className="timeline-legend" data-testid="timeline-legend">
        {timelineSeries.map((s) => (
          <span key={s.key} className={`tl-key tl-${s.key}`}>
            {t(`timeline.series.${s.key}`)} <b>{shown ? shown[s.key] : "–"}</b>
          </span>
        ))}
        {nearCursor.length > 0 && (
          <span className="timeline-near">
            {nearCursor.map((e) => `${eventLabel(e.kind)}: ${eventText(e)}`).join("; ")}
          </span>
        )}
      </div>
    </section>
  );
}
