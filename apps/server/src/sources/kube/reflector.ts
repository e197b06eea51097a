// One resource kept in memory by list + watch, restarted by us because client-node's informers are
// not: a watch the server ends is resumed from the last resourceVersion, a watch that goes quiet is
// abandoned and resumed, a 410 Gone (the version is too old) or any error leads to a full relist after
// a backoff. Lists are read in pages (limit, continue); one whose continue token expires between pages
// begins again at once. The last good items are kept through every failure.
//
// The initial state comes from a streaming list (WatchList, KEP-3157) where the API server serves one: a
// watch with sendInitialEvents=true, allowWatchBookmarks=true and resourceVersionMatch=NotOlderThan that
// begins with every object as ADDED, marks their end with a BOOKMARK annotated
// `k8s.io/initial-events-end: "true"`, and goes on as an ordinary watch. The API server then streams
// objects from its watch cache instead of building 500-object pages. A server that does not serve it
// says so: 422 Invalid (the WatchList feature gate is off) or 400; one that ignores the parameters (older
// than 1.27) sends a bookmark without the annotation, or none before the stream ends. Either way this
// reflector lists in pages from then on. client-node's ListWatch and informers list and then watch, and
// do not ask for streaming lists, hence our own.
import { sourceEnglish } from "@eni-view/model";
import { Backoff, sleep } from "../backoff.ts";
import { KubeApiError, type KubeClient, type WatchEvent } from "./kubeClient.ts";

export type RestartReason = "gone" | "closed" | "quiet" | "error";
/** How a reflector's initial state was read: a streaming list or a paginated one. */
export type InitialListMethod = "watch-list" | "list";

export interface ReflectorOptions<T> {
  client: KubeClient;
  /** Plural name for messages and metrics: "pods". */
  resource: string;
  /** Collection path: "/api/v1/pods". */
  path: string;
  /** A fieldSelector the API server applies to the list and the watch ("involvedObject.kind=Pod"). */
  fieldSelector?: string;
  /** Keeps only what eni-view reads of a wire object (and drops env, annotations, secrets). */
  slim: (raw: Record<string, unknown>) => T;
  /** When given, the document kept beside each item (what a capture writes), which `slim` then reads in
   * place of the wire object. */
  prepare?: (raw: Record<string, unknown>) => Record<string, unknown>;
  pageSize?: number;
  /** Server-side watch timeout; the server then ends the stream and we resume. */
  watchTimeoutSeconds?: number;
  /** No byte (event or bookmark) for this long: the connection is presumed dead. */
  quietMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  onChange: (event: "list" | WatchEventType, item: T | null) => void;
  onRestart: (reason: RestartReason) => void;
  onListed: (seconds: number, method: InitialListMethod) => void;
  /** Ask for streaming lists (default true); false lists in pages from the start. */
  watchList?: boolean;
  onError: (message: string) => void;
  onHealthy: () => void;
  /** For a custom resource whose CRD may not be installed: a 404 on the list means "not installed". The
   * reflector then holds no items, is `absent` (not an error), calls onAbsent and lists again after
   * `recheckMs`, quietly. */
  optional?: { recheckMs: number; onAbsent: () => void };
}

type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** An object's namespace ("" when cluster-scoped) and name, the two parts of its "namespace/name" key. */
interface KeyParts {
  namespace: string;
  name: string;
}

function partsOf(raw: Record<string, unknown>): KeyParts {
  const meta = (raw.metadata ?? {}) as { namespace?: string; name?: string };
  return { namespace: meta.namespace ?? "", name: meta.name ?? "" };
}

