// All view state lives in the URL hash, so a copied link reopens the same view on another machine.
// kube-ops-view's links mean what they meant there: `#scale=1.5` alone is 1.5 times the fitted size,
// parameters may be separated by `;` as well as `&`, `#dashboard=true` is kiosk mode, and `#reload=N` (a
// reload every N seconds) is declined on screen: this page updates live over its event stream.

import { type PaletteName, paletteNames } from "../draw/theme.ts";
import { t } from "../i18n/i18n.ts";
import { type Language, languages } from "../i18n/language.ts";
import { labs } from "../lab/labs.ts";
import { type Grouping, groupings, type NodeSort, nodeSorts } from "../layout/clusterLayout.ts";
import { type ColorMode, colorModes } from "../layout/colorKey.ts";
import { type HeatMode, heatModes } from "../layout/heat.ts";

/** "system" follows the browser: dark or light, and the high-contrast theme when it asks for more contrast. */
export const themeChoices = ["system", "light", "dark", "contrast"] as const;
export type ThemeChoice = (typeof themeChoices)[number];

export interface ViewState {
  group: Grouping;
  color: ColorMode;
  q: string;
  /** kube-ops-view's `#scale=N` without x/y: N times the fitted size, centred; null is 1. */
  zoom: number | null;
  /** Pan/zoom transform; null means fit the cluster to the screen. */
  view: { x: number; y: number; k: number } | null;
  node: string | null;
  theme: ThemeChoice;
  /** The state colours: standard or colour-blind safe. */
  palette: PaletteName;
  kiosk: boolean;
  /** Heat-map colouring of the boxes, or off. */
  heat: HeatMode;
  /** Only nodes with a problem are drawn. */
  problemsOnly: boolean;
  sort: NodeSort;
  /** The problems list is open. */
  problemsList: boolean;
  /** The node map, the subnet view (every address of each subnet) or the node table. */
  tab: ViewTab;
  /** The subnet the subnet view shows (by id); null: the first. */
  subnet: string | null;
  /** The language picked in the page; null follows the browser, so a link carries it only once chosen. */
  lang: Language | null;
  /** Lab mode: the lab walked through (its id) and its step, from 1, so a teacher's link opens "step 4 of
   * the scale lab" on every student's page; null: lab mode is closed. */
  lab: { id: string; step: number } | null;
  /** A plan's query (model planQuery.ts): the map shows the planned cluster; null: no plan. */
  plan: string | null;
  /** With a plan, the planned cluster ("after") or the cluster as it is, with what the plan replaces. */
  planView: PlanView;
}

export const planViews = ["after", "before"] as const;
export type PlanView = (typeof planViews)[number];

export const viewTabs = ["nodes", "subnets", "table"] as const;
export type ViewTab = (typeof viewTabs)[number];

export const defaultViewState: ViewState = {
  group: "zone",
  color: "namespace",
  q: "",
  zoom: null,
  view: null,
  node: null,
  theme: "system",
  palette: "standard",
  kiosk: false,
  heat: "off",
  problemsOnly: false,
  sort: "name",
  problemsList: false,
  tab: "nodes",
  subnet: null,
  lang: null,
  lab: null,
  plan: null,
  planView: "after",
};

function flag(value: string | null): boolean {
  return value === "1" || value === "true" || value === "";
}

export const MIN_SCALE = 0.01;
export const MAX_SCALE = 16;

/** A part of a link the page ignores, said in the page's language whenever it is shown. */
export class UrlProblem {
  readonly key: "notOneOf" | "notNumber" | "notWhole" | "reload" | "stepWithoutLab" | "stepPast";
  readonly values: Record<string, string | number>;
  constructor(key: UrlProblem["key"], values: Record<string, string | number>) {
    this.key = key;
    this.values = values;
  }
  describe(): string {
    return (t as unknown as (k: string, v: Record<string, string | number>) => string)(
      `url.${this.key}`,
      this.values,
    );
  }
}

function oneOf<T extends string>(
  name: string,
  value: string,
  allowed: readonly T[],
  problems: UrlProblem[],
): T | null {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(new UrlProblem("notOneOf", { name, value, allowed: allowed.join(", ") }));
  return null;
}

function number(
  name: string,
  value: string | null,
  problems: UrlProblem[],
  min = -1e9,
  max = 1e9,
): number | null {
  if (value === null) return null;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    problems.push(new UrlProblem("notNumber", { name, value, min, max }));
    return null;
  }
  return n;
}

