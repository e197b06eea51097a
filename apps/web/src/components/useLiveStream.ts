import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { connectStream, type StreamStatus } from "../api/stream.ts";

export interface LiveInfo {
  status: StreamStatus;
  /** Milliseconds the last delta took to apply to the cached topology. */
  lastApplyMs: number | null;
  deltas: number;
}

/** `enabled` false (a frozen snapshot page) opens no stream at all. */
export function useLiveStream(enabled = true): LiveInfo {
  const client = useQueryClient();
  const [info, setInfo] = useState<LiveInfo>({
    status: { state: "connecting" },
    lastApplyMs: null,
    deltas: 0,
  });
  useEffect(() => {
    if (!enabled) return;
    const handle = connectStream(client, {
      onStatus: (status) => setInfo((i) => ({ ...i, status })),
      onApplied: (kind, ms) => {
        if (kind === "delta") setInfo((i) => ({ ...i, lastApplyMs: ms, deltas: i.deltas + 1 }));
      },
    });
    return () => handle.close();
  }, [client, enabled]);
  return info;
}
