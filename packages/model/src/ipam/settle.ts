// Pods arriving one by one at a node whose IPAMD answers each at once (EC2 with no delay): the warm pool
// is brought to target, then each pod takes an IP, the pool growing when it has none, and is topped up
// after every pod. The state a slow scale-up ends in; the simulator's settle step, the steady-state table
// and the planner all step a pool this way.

export interface SettleSteps<P> {
  /** One warm-pool decision carried out if it grows the pool; false when the pool did not grow. */
  grow(): boolean;
  /** The pod's IP, or null when no address is free. */
  assign(pod: P): string | null;
  /** True while growth must wait (an ENI still attaching in real time). */
  blocked?(): boolean;
}

/** Each pod that got an IP, with it. */
export function settleOneByOne<P>(pods: Iterable<P>, steps: SettleSteps<P>): Map<P, string> {
  const out = new Map<P, string>();
  const grow = () => !(steps.blocked?.() ?? false) && steps.grow();
  while (grow()) {
    // bring the idle pool to its target first
  }
  for (const pod of pods) {
    let ip = steps.assign(pod);
    while (ip === null && grow()) ip = steps.assign(pod);
    if (ip !== null) out.set(pod, ip);
    while (grow()) {
      // keep the warm pool at target after each pod
    }
  }
  return out;
}