/** Reads a location hash ("#group=zone&scale=1.5"). Bad values are reported and replaced by defaults. */
export function parseViewState(hash: string): { state: ViewState; problems: UrlProblem[] } {
  const params = new URLSearchParams(hash.replace(/^#/, "").replaceAll(";", "&"));
  const problems: UrlProblem[] = [];
  const state: ViewState = { ...defaultViewState };
  const group = params.get("group");
  if (group !== null) state.group = oneOf("group", group, groupings, problems) ?? state.group;
  const color = params.get("color");
  if (color !== null) state.color = oneOf("color", color, colorModes, problems) ?? state.color;
  const theme = params.get("theme");
  if (theme !== null) state.theme = oneOf("theme", theme, themeChoices, problems) ?? state.theme;
  const palette = params.get("palette");
  if (palette !== null) state.palette = oneOf("palette", palette, paletteNames, problems) ?? state.palette;
  const heat = params.get("heat");
  if (heat !== null) state.heat = oneOf("heat", heat, heatModes, problems) ?? state.heat;
  const sort = params.get("sort");
  if (sort !== null) state.sort = oneOf("sort", sort, nodeSorts, problems) ?? state.sort;
  const only = params.get("only");
  if (only !== null) state.problemsOnly = oneOf("only", only, ["problems"], problems) !== null;
  state.problemsList = flag(params.get("problems"));
  const tab = params.get("tab");
  if (tab !== null) state.tab = oneOf("tab", tab, viewTabs, problems) ?? state.tab;
  state.subnet = params.get("subnet") || null;
  const lang = params.get("lang");
  if (lang !== null) state.lang = oneOf("lang", lang, languages, problems);
  state.lab = labState(params.get("lab"), params.get("step"), problems);
  state.plan = params.get("plan") || null;
  const planView = params.get("planview");
  if (planView !== null) state.planView = oneOf("planview", planView, planViews, problems) ?? state.planView;
  state.q = params.get("q") ?? "";
  state.node = params.get("node") || null;
  state.kiosk =
    (params.has("kiosk") && flag(params.get("kiosk"))) ||
    (params.has("dashboard") && flag(params.get("dashboard")));
  const reload = params.get("reload");
  if (reload !== null) problems.push(new UrlProblem("reload", { value: reload }));
  const k = number("scale", params.get("scale"), problems, MIN_SCALE, MAX_SCALE);
  const x = number("x", params.get("x"), problems);
  const y = number("y", params.get("y"), problems);
  if (k !== null && x === null && y === null) state.zoom = k;
  else if (k !== null) state.view = { x: x ?? 0, y: y ?? 0, k };
  return { state, problems };
}

/** `lab=scale&step=4`: a lab by id and a step within it (1 when absent); a step past the end is its last. */
function labState(id: string | null, step: string | null, problems: UrlProblem[]): ViewState["lab"] {
  if (id === null) {
    if (step !== null) problems.push(new UrlProblem("stepWithoutLab", { step }));
    return null;
  }
  const lab = labs.find((l) => l.id === id);
  if (!lab) {
    problems.push(
      new UrlProblem("notOneOf", { name: "lab", value: id, allowed: labs.map((l) => l.id).join(", ") }),
    );
    return null;
  }
  const n = number("step", step, problems, 1, 1e6);
  if (n !== null && !Number.isInteger(n)) {
    problems.push(new UrlProblem("notWhole", { name: "step", value: step ?? "" }));
    return { id, step: 1 };
  }
  if (n !== null && n > lab.steps.length) {
    problems.push(new UrlProblem("stepPast", { step: step ?? "", lab: id, count: lab.steps.length }));
    return { id, step: lab.steps.length };
  }
  return { id, step: n ?? 1 };
}

function round(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}

/** The hash for a state, leaving out defaults so links stay short. */
export function serializeViewState(s: ViewState): string {
  const p = new URLSearchParams();
  if (s.group !== defaultViewState.group) p.set("group", s.group);
  if (s.color !== defaultViewState.color) p.set("color", s.color);
  if (s.q) p.set("q", s.q);
  if (s.node) p.set("node", s.node);
  if (s.theme !== defaultViewState.theme) p.set("theme", s.theme);
  if (s.palette !== defaultViewState.palette) p.set("palette", s.palette);
  if (s.kiosk) p.set("kiosk", "1");
  if (s.heat !== defaultViewState.heat) p.set("heat", s.heat);
  if (s.sort !== defaultViewState.sort) p.set("sort", s.sort);
  if (s.problemsOnly) p.set("only", "problems");
  if (s.problemsList) p.set("problems", "1");
  if (s.tab !== defaultViewState.tab) p.set("tab", s.tab);
  if (s.subnet) p.set("subnet", s.subnet);
  if (s.lang) p.set("lang", s.lang);
  if (s.lab) {
    p.set("lab", s.lab.id);
    p.set("step", String(s.lab.step));
  }
  if (s.plan) p.set("plan", s.plan);
  if (s.plan && s.planView !== defaultViewState.planView) p.set("planview", s.planView);
  if (!s.view && s.zoom !== null) p.set("scale", round(s.zoom, 4));
  if (s.view) {
    p.set("scale", round(s.view.k, 4));
    p.set("x", round(s.view.x, 1));
    p.set("y", round(s.view.y, 1));
  }
  const text = p.toString();
  return text ? `#${text}` : "";
}
