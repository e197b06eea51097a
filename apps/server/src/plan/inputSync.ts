// Keeps the planner's thread's copy of the cluster input current by sending only what changed. A copy of
// a 5,000-node cluster (150,000 pods) across threads took seconds of the server's own thread, and a live
// cluster changes every few seconds, so every plan paid for it. The sources hand the model the same
// object for an unchanged node, pod or ENI at every rebuild (kube/kubeWatcher.ts), so a list is sent
// as the ids of its items, with only the items the thread has not seen yet.

/** The input's lists of objects, as ids and the new items; everything else as it is. */
export interface InputUpdate {
  lists: Record<string, { ids: Int32Array; added: [number, object][] }>;
  rest: Record<string, unknown>;
}

function isObjectList(v: unknown): v is object[] {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (typeof x !== "object" || x === null) return false;
  return true;
}

/** The sending side: knows which objects the thread holds (forget() when the thread is replaced). This runs
 * on the server's own thread for every plan on a changed cluster, so an item's state is a number in an
 * array by its id, not an entry in a set of 150,000. */
export class InputSender {
  private sent = new WeakMap<object, number>();
  /** By id: the update that last named the item. The thread holds the items the last update named. */
  private namedIn = new Uint32Array(1024);
  private generation = 1;
  private nextId = 1;

  forget(): void {
    this.sent = new WeakMap();
    // No item is held by a new thread: none was named in the update before the next one.
    this.generation++;
  }

  update(input: object): InputUpdate {
    const lists: InputUpdate["lists"] = {};
    const rest: Record<string, unknown> = {};
    const held = this.generation;
    const now = ++this.generation;
    for (const [key, value] of Object.entries(input)) {
      if (!isObjectList(value)) {
        rest[key] = value;
        continue;
      }
      const ids = new Int32Array(value.length);
      const added: [number, object][] = [];
      for (let i = 0; i < value.length; i++) {
        const item = value[i]!;
        let id = this.sent.get(item);
        if (id === undefined) {
          id = this.nextId++;
          this.sent.set(item, id);
          if (id >= this.namedIn.length) {
            const grown = new Uint32Array(Math.max(id + 1, this.namedIn.length * 2));
            grown.set(this.namedIn);
            this.namedIn = grown;
          }
        }
        // New, or let go by the thread since (an item that left the input and came back).
        const named = this.namedIn[id]!;
        if (named !== held && named !== now) added.push([id, item]);
        this.namedIn[id] = now;
        ids[i] = id;
      }
      lists[key] = { ids, added };
    }
    return { lists, rest };
  }
}

/** The thread's side: rebuilds the input from an update and the items it holds; keeps only the items the
 * latest input names. */
export class InputMirror {
  private held = new Map<number, object>();

  apply(update: InputUpdate): Record<string, unknown> {
    const next = new Map<number, object>();
    const out: Record<string, unknown> = { ...update.rest };
    for (const [key, list] of Object.entries(update.lists)) {
      for (const [id, item] of list.added) this.held.set(id, item);
      const items = new Array<object>(list.ids.length);
      for (let i = 0; i < list.ids.length; i++) {
        const id = list.ids[i]!;
        const item = this.held.get(id);
        if (item === undefined) throw new Error(`the planner's thread lacks input item ${id} of ${key}`);
        items[i] = item;
        next.set(id, item);
      }
      out[key] = items;
    }
    this.held = next;
    return out;
  }
}
