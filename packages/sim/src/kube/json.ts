// JSON of stored objects, made once per object version: stored objects are never changed in place, so
// their text can be kept beside them. Repeated lists of a 150,000-pod cluster then cost string joins
// instead of re-serialising every pod.
import type { KubeObject } from "./types.ts";

const cache = new WeakMap<KubeObject, string>();

export function objectJson(obj: KubeObject): string {
  let text = cache.get(obj);
  if (text === undefined) {
    text = JSON.stringify(obj);
    cache.set(obj, text);
  }
  return text;
}