/** "namespace/name" -> its parts. Neither a namespace nor a name holds a "/", so the first one splits. */
function splitKey(key: string): KeyParts {
  const slash = key.indexOf("/");
  return slash < 0
    ? { namespace: "", name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Orders two objects as their "namespace/name" keys order (UTF-16 code units, as Array.prototype.sort
 * does), without building the keys. */
export function compareKeys(ns1: string, name1: string, ns2: string, name2: string): number {
  if (ns1 === ns2) return name1 < name2 ? -1 : name1 > name2 ? 1 : 0;
  const common = Math.min(ns1.length, ns2.length);
  for (let i = 0; i < common; i++) {
    const d = ns1.charCodeAt(i) - ns2.charCodeAt(i);
    if (d !== 0) return d;
  }
  // One namespace begins the other: the shorter one's "/" meets the longer one's next character. Only
  // a "/" there (which no namespace holds) would tie; the joined keys then say.
  const next = ns1.length < ns2.length ? ns2.charCodeAt(common) : ns1.charCodeAt(common);
  if (next !== 0x2f) return ns1.length < ns2.length ? 0x2f - next : next - 0x2f;
  const a = `${ns1}/${name1}`;
  const b = `${ns2}/${name2}`;
  return a < b ? -1 : a > b ? 1 : 0;
}

function resourceVersionOf(raw: Record<string, unknown>): string | null {
  const meta = raw.metadata as { resourceVersion?: string } | undefined;
  return meta?.resourceVersion ?? null;
}

/** An object of an initial state being read, with its key's parts. */
interface Fresh<T> {
  namespace: string;
  name: string;
  item: T;
  raw: Record<string, unknown> | null;
}

class WatchGone extends Error {}
/** The API server refused or ignored a streaming list. */
class WatchListUnserved extends Error {}
/** A streaming list whose connection ended before its initial-events-end bookmark. */
class StreamCutShort extends Error {}

const initialEventsEnd = "k8s.io/initial-events-end";
/** Streaming lists cut short in a row before one initial state is read in pages instead. */
const maxCutShort = 2;

function isExpired(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 410;
}

/** Lists begun again in one go after their continue token expired, before that counts as an error. */
const maxExpiredRestarts = 3;

function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 404;
}

/** Short text for SourceStatus.error: "Forbidden: pods", "ECONNREFUSED", ... */
export function describeKubeError(resource: string, err: unknown): string {
  if (err instanceof KubeApiError) {
    if (err.statusCode === 403) return sourceEnglish("kube.forbidden", { resource });
    if (err.statusCode === 401) return sourceEnglish("kube.unauthorized");
    if (err.statusCode === null) return err.message;
    return sourceEnglish("kube.status", { reason: err.reason, resource, status: err.statusCode });
  }
  return `${resource}: ${(err as Error).message ?? String(err)}`;
}

export class Reflector<T> {
  readonly resource: string;
  private readonly options: ReflectorOptions<T>;
  /** The items in namespace/name order with their namespaces and names at the same positions, kept in
   * step with every event (a binary search and a splice): reading the items in order never sorts 150,000
   * keys, and an item is found by binary search (a Map beside them cost about 50 bytes a pod). The parts
   * are the wire object's own strings (a namespace stored once), which the mapped pod holds too: a
   * "namespace/name" string per item cost about 90 bytes a pod. */
  private sortedNamespaces: string[] = [];
  private sortedNames: string[] = [];
  private sortedItems: T[] = [];
  /** With `prepare`, each item's kept document at the same positions; empty without. */
  private sortedRaws: Record<string, unknown>[] = [];
  /** Each namespace's text once. */
  private readonly namespaces = new Map<string, string>();
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  /** Bumped on every change so readers can cache what they derive from the items. */
  version = 0;
  listed = false;
  /** The last list answered 404: the resource (its CRD) is not installed. */
  absent = false;
  private relistRequested = false;
  /** The list under way: items so far and, when the API server says (remainingItemCount), in all. */
  private listing: { count: number; total: number | null } | null = null;
  private watchController: AbortController | null = null;
  /** null until a streaming list has been tried; then whether the API server serves them. */
  private watchListServed: boolean | null;
  private cutShort = 0;
  /** The streaming list under way: the objects of its initial events, until the end bookmark. */
  private initial: { fresh: Map<string, Fresh<T>>; started: number; done: boolean } | null = null;

  constructor(options: ReflectorOptions<T>) {
    this.options = options;
    this.resource = options.resource;
    this.watchListServed = options.watchList === false ? false : null;
    this.backoff = new Backoff({
      baseMs: options.backoffBaseMs ?? 500,
      maxMs: options.backoffMaxMs ?? 30_000,
    });
  }

  /** The item keyed "namespace/name" ("/name" for a cluster-scoped one). */
  get(key: string): T | undefined {
    const { namespace, name } = splitKey(key);
    const at = this.indexOf(namespace, name);
    return this.holds(at, namespace, name) ? this.sortedItems[at] : undefined;
  }

  values(): IterableIterator<T> {
    return this.sortedItems.values();
  }

  /** The items in namespace/name order (kubectl's), so a view and a capture of it list alike. */
  sortedValues(): T[] {
    return this.sortedItems.slice();
  }

  /** The kept documents (see `prepare`) in the same order; none without `prepare`. */
  rawValues(): Record<string, unknown>[] {
    return this.sortedRaws.slice();
  }

  get size(): number {
    return this.sortedItems.length;
  }

  /** How the initial state is read now (a streaming list until the server is found not to serve them). */
  get initialListMethod(): InitialListMethod {
    return this.watchListServed === false ? "list" : "watch-list";
  }

  /** How far the first list got, for a server that shows its loading progress. */
  progress(): { count: number; total: number | null; complete: boolean } {
    if (this.listed) return { count: this.size, total: this.size, complete: true };
    return { count: this.listing?.count ?? 0, total: this.listing?.total ?? null, complete: false };
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Ends the current watch and lists again (the caller now slims objects differently). */
  relist(): void {
    this.relistRequested = true;
    this.watchController?.abort();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let rv: string;
      try {
        if (this.watchListServed === false || this.cutShort >= maxCutShort) {
          // Streams cut short in a row (410s, a proxy that drops long responses): this one initial state
          // is read in pages, and the next relist streams again. A refusal is for good.
          this.cutShort = 0;
          rv = await this.list();
          this.options.onHealthy();
        } else {
          // The stream goes on as a watch after its initial events; it returns when that watch ends.
          const streamed = await this.streamList();
          rv = streamed.rv;
          if (!this.relistRequested) this.options.onRestart(streamed.outcome);
        }
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof WatchListUnserved) {
          this.watchListServed = false;
          continue;
        }
        if (this.relistRequested && err instanceof StreamCutShort) {
          this.relistRequested = false;
          continue;
        }
        if (err instanceof StreamCutShort) {
          this.options.onRestart("closed");
          this.cutShort++;
          await sleep(this.backoff.next(), this.abort.signal);
          continue;
        }
        const optional = this.options.optional;
        if (optional && isNotFound(err)) {
          this.markAbsent();
          optional.onAbsent();
          this.backoff.reset();
          await sleep(optional.recheckMs, this.abort.signal);
          continue;
        }
        this.options.onError(describeKubeError(this.resource, err));
        this.options.onRestart("error");
        await sleep(this.backoff.next(), this.abort.signal);
        continue;
      }
      // Watch from the list's version until it is too old (410) or something fails.
      let emptyCloses = 0;
      while (!this.stopped) {
        if (this.relistRequested) {
          this.relistRequested = false;
          break;
        }
        const started = Date.now();
        let events = 0;
        let outcome: "closed" | "quiet";
        try {
          outcome = await this.watchOnce(rv, (next) => {
            rv = next;
            events++;
          });
          if (this.stopped) return;
          if (this.relistRequested) continue;
          this.options.onRestart(outcome);
        } catch (err) {
          if (this.stopped) return;
          if (this.relistRequested) continue;
          if (err instanceof WatchGone) {
            this.options.onRestart("gone");
            // A server that answers every watch with 410 would make us relist in a tight loop.
            if (Date.now() - started < 1000) await sleep(this.backoff.next(), this.abort.signal);
            break;
          }
          // A CRD removed while watched: the relist tells it (404, absent) without an error in between.
          if (this.options.optional && isNotFound(err)) break;
          this.options.onError(describeKubeError(this.resource, err));
          this.options.onRestart("error");
          await sleep(this.backoff.next(), this.abort.signal);
          break;
        }
        // A quiet watch waited its full quiet time: resume at once.
        if (outcome === "quiet" || events > 0 || Date.now() - started >= 1000) {
          emptyCloses = 0;
          this.backoff.reset();
          continue;
        }
        // A stream that ends at once with nothing in it (a proxy dropping us) is retried with backoff;
        // when that keeps happening the resume point itself may be the trouble, so relist.
        await sleep(this.backoff.next(), this.abort.signal);
        if (++emptyCloses >= 3) break;
      }
    }
  }

  /** Lists every page, then replaces the store in one step; returns the list's resourceVersion. */
  private async list(): Promise<string> {
    const started = performance.now();
    const pageSize = this.options.pageSize ?? 500;
    const fresh = new Map<string, Fresh<T>>();
    let cont: string | undefined;
    let rv = "";
    let expired = 0;
    for (;;) {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (this.options.fieldSelector) query.set("fieldSelector", this.options.fieldSelector);
      if (cont) query.set("continue", cont);
      let page: Record<string, unknown>;
      try {
        page = await this.options.client.getJson(`${this.options.path}?${query}`, this.abort.signal);
      } catch (err) {
        // The pages so far are of a resourceVersion the API server no longer keeps (etcd compacts every
        // 5 minutes, and 150,000 pods take many pages): begin the list again, as the API server's message
        // says to, rather than report an error. A list slower than compaction every time is an error.
        if (!cont || !isExpired(err) || ++expired > maxExpiredRestarts) throw err;
        this.options.onRestart("gone");
        fresh.clear();
        cont = undefined;
        rv = "";
        this.listing = null;
        continue;
      }
      const items = page.items;
      if (!Array.isArray(items)) {
        throw new KubeApiError(
          sourceEnglish("kube.noItems", { resource: this.resource }),
          null,
          "BadResponse",
        );
      }
      for (const raw of items as Record<string, unknown>[]) this.collect(fresh, raw);
      const meta = (page.metadata ?? {}) as {
        continue?: string;
        resourceVersion?: string;
        remainingItemCount?: number;
      };
      cont = meta.continue || undefined;
      rv = meta.resourceVersion ?? rv;
      // remainingItemCount is an estimate the API server gives only for unfiltered lists; a total below
      // what is already read is no total.
      const remaining = typeof meta.remainingItemCount === "number" ? meta.remainingItemCount : null;
      this.listing = {
        count: fresh.size,
        total: cont ? (remaining === null ? null : fresh.size + remaining) : fresh.size,
      };
      if (!cont) break;
    }
    this.replaceAll(fresh, started, "list");
    return rv;
  }

  /** Puts a complete initial state in place of the store in one step. */
  private replaceAll(fresh: Map<string, Fresh<T>>, started: number, method: InitialListMethod): void {
    this.absent = false;
    const sorted = [...fresh].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    fresh.clear();
    this.sortedNamespaces = sorted.map(([, f]) => f.namespace);
    this.sortedNames = sorted.map(([, f]) => f.name);
    this.sortedItems = sorted.map(([, f]) => f.item);
    this.sortedRaws = this.options.prepare ? sorted.map(([, f]) => f.raw!) : [];
    this.version++;
    this.listed = true;
    this.listing = null;
    this.options.onListed((performance.now() - started) / 1000, method);
    this.options.onChange("list", null);
  }

  /** A streaming list, then the watch it becomes; returns the last resourceVersion and why the watch
   * ended. Throws WatchListUnserved when the server refuses or ignores it, StreamCutShort when the
   * connection ends before the initial events do. */
  private async streamList(): Promise<{ rv: string; outcome: "closed" | "quiet" }> {
    let rv = "";
    const initial = { fresh: new Map<string, Fresh<T>>(), started: performance.now(), done: false };
    this.initial = initial;
    this.listing = { count: 0, total: null };
    let outcome: "closed" | "quiet";
    try {
      outcome = await this.watchOnce(null, (next) => {
        rv = next;
      });
    } catch (err) {
      if (err instanceof KubeApiError && (err.statusCode === 422 || err.statusCode === 400))
        throw new WatchListUnserved(err.message);
      if (err instanceof WatchGone && !initial.done) throw new StreamCutShort();
      throw err;
    } finally {
      this.initial = null;
      if (!initial.done) this.listing = null;
    }
    if (!initial.done) throw new StreamCutShort();
    return { rv, outcome };
  }

  /** The initial-events-end bookmark: the streamed objects become the store. */
  private endInitial(): void {
    const initial = this.initial as { fresh: Map<string, Fresh<T>>; started: number; done: boolean };
    initial.done = true;
    this.initial = null;
    this.cutShort = 0;
    this.replaceAll(initial.fresh, initial.started, "watch-list");
    this.options.onHealthy();
  }

  /** Not installed: no items, listed (there is nothing more to wait for). */
  private markAbsent(): void {
    const changed = !this.absent || this.size > 0 || !this.listed;
    this.absent = true;
    this.listed = true;
    if (!changed) return;
    this.sortedNamespaces = [];
    this.sortedNames = [];
    this.sortedItems = [];
    this.sortedRaws = [];
    this.version++;
    this.options.onChange("list", null);
  }

  /** One watch request (a streaming list when `rv` is null); resolves with why it ended, throws
   * WatchGone on 410. */
  private async watchOnce(rv: string | null, onVersion: (rv: string) => void): Promise<"closed" | "quiet"> {
    const timeout = this.options.watchTimeoutSeconds ?? 300;
    const query = new URLSearchParams({ watch: "true", allowWatchBookmarks: "true" });
    // No resourceVersion with NotOlderThan: the initial events are a consistent read, as fresh as the
    // moment the request arrives.
    if (rv === null) {
      query.set("sendInitialEvents", "true");
      query.set("resourceVersionMatch", "NotOlderThan");
    } else query.set("resourceVersion", rv);
    // Spread the server-side timeouts so restarts of several resources do not line up.
    query.set("timeoutSeconds", String(Math.round(timeout * (0.8 + 0.2 * Math.random()))));
    if (this.options.fieldSelector) query.set("fieldSelector", this.options.fieldSelector);
    const controller = new AbortController();
    this.watchController = controller;
    const onStop = () => controller.abort();
    this.abort.signal.addEventListener("abort", onStop, { once: true });
    const quietMs = this.options.quietMs ?? 90_000;
    let quiet = false;
    let timer = setTimeout(goQuiet, quietMs);
    function goQuiet() {
      quiet = true;
      controller.abort();
    }
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(goQuiet, quietMs);
    };
    try {
      await this.options.client.watch(
        `${this.options.path}?${query}`,
        (event) => this.apply(event, onVersion),
        controller.signal,
        touch,
      );
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 410) throw new WatchGone();
      if (!quiet && !this.stopped && !this.relistRequested) throw err;
    } finally {
      this.watchController = null;
      // Ends the connection however we leave (an ERROR event, a throw from a handler, a stop).
      controller.abort();
      clearTimeout(timer);
      this.abort.signal.removeEventListener("abort", onStop);
    }
    return quiet ? "quiet" : "closed";
  }

  /** Where the object `namespace/name` is in the sorted items, or where it would go. */
  private indexOf(namespace: string, name: string): number {
    const namespaces = this.sortedNamespaces;
    const names = this.sortedNames;
    let lo = 0;
    let hi = namespaces.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(namespaces[mid]!, names[mid]!, namespace, name) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private holds(at: number, namespace: string, name: string): boolean {
    return this.sortedNamespaces[at] === namespace && this.sortedNames[at] === name;
  }

  /** The namespace's text as first seen, so the store keeps one string for every pod in it. */
  private parts(raw: Record<string, unknown>): KeyParts {
    const parts = partsOf(raw);
    const kept = this.namespaces.get(parts.namespace);
    if (kept !== undefined) parts.namespace = kept;
    else this.namespaces.set(parts.namespace, parts.namespace);
    return parts;
  }

  /** One object of an initial state, by its key while the state is read (the key is dropped after). */
  private collect(fresh: Map<string, Fresh<T>>, raw: Record<string, unknown>): void {
    const { namespace, name } = this.parts(raw);
    fresh.set(`${namespace}/${name}`, { namespace, name, ...this.read(raw) });
  }

  /** The item an object makes, and the document kept beside it (null without `prepare`). */
  private read(raw: Record<string, unknown>): { item: T; raw: Record<string, unknown> | null } {
    const kept = this.options.prepare?.(raw) ?? null;
    return { item: this.options.slim(kept ?? raw), raw: kept };
  }

  private place(parts: KeyParts, item: T, raw: Record<string, unknown> | null): void {
    const at = this.indexOf(parts.namespace, parts.name);
    const keep = raw !== null && this.options.prepare !== undefined;
    if (this.holds(at, parts.namespace, parts.name)) {
      this.sortedItems[at] = item;
      if (keep) this.sortedRaws[at] = raw;
    } else {
      this.sortedNamespaces.splice(at, 0, parts.namespace);
      this.sortedNames.splice(at, 0, parts.name);
      this.sortedItems.splice(at, 0, item);
      if (keep) this.sortedRaws.splice(at, 0, raw);
    }
  }

  private unplace(parts: KeyParts): void {
    const at = this.indexOf(parts.namespace, parts.name);
    if (!this.holds(at, parts.namespace, parts.name)) return;
    this.sortedNamespaces.splice(at, 1);
    this.sortedNames.splice(at, 1);
    this.sortedItems.splice(at, 1);
    if (this.options.prepare) this.sortedRaws.splice(at, 1);
  }

  private apply(event: WatchEvent, onVersion: (rv: string) => void): void {
    const { type, object } = event;
    if (type === "ERROR") {
      const status = object as { code?: number; reason?: string; message?: string };
      if (status.code === 410 || status.reason === "Expired" || status.reason === "Gone")
        throw new WatchGone();
      throw new KubeApiError(
        sourceEnglish("kube.watchFailed", {
          resource: this.resource,
          error: status.message ?? status.reason ?? "error event",
        }),
        status.code ?? null,
        status.reason ?? "WatchError",
      );
    }
    const rv = resourceVersionOf(object);
    if (rv) onVersion(rv);
    const initial = this.initial;
    if (initial !== null) {
      if (type === "BOOKMARK") {
        const annotations = (object.metadata as { annotations?: Record<string, string> } | undefined)
          ?.annotations;
        if (annotations?.[initialEventsEnd] !== "true")
          throw new WatchListUnserved(
            "a bookmark before the initial-events-end one: the server ignores sendInitialEvents",
          );
        this.endInitial();
        return;
      }
      if (type === "DELETED") {
        const { namespace, name } = partsOf(object);
        initial.fresh.delete(`${namespace}/${name}`);
      } else this.collect(initial.fresh, object);
      this.listing = { count: initial.fresh.size, total: null };
      return;
    }
    if (type === "BOOKMARK") return;
    const parts = this.parts(object);
    if (type === "ADDED" || type === "MODIFIED") {
      const { item, raw } = this.read(object);
      this.place(parts, item, raw);
      this.version++;
      this.options.onChange(type, item);
    } else if (type === "DELETED") {
      const at = this.indexOf(parts.namespace, parts.name);
      const item = this.holds(at, parts.namespace, parts.name)
        ? this.sortedItems[at]!
        : this.read(object).item;
      this.unplace(parts);
      this.version++;
      this.options.onChange(type, item);
    }
  }
}
