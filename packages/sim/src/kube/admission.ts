// Admission of new pods: the LimitRanger plugin fills container requests and limits from the namespace's
// LimitRanges (type Container: defaultRequest, default) and notes it in the kubernetes.io/limit-ranger
// annotation, so a default CPU request (kOps's `limits` LimitRange) counts in scheduling.
import type { ObjectStore } from "./store.ts";

// biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended JSON
type Json = any;

export function admitPod(store: ObjectStore, pod: Json): void {
  const ns = pod.metadata?.namespace;
  const notes: string[] = [];
  const ranges = [...store.all("limitranges")].filter((r) => r.metadata.namespace === ns);
  if (ranges.length === 0) return;
  // Controllers' pods share their template's containers: change a copy.
  pod.spec = { ...pod.spec, containers: structuredClone(pod.spec?.containers ?? []) };
  for (const range of ranges) {
    for (const item of range.spec?.limits ?? []) {
      if (item.type !== "Container") continue;
      for (const c of pod.spec?.containers ?? []) {
        c.resources ??= {};
        for (const [field, what] of [
          ["defaultRequest", "requests"],
          ["default", "limits"],
        ] as const) {
          for (const [resource, value] of Object.entries<string>(item[field] ?? {})) {
            if (c.resources[what]?.[resource] !== undefined) continue;
            c.resources[what] = { ...c.resources[what], [resource]: value };
            notes.push(`${resource} ${what === "requests" ? "request" : "limit"} for container ${c.name}`);
          }
        }
      }
    }
  }
  if (notes.length) {
    pod.metadata.annotations = {
      ...pod.metadata.annotations,
      "kubernetes.io/limit-ranger": `LimitRanger plugin set: ${notes.join("; ")}`,
    };
  }
}
