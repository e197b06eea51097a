import type { Topology } from "@eni-view/model";
import { useEffect, useRef, useState } from "react";
import type { Flash } from "../draw/renderer.ts";
import { findChanges } from "../layout/changes.ts";

const MARK_MS = 3000;

/** Recent changes worth marking: ENIs just attached and nodes just joined (flash), pods just gone Pending (pulse). */
export function useChangeMarks(topology: Topology | undefined): { flashes: Flash[]; pulsing: Set<string> } {
  const prev = useRef<Topology | null>(null);
  const [marks, setMarks] = useState<{ flashes: Flash[]; pulsing: Set<string> }>({
    flashes: [],
    pulsing: new Set(),
  });
  useEffect(() => {
    if (!topology) return;
    const before = prev.current;
    prev.current = topology;
    const c = findChanges(before, topology);
    if (c.newEnis.length === 0 && c.newNodes.length === 0 && c.newPending.length === 0) return;
    const start = performance.now();
    const flashes: Flash[] = [
      ...c.newEnis.map((e) => ({ node: e.node, eni: e.eni, start })),
      ...c.newNodes.map((n) => ({ node: n, eni: null, start })),
    ];
    setMarks((m) => ({
      flashes: [...m.flashes.filter((f) => start - f.start < MARK_MS), ...flashes],
      pulsing: new Set([...m.pulsing, ...c.newPending]),
    }));
    // Not cleared on the next update: each batch of marks expires on its own.
    setTimeout(() => {
      setMarks((m) => ({
        flashes: m.flashes.filter((f) => performance.now() - f.start < MARK_MS),
        pulsing: new Set([...m.pulsing].filter((k) => !c.newPending.includes(k))),
      }));
    }, MARK_MS);
  }, [topology]);
  return marks;
}
