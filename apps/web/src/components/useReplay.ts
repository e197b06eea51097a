// Which recording the timeline shows, the moment on screen (null: live), playing and its speed, and the
// moment pinned for a comparison. The moment and the range live in the page's query string
// (?replay=…&at=…), so a copied link reopens the same moment; "Live" takes them out again.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  momentQuery,
  type ReplayLink,
  recordingsQuery,
  replayFrom,
  replaySearch,
  timelineQuery,
} from "../api/recordings.ts";
import { advance, frameIndex } from "../layout/timeline.ts";

export interface Replay {
  /** Recordings on the server; null when it keeps none (no snapshot file). */
  recordings: ReturnType<typeof useRecordings>;
  recording: string | null;
  setRecording: (id: string) => void;
  timeline: ReturnType<typeof useTimeline>;
  /** The moment on screen, null for live. */
  at: number | null;
  seek: (at: number | null) => void;
  /** The recorded change shown at `at` (its time), null when live or before the first. */
  frameT: number | null;
  moment: ReturnType<typeof useMoment>;
  playing: boolean;
  setPlaying: (playing: boolean) => void;
  speed: number;
  setSpeed: (speed: number) => void;
  range: { from: number; to: number } | null;
  setRange: (range: { from: number; to: number } | null) => void;
  compareAt: number | null;
  setCompareAt: (at: number | null) => void;
  compareMoment: ReturnType<typeof useMoment>;
  /** The end of the recording: its last change, or now while it records. */
  end: number | null;
  start: number | null;
  link: (withRange: boolean) => string;
}

const useRecordings = (enabled: boolean) => useQuery({ ...recordingsQuery, enabled });

const useTimeline = (id: string | null, live: boolean) =>
  useQuery({ ...timelineQuery(id ?? "", live), enabled: id !== null });

const useMoment = (id: string | null, frameT: number | null) =>
  useQuery({
    ...momentQuery(id ?? "", frameT ?? 0),
    enabled: id !== null && frameT !== null,
    placeholderData: keepPreviousData,
  });

export function useReplay(enabled: boolean): Replay {
  const [opened] = useState<ReplayLink | null>(() => replayFrom(window.location.search));
  const recordings = useRecordings(enabled);
  const [chosen, setRecording] = useState<string | null>(opened?.recording ?? null);
  const list = recordings.data ?? null;
  // Without a choice, the ring: it always holds the recent past.
  const recording =
    chosen ?? list?.find((r) => r.kind === "ring" && r.recording)?.id ?? list?.[0]?.id ?? null;
  const info = list?.find((r) => r.id === recording) ?? null;
  const timeline = useTimeline(enabled ? recording : null, info?.recording ?? false);
  const [at, setAt] = useState<number | null>(opened?.at ?? null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(10);
  const [range, setRange] = useState<{ from: number; to: number } | null>(
    opened?.from != null && opened.to != null && opened.to > opened.from
      ? { from: opened.from, to: opened.to }
      : null,
  );
  const [compareAt, setCompareAt] = useState<number | null>(null);

  const points = timeline.data?.points;
  const start = points?.[0]?.t ?? null;
  const lastT = points?.at(-1)?.t ?? null;
  const end =
    lastT === null ? null : timeline.data?.recording.recording ? Math.max(lastT, Date.now()) : lastT;
  const frameOf = useCallback(
    (t: number | null) => {
      if (t === null || !points) return null;
      const i = frameIndex(points, t);
      return i < 0 ? null : points[i]!.t;
    },
    [points],
  );
  const frameT = frameOf(at);
  const moment = useMoment(recording, frameT);
  const compareMoment = useMoment(recording, frameOf(compareAt));

  // While playing, the clock owns the moment: a render still showing an earlier tick must not set it back.
  const atRef = useRef(at);
  if (!playing) atRef.current = at;
  const seek = useCallback((t: number | null) => {
    atRef.current = t;
    setAt(t);
    if (t === null) {
      setPlaying(false);
      setCompareAt(null);
    }
  }, []);

  // The moment and range in the address bar, so Copy link and a reload keep them.
  useEffect(() => {
    if (!enabled) return;
    const { pathname, search, hash } = window.location;
    const link =
      at === null || recording === null
        ? null
        : { recording, at, from: range?.from ?? null, to: range?.to ?? null };
    const next = replaySearch(search, link);
    if (next !== search && !(next === "" && search === ""))
      window.history.replaceState(window.history.state, "", `${pathname}${next}${hash}`);
  }, [enabled, at, recording, range]);

  // Playing: the moment moves at `speed` times the wall clock, and stops at the end. The bounds are read
  // through a ref: while a recording is written its end moves at every render, and restarting the clock
  // then would drop the time each render takes.
  const bounds = useRef({ start, end, to: range?.to ?? end });
  bounds.current = { start, end, to: range?.to ?? end };
  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    const timer = window.setInterval(() => {
      const now = performance.now();
      const { start: first, end: stop, to } = bounds.current;
      if (stop === null || to === null) return;
      const step = advance(atRef.current ?? first ?? stop, now - last, speed, to);
      last = now;
      atRef.current = step.at;
      setAt(step.at);
      if (step.ended) setPlaying(false);
    }, 100);
    return () => window.clearInterval(timer);
  }, [playing, speed]);

  const link = useCallback(
    (withRange: boolean) => {
      const { origin, pathname, search, hash } = window.location;
      const l =
        recording === null
          ? null
          : {
              recording,
              at: at ?? end,
              from: withRange ? (range?.from ?? start) : null,
              to: withRange ? (range?.to ?? end) : null,
            };
      return `${origin}${pathname}${replaySearch(search, l)}${hash}`;
    },
    [recording, at, end, start, range],
  );

  return useMemo(
    () => ({
      recordings,
      recording,
      setRecording: (id: string) => {
        setRecording(id);
        setAt(null);
        setPlaying(false);
        setCompareAt(null);
        setRange(null);
      },
      timeline,
      at,
      seek,
      frameT,
      moment,
      playing,
      setPlaying,
      speed,
      setSpeed,
      range,
      setRange,
      compareAt,
      setCompareAt,
      compareMoment,
      end,
      start,
      link,
    }),
    [
      recordings,
      recording,
      timeline,
      at,
      seek,
      frameT,
      moment,
      playing,
      speed,
      range,
      compareAt,
      compareMoment,
      end,
      start,
      link,
    ],
  );
}
