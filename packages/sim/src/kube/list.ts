// LIST with limit/continue. Pages follow the key order (namespace/name); the continue token carries the
// list's resourceVersion and the last key. Later pages show objects as they are now, not a snapshot: the
// simulator keeps no old versions, and a token older than the watch history gets 410 Expired as the real
// server's does after compaction.
import { type ListQuery, matchesQuery } from "./query.ts";
import type { ResourceDef } from "./resources.ts";
import { badRequest, gone } from "./status.ts";
import type { ObjectStore } from "./store.ts";
import type { KubeObject } from "./types.ts";

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

function decodeContinue(raw: string): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (typeof token.rv === "number" && typeof token.start === "string") return token;
  } catch {}
  throw badRequest("continue key is not valid: not a token this server issued");
}

export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

function firstIndexAfter(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((keys[mid] as string) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function listPage(store: ObjectStore, def: ResourceDef, query: ListQuery): ListPage {
  let listRv = Number(store.resourceVersion());
  let start = 0;
  const keys = store.sortedKeys(def.name);
  if (query.namespace !== undefined) start = firstIndexAfter(keys, `${query.namespace}/`);
  if (query.continueToken) {
    const token = decodeContinue(query.continueToken);
    if (token.rv < store.oldestResourceVersion()) {
      throw gone(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
      );
    }
    listRv = token.rv;
    start = firstIndexAfter(keys, token.start);
  }
  const items: KubeObject[] = [];
  const limit = query.limit > 0 ? query.limit : Number.POSITIVE_INFINITY;
  let i = start;
  for (; i < keys.length && items.length < limit; i++) {
    const key = keys[i] as string;
    if (query.namespace !== undefined && !key.startsWith(`${query.namespace}/`)) {
      i = keys.length;
      break;
    }
    const obj = store.byKey(def.name, key);
    if (obj && matchesQuery(def, query, obj)) items.push(obj);
  }
  const page: ListPage = { items, resourceVersion: String(listRv) };
  const more =
    i < keys.length &&
    (query.namespace === undefined || (keys[i] as string).startsWith(`${query.namespace}/`));
  if (more && items.length > 0) {
    page.continue = encodeContinue({ rv: listRv, start: keys[i - 1] as string });
    if (!query.hasSelectors && query.namespace === undefined) page.remainingItemCount = keys.length - i;
  }
  return page;
}
