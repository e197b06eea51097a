// One clock for several processes: wall time in milliseconds with sub-millisecond precision, so a time taken
// in the simulator's process and one taken in the benchmark's own can be subtracted.
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
