// Finding an item of the previous build's list by its key, for structural sharing across rebuilds.
// Both lists come from inputs in the same order most of the time (the Kubernetes watcher keeps pods
// sorted by key), so the next unmatched item is almost always the one: a cursor with a short look-ahead
// finds it with one or two string comparisons. What the cursor misses is looked up afterwards among the
// items nobody matched (`leftovers`), so that a pod added or removed never costs a map of 150,000 keys.

// How far past the cursor an item may be: a few pods removed in a row are skipped over.
const LOOK_AHEAD = 4;

export class PreviousItems<T> {
  readonly items: readonly T[];
  private readonly first: (item: T) => string;
  private readonly second: (item: T) => string;
  private readonly matched: Uint8Array;
  private matchedCount = 0;
  private cursor = 0;
  private readonly indexOnMiss: boolean;
  private index: Map<string, Map<string, number>> | null = null;

  /**
   * `first` and `second` together are an item's key (namespace and name; a node's name and "").
   * `indexOnMiss`: look every miss up in a map of all items (worth it for a few thousand nodes), rather
   * than leaving misses to `leftovers`.
   */
  constructor(
    items: readonly T[],
    first: (item: T) => string,
    second: (item: T) => string,
    indexOnMiss: boolean,
  ) {
    this.items = items;
    this.first = first;
    this.second = second;
    this.matched = new Uint8Array(items.length);
    this.indexOnMiss = indexOnMiss;
  }

  /** The position of the item keyed (a, b), or -1. */
  find(a: string, b: string): number {
    const items = this.items;
    const end = Math.min(items.length, this.cursor + LOOK_AHEAD);
    for (let i = this.cursor; i < end; i++) {
      const item = items[i]!;
      if (this.second(item) === b && this.first(item) === a) {
        this.cursor = i + 1;
        return this.take(i);
      }
    }
    if (!this.indexOnMiss) return -1;
    this.index ??= keyIndex(items, this.first, this.second, null);
    const at = this.index.get(a)?.get(b);
    if (at === undefined) return -1;
    this.cursor = at + 1;
    return this.take(at);
  }

  /** The items no `find` returned, by key; null when every item was found. */
  leftovers(): Map<string, Map<string, number>> | null {
    if (this.matchedCount >= this.items.length) return null;
    return keyIndex(this.items, this.first, this.second, this.matched);
  }

  private take(i: number): number {
    if (this.matched[i] === 0) {
      this.matched[i] = 1;
      this.matchedCount++;
    }
    return i;
  }
}

function keyIndex<T>(
  items: readonly T[],
  first: (item: T) => string,
  second: (item: T) => string,
  skip: Uint8Array | null,
): Map<string, Map<string, number>> {
  const index = new Map<string, Map<string, number>>();
  // Backwards, so that the first of several items with one key wins, as the cursor would find it.
  for (let i = items.length - 1; i >= 0; i--) {
    if (skip !== null && skip[i] === 1) continue;
    const item = items[i]!;
    const a = first(item);
    let inner = index.get(a);
    if (inner === undefined) {
      inner = new Map();
      index.set(a, inner);
    }
    inner.set(second(item), i);
  }
  return index;
}
