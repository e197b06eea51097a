// IPs in IPAMD's cooldown as the page shows them: which warm IPs are still held back, for how long, and how
// to say it. The server infers them from pod deletions it saw (model: cooling.ts); the page counts down
// with the server's clock, so a cooldown never shows past its end, whatever the browser's clock says.

import type { CoolingIpReport } from "@eni-view/model";
import { t } from "../i18n/i18n.ts";

export interface CoolingIp {
  node: string;
  ip: string;
  releasedAt: number;
  until: number;
  /** Milliseconds left, and that as a share of the whole cooldown (1 just freed, near 0 about to end). */
  remainingMs: number;
  share: number;
}

/** The cooling IPs still held back at `serverNow` (ms), by IP. */
export function activeCooling(
  list: readonly CoolingIpReport[] | undefined,
  serverNow: number,
): Map<string, CoolingIp> {
  const out = new Map<string, CoolingIp>();
  for (const c of list ?? []) {
    const releasedAt = Date.parse(c.releasedAt);
    const until = Date.parse(c.until);
    const remainingMs = until - serverNow;
    if (!(remainingMs > 0) || !(until > releasedAt)) continue;
    out.set(c.ip, {
      node: c.node,
      ip: c.ip,
      releasedAt,
      until,
      remainingMs,
      share: Math.min(1, remainingMs / (until - releasedAt)),
    });
  }
  return out;
}

/** The next moment (server ms) one of the list's cooldowns ends after `serverNow`, or null. */
export function nextCoolingEnd(
  list: readonly CoolingIpReport[] | undefined,
  serverNow: number,
): number | null {
  let next: number | null = null;
  for (const c of list ?? []) {
    const t = Date.parse(c.until);
    if (t > serverNow && (next === null || t < next)) next = t;
  }
  return next;
}

export function coolingText(c: CoolingIp): string {
  const left = Math.max(1, Math.ceil(c.remainingMs / 1000));
  const seen = new Date(c.releasedAt).toISOString().slice(11, 19);
  // Short: the tooltip clamps long values. The slot line says why IPAMD holds it.
  return t("node.cooling", { left, seen });
}
