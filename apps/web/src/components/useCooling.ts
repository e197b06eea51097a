// The IPs still cooling down, by IP, counted down once a second by the server's clock (the browser's clock
// may be off; a frozen snapshot stays at its own moment).
import type { Topology } from "@eni-view/model";
import { useEffect, useMemo, useState } from "react";
import { activeCooling, type CoolingIp, nextCoolingEnd } from "../layout/cooling.ts";

const NONE: ReadonlyMap<string, CoolingIp> = new Map();

export function useCooling(topology: Topology | undefined, frozen: boolean): ReadonlyMap<string, CoolingIp> {
  const list = topology?.cooling;
  const generatedAt = topology?.generatedAt;
  // Server time minus browser time, taken when this topology arrived (off by the delivery delay only).
  const skew = useMemo(() => (generatedAt ? Date.parse(generatedAt) - Date.now() : 0), [generatedAt]);
  const [now, setNow] = useState(() => Date.now());
  const serverNow = frozen && generatedAt ? Date.parse(generatedAt) : now + (Number.isNaN(skew) ? 0 : skew);
  const pending = !frozen && nextCoolingEnd(list, serverNow) !== null;
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [pending]);
  return useMemo(() => (list && list.length > 0 ? activeCooling(list, serverNow) : NONE), [list, serverNow]);
}
