// Finding an item of the previous build's list by its key, for structural sharing across rebuilds.
// Both lists come from inputs in the same order most of the time (the Kubernetes watcher keeps pods
// sorted by key), so the next unmatched item is almost always the one: a cursor with a short look-ahead
// finds it with one or two string comparisons. Only when many items are not where the cursor expects
// them is a full index built, so that a pod added or removed never costs a map of 150,000 keys.

// How far past the cursor an item may be: a few pods removed in a row are skipped over.
const LOOK_AHEAD = 4;
// Misses allowed before the index is built: new items miss too, and are cheap to miss.
const MISSES_BEFORE_INDEX = 64;

export class PreviousItems<T> {
  private readonly items: readonly T[];
  private readonly first: (item: T) => string;
  private readonly second: (item: T) => string;
  private cursor = 0;
  private misses = 0;
  private index: Map<string, Map<string, number>> | null = null;

  /** `first` and `second` together are an item's key (namespace and name; a node's name and ""). */
  constructor(items: readonly T[], first: (item: T) => string, second: (item: T) => string) {
    this.items = items;
    this.first = first;
    this.second = second;
  }

  /** The position of the item keyed (a, b), or -1. */
  find(a: string, b: string): number {
    const items = this.items;
    const end = Math.min(items.length, this.cursor + LOOK_AHEAD);
    for (let i = this.cursor; i < end; i++) {
      const item = items[i]!;
      if (this.second(item) === b && this.first(item) === a) {
        this.cursor = i + 1;
        return i;
      }
    }
    if (this.index === null) {
      if (++this.misses <= MISSES_BEFORE_INDEX) return -1;
      this.index = this.buildIndex();
    }
    const at = this.index.get(a)?.get(b);
    if (at === undefined) return -1;
    this.cursor = at + 1;
    return at;
  }

  private buildIndex(): Map<string, Map<string, number>> {
    const index = new Map<string, Map<string, number>>();
    // Backwards, so that the first of several items with one key wins, as the cursor would find it.
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i]!;
      const a = this.first(item);
      let inner = index.get(a);
      if (inner === undefined) {
        inner = new Map();
        index.set(a, inner);
      }
      inner.set(this.second(item), i);
    }
    return index;
  }
}
