// Short forms of AWS and Kubernetes names for tight spaces; full names stay in tooltips and panels.
import { t } from "../i18n/i18n.ts";
import type { GroupBlock } from "./clusterLayout.ts";

/** "ip-192-168-1-10.ap-northeast-2.compute.internal" -> "ip-192-168-1-10". */
export function shortNodeName(name: string): string {
  const dot = name.indexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

// Bidi overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) and C0/C1 controls: a name from
// a capture holding U+202E reverses the rest of the line it is shown in ("… egral.>1(trela"), so a
// warning could be made to read as another. Shown as the escape the CLI prints instead.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const controls = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Cluster text with its control and bidi characters made visible ("\u202e"), so it reads as it is. */
export function visibleControls(text: string): string {
  return text.replace(controls, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Names longer than Kubernetes allows a namespace or label (63) plus room: a capture can hold a
 * 5,000-character namespace, which made the legend one 30,000-pixel line. Clamped with an ellipsis
 * wherever a name is shown as text (legend, tooltip, panel, export); the full name stays in a title. */
export const NAME_MAX = 80;

export function clampName(raw: string, max = NAME_MAX): string {
  const name = visibleControls(raw);
  if (name.length <= max) return name;
  // Never between the halves of a surrogate pair.
  let end = max - 1;
  const last = name.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${name.slice(0, end)}…`;
}

/** "eni-0a1b2c3d4e5f60718" -> "eni-0a1b2c3d"; ids already short are kept. */
export function shortEniId(id: string): string {
  return id.length > 12 ? id.slice(0, 12) : id;
}

/** "subnet-0123456789abcdef0" -> "subnet-012345". */
export function shortSubnetId(id: string): string {
  return id.length > 13 ? id.slice(0, 13) : id;
}

/** "ap-northeast-2a" -> "2a": the suffix that tells AZs of one Region apart. */
export function shortZone(zone: string | null): string {
  if (!zone) return "?";
  const m = /-(\d+[a-z])$/.exec(zone);
  return m?.[1] ?? zone;
}

/** Pod keys are "namespace/name"; names cannot contain "/" so the first one splits. */
export function splitPodKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0
    ? { namespace: "", name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}

/** "ap-northeast-2a · 1 node · 17 pods": the caption over a group of boxes. */
export function groupTitle(g: Pick<GroupBlock, "label" | "unnamed" | "nodes" | "pods">): string {
  return t("layout.groupTitle", {
    label: g.unnamed ? t(`layout.unnamed.${g.unnamed}`) : g.label,
    nodes: t("layout.nodes", { count: g.nodes }),
    pods: t("layout.pods", { count: g.pods }),
  });
}

/** "2026-12-06 10:48 UTC": when a capture was taken, in the toolbar and the export title alike. */
export function captureTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().replace("T", " ").slice(0, 16)} UTC`;
}
