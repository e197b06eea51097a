// Colours of the two themes. Pod colours are shared: both themes are tuned so the categorical palette
// stays legible on their box background.
import { schemeDark2, schemeSet2, schemeTableau10 } from "d3-scale-chromatic";

export const themeNames = ["light", "dark"] as const;
export type ThemeName = (typeof themeNames)[number];

export interface Theme {
  name: ThemeName;
  background: string;
  groupText: string;
  boxFill: string;
  boxStroke: string;
  text: string;
  textDim: string;
  ok: string;
  bad: string;
  warn: string;
  primaryCell: string;
  warmStroke: string;
  freeCell: string;
  placeholderCell: string;
  hostCell: string;
  trunk: string;
  branch: string;
  hover: string;
  selected: string;
  flash: string;
  /** Problem marks (problemMarks.ts): full nodes' border, a low subnet's stripe, the ENI-limit bar, and the
   * text on the waiting-for-IP badge (drawn in `bad`). */
  full: string;
  subnetLow: string;
  eniLimit: string;
  badgeText: string;
  /** A warm IP still in IPAMD's cooldown: a bar that drains as the cooldown runs out. */
  cooling: string;
  /** A plan's marks (planMarks.ts): what it adds (ENIs, pods, nodes), pods it moves, nodes it replaces. */
  planNew: string;
  planMoved: string;
  planReplaced: string;
  /** Utilisation ramp for the zoomed-out overview: empty to full. */
  dimAlpha: number;
}

export const themes: Record<ThemeName, Theme> = {
  light: {
    name: "light",
    background: "#eef1f5",
    groupText: "#2b3440",
    boxFill: "#ffffff",
    boxStroke: "#c5ccd6",
    text: "#1b222c",
    textDim: "#66707e",
    ok: "#2e9d5b",
    bad: "#d6393b",
    warn: "#d98a00",
    primaryCell: "#3a4452",
    warmStroke: "#5c6b80",
    freeCell: "#e3e7ed",
    placeholderCell: "#cbd2dc",
    hostCell: "#8793a3",
    trunk: "#7b4fd0",
    branch: "#c0569d",
    hover: "#0a66d8",
    selected: "#0a66d8",
    flash: "#ffb000",
    full: "#6a3d9a",
    subnetLow: "#8c6d00",
    eniLimit: "#0072b2",
    badgeText: "#ffffff",
    cooling: "#0e7c9b",
    planNew: "#009e73",
    planMoved: "#0072b2",
    planReplaced: "#cc3311",
    dimAlpha: 0.14,
  },
  dark: {
    name: "dark",
    background: "#0f1318",
    groupText: "#cfd6e0",
    boxFill: "#1a2029",
    boxStroke: "#2f3946",
    text: "#e6ebf2",
    textDim: "#8b97a8",
    ok: "#3fbf73",
    bad: "#ff5a5f",
    warn: "#ffb020",
    primaryCell: "#aab4c3",
    warmStroke: "#8f9bb0",
    freeCell: "#262e39",
    placeholderCell: "#3b4757",
    hostCell: "#6b778a",
    trunk: "#a07cf0",
    branch: "#e27dc0",
    hover: "#5aa9ff",
    selected: "#5aa9ff",
    flash: "#ffc233",
    full: "#c39bff",
    subnetLow: "#e0c050",
    eniLimit: "#56b4e9",
    badgeText: "#0f1318",
    cooling: "#5fd3f3",
    planNew: "#3ddc97",
    planMoved: "#56b4e9",
    planReplaced: "#ff7b5c",
    dimAlpha: 0.18,
  },
};

/** 26 categorical colours: namespaces and owners hash onto them, so more colours mean fewer shared ones. */
export const podPalette: readonly string[] = [...schemeTableau10, ...schemeSet2, ...schemeDark2];

export const phaseColors: Record<string, string> = {
  Running: "#2e9d5b",
  Pending: "#e0a100",
  Succeeded: "#8a94a3",
  Failed: "#d6393b",
  Unknown: "#8e5ccf",
};
