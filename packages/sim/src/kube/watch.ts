// WATCH: newline-delimited JSON events from a resourceVersion on. ADDED/MODIFIED/DELETED follow the
// selectors (an object leaving a selector is DELETED for that watch), BOOKMARKs carry the current
// resourceVersion, and a version older than the history kept gets an ERROR event with 410 Expired.
import type { ServerResponse } from "node:http";
import type { FaultSettings } from "../contracts.ts";
import { objectJson } from "./json.ts";
import { type ListQuery, matchesQuery } from "./query.ts";
import { groupVersion, type ResourceDef } from "./resources.ts";
import { badRequest, gone } from "./status.ts";
import type { ObjectStore } from "./store.ts";
import { toTable } from "./table.ts";
import type { KubeObject, StoreChange, WatchEventType } from "./types.ts";

export interface WatchOptions {
  store: ObjectStore;
  def: ResourceDef;
  query: ListQuery;
  res: ServerResponse;
  faults: FaultSettings;
  /** Wall ms between bookmarks. */
  bookmarkIntervalMs: number;
  /** Wall ms a watch stays open when the client names no timeoutSeconds. */
  defaultTimeoutMs: number;
  onClose: () => void;
}

export interface OpenWatch {
  close(): void;
  isClosed(): boolean;
}

export function startWatch(options: WatchOptions): OpenWatch {
  const { store, def, query, res, faults } = options;
  let closed = false;
  let unsubscribe = () => {};
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;

  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(bookmarkTimer);
    clearTimeout(timeoutTimer);
    res.end();
    options.onClose();
  };
  res.on("close", close);
  const handle: OpenWatch = { close, isClosed: () => closed };

  /** False when the socket's buffer is full: the caller waits for `drained` before writing more. */
  const write = (type: WatchEventType | "BOOKMARK" | "ERROR", object: unknown, stored = false): boolean => {
    if (closed) return true;
    const json = stored ? objectJson(object as KubeObject) : JSON.stringify(object);
    const room = res.write(`{"type":"${type}","object":${json}}\n`);
    if (faults.dropWatches && type !== "BOOKMARK") close();
    return room;
  };
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        resolve();
      };
      res.once("drain", done);
      res.once("close", done);
    });

  // Table rows hold ages, made per request; plain objects are sent as their stored JSON.
  const emit = (type: WatchEventType, obj: KubeObject): boolean =>
    query.table ? write(type, render(obj)) : write(type, obj, true);
  const render = (obj: KubeObject) =>
    query.table
      ? toTable(
          def.name,
          [obj],
          { resourceVersion: obj.metadata.resourceVersion },
          store.clock.now(),
          query.includeObject,
        )
      : obj;

  const deliver = (change: StoreChange) => {
    if (change.resource !== def.name) return;
    const now = matchesQuery(def, query, change.object) && change.type !== "DELETED";
    const before = change.previous !== null && matchesQuery(def, query, change.previous);
    if (change.type === "DELETED") {
      if (before) emit("DELETED", change.object);
    } else if (now && before) emit("MODIFIED", change.object);
    else if (now) emit("ADDED", change.object);
    else if (before) {
      // Left the selector: the watcher must forget it, at the version that moved it out.
      emit("DELETED", change.object);
    }
  };

  const bookmark = (annotations?: Record<string, string>, resourceVersion = store.resourceVersion()) =>
    write("BOOKMARK", {
      kind: def.kind,
      apiVersion: groupVersion(def),
      metadata: { resourceVersion, ...(annotations ? { annotations } : {}) },
    });
  const follow = () => {
    if (closed) return;
    unsubscribe = store.subscribe(deliver);
    if (query.allowBookmarks) bookmarkTimer = setInterval(() => bookmark(), options.bookmarkIntervalMs);
  };

  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache, private" });
  res.flushHeaders();

  if (faults.watchGone) {
    const oldest = store.oldestResourceVersion();
    write("ERROR", gone(`too old resource version: ${query.resourceVersion ?? 0} (${oldest})`).toStatus());
    close();
    return handle;
  }

  const rv = query.resourceVersion;
  // sendInitialEvents=false with NotOlderThan and no version: from now on, nothing before it.
  const fromNow = query.sendInitialEvents === false && (rv === null || rv === "0");
  if (!fromNow && (rv === null || rv === "0" || query.sendInitialEvents)) {
    // Start from "now" with the current objects as ADDED, as the watch cache does for rv 0 or unset, and
    // for a streaming list (sendInitialEvents): the simulator is always at its newest version, which is
    // "not older than" any version a client names.
    // The objects are written as the socket takes them (the watch cache streams the same way): 300,000
    // pods are about a gigabyte of JSON, too much to buffer. Changes made meanwhile wait in a queue and
    // follow the initial events, as changes after their resourceVersion.
    const keys = store.sortedKeys(def.name).slice();
    const atStart = store.resourceVersion();
    const queued: StoreChange[] = [];
    unsubscribe = store.subscribe((change) => queued.push(change));
    void (async () => {
      for (const key of keys) {
        const obj = store.byKey(def.name, key);
        if (obj && matchesQuery(def, query, obj) && !emit("ADDED", obj)) await drained();
        if (closed) return;
      }
      if (query.sendInitialEvents && query.allowBookmarks)
        bookmark({ "k8s.io/initial-events-end": "true" }, atStart);
      unsubscribe();
      for (const change of queued) {
        deliver(change);
        if (closed) return;
      }
      follow();
    })();
  } else if (rv !== null && !fromNow) {
    if (!/^\d+$/.test(rv)) {
      write(
        "ERROR",
        badRequest(
          `resourceVersion: Invalid value: "${rv}": must be a resource version this server issued`,
        ).toStatus(),
      );
      close();
      return handle;
    }
    const changes = store.changesSince(Number(rv));
    if (changes === null) {
      write("ERROR", gone(`too old resource version: ${rv} (${store.oldestResourceVersion()})`).toStatus());
      close();
      return handle;
    }
    for (const change of changes) {
      deliver(change);
      if (closed) return handle;
    }
    follow();
  } else follow();

  if (closed) return handle;
  const timeoutMs = query.timeoutSeconds !== null ? query.timeoutSeconds * 1000 : options.defaultTimeoutMs;
  timeoutTimer = setTimeout(close, timeoutMs);
  return handle;
}
