export const x: number = 1;
export { applyDelta, DeltaSequenceError, diffTopology, sameJson } from "./delta.ts";
