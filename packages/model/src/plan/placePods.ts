// The scheduler's queue run to the end, with the same filters, scores and seeded tie-breaks as chooseNode,
// but fast for a scale-up: pods of one owner that ask for the same are placed as a batch. Only the node
// that took the last pod changes its score, so the nodes are kept in a heap by (spread, free share) and
// the equal best ones in a tie group the seed picks from, in node-name order as chooseNode does.
import { chooseNode, leastAllocated } from "../schedule/chooseNode.ts";
import { addToUsage, misfit, type NodeUsage, type ScheduleNode } from "../schedule/nodeFit.ts";
import type { Random } from "../seeded.ts";
import type { PodInput, PodScheduling } from "../types.ts";
import { NO_REQUESTS, ownerKey } from "./clusterIndex.ts";

export interface Placed<N> {
  node: N;
  pod: PodInput;
}

interface Entry<N> {
  node: N;
  order: number;
  spread: number;
  score: number;
}

/** a before b: fewer of the owner's pods, then more free, then name order. */
function better<N>(a: Entry<N>, b: Entry<N>): boolean {
  return a.spread !== b.spread
    ? a.spread < b.spread
    : a.score !== b.score
      ? a.score > b.score
      : a.order < b.order;
}

class Heap<N> {
  private readonly items: Entry<N>[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Entry<N> | undefined {
    return this.items[0];
  }
  push(e: Entry<N>): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!better(a[i] as Entry<N>, a[p] as Entry<N>)) break;
      [a[i], a[p]] = [a[p] as Entry<N>, a[i] as Entry<N>];
      i = p;
    }
  }
  pop(): Entry<N> | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && better(a[l] as Entry<N>, a[m] as Entry<N>)) m = l;
        if (r < a.length && better(a[r] as Entry<N>, a[m] as Entry<N>)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as Entry<N>, a[i] as Entry<N>];
        i = m;
      }
    }
    return top;
  }
}

// A source reads each pod's scheduling fields into an object of its own, so pods that ask for the same
// are told apart by what they ask, not by object: the text of their fields, made once per object.
const asked = new WeakMap<PodScheduling, string>();
function askText(s: PodScheduling): string {
  let text = asked.get(s);
  if (text === undefined) {
    text = JSON.stringify(s);
    asked.set(s, text);
  }
  return text;
}
const sameAsk = (a: PodScheduling, b: PodScheduling) => a === b || askText(a) === askText(b);

/**
 * Binds each pod of the queue (already in scheduling order) or says why it cannot go anywhere, calling
 * `bind` as the scheduler would bind it (the caller counts it in the node's usage).
 */
export function placePods<N extends ScheduleNode>(
  queue: readonly PodInput[],
  nodes: readonly N[],
  usageOf: (node: N) => NodeUsage,
  bind: (pod: PodInput, node: N) => void,
  next: Random,
): Map<PodInput, string> {
  const failed = new Map<PodInput, string>();
  let i = 0;
  while (i < queue.length) {
    const first = queue[i] as PodInput;
    const scheduling = first.scheduling ?? NO_REQUESTS;
    const owner = ownerKey(first);
    let j = i + 1;
    while (
      j < queue.length &&
      ownerKey(queue[j] as PodInput) === owner &&
      sameAsk((queue[j] as PodInput).scheduling ?? NO_REQUESTS, scheduling)
    )
      j++;
    placeAlike(queue.slice(i, j), scheduling, owner, nodes, usageOf, bind, next, failed);
    i = j;
  }
  return failed;
}

function placeAlike<N extends ScheduleNode>(
  pods: readonly PodInput[],
  scheduling: PodScheduling,
  owner: string | null,
  nodes: readonly N[],
  usageOf: (node: N) => NodeUsage,
  bind: (pod: PodInput, node: N) => void,
  next: Random,
  failed: Map<PodInput, string>,
): void {
  const entry = (node: N, order: number): Entry<N> => {
    const u = usageOf(node);
    return {
      node,
      order,
      spread: owner ? (u.owners.get(owner) ?? 0) : 0,
      score: leastAllocated(u, scheduling, node),
    };
  };
  const heap = new Heap<N>();
  nodes.forEach((node, order) => {
    if (misfit(scheduling, node, usageOf(node)).length === 0) heap.push(entry(node, order));
  });
  let ties: Entry<N>[] = [];
  for (let k = 0; k < pods.length; k++) {
    const pod = pods[k] as PodInput;
    if (ties.length === 0) {
      const top = heap.pop();
      if (top !== undefined) {
        ties = [top];
        let peek = heap.peek();
        while (peek !== undefined && peek.spread === top.spread && peek.score === top.score) {
          ties.push(heap.pop() as Entry<N>);
          peek = heap.peek();
        }
      }
    }
    if (ties.length === 0) {
      // Nowhere: the scheduler's message, counted over every node; the rest of the batch fails alike.
      const choice = chooseNode(scheduling, owner, nodes, usageOf, next);
      const message = choice.message ?? "no node fits";
      for (let r = k; r < pods.length; r++) failed.set(pods[r] as PodInput, message);
      return;
    }
    const at = Math.floor(next() * ties.length);
    const chosen = ties[at] as Entry<N>;
    ties.splice(at, 1);
    bind(pod, chosen.node);
    if (misfit(scheduling, chosen.node, usageOf(chosen.node)).length > 0) continue;
    const again = entry(chosen.node, chosen.order);
    const tied = ties[0];
    if (tied !== undefined && again.spread === tied.spread && again.score === tied.score) {
      let p = 0;
      while (p < ties.length && (ties[p] as Entry<N>).order < again.order) p++;
      ties.splice(p, 0, again);
    } else heap.push(again);
  }
}

/** Count a bound pod in its node's usage. */
export function countOn(usage: NodeUsage, pod: PodInput): void {
  addToUsage(usage, pod.scheduling ?? NO_REQUESTS, ownerKey(pod), 1);
}
