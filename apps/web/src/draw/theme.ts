// Colours of the themes (light, dark, high contrast) and of the palettes (standard, colour-blind safe). Pod
// colours are shared: the categorical palette is tuned to stay legible on every theme's box.

export const themeNames = ["light", "dark", "contrast"] as const;
export type ThemeName = (typeof themeNames)[number];

/** The state colours (status, problem marks, phases): the usual ones, or a set told apart with colour vision
 * deficiencies (chosen by simulation: theme.test.ts measures it). */
export const paletteNames = ["standard", "colourblind"] as const;
export type PaletteName = (typeof paletteNames)[number];

export const phaseNames = ["Running", "Pending", "Succeeded", "Failed", "Unknown"] as const;
export type PhaseName = (typeof phaseNames)[number];

export interface Theme {
  name: ThemeName;
  palette: PaletteName;
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
  /** Pod cells coloured by phase. */
  phase: Record<PhaseName, string>;
  /** The heat map's ramp, calm to hot, HEAT_STEPS colours: ordered in lightness (so in greyscale and for every
   * colour vision), and every step at the theme's mark contrast against the page and the box, so the calmest box
   * still stands out. On the light themes calm is the lighter end, on the dark one the dimmer: hot is always the
   * end farthest from the paper. Picked along an HCL path khaki -> orange -> red (yellow on dark). */
  heat: readonly string[];
  /** How much a cell that does not match the search keeps of its colour (deliberately faint). */
  dimAlpha: number;
}

/** The colours the colour-blind palette replaces. */
type StateColours = Pick<Theme, "ok" | "bad" | "warn" | "full" | "subnetLow" | "eniLimit" | "phase">;

// Every colour below is checked in theme.test.ts against what it is drawn on: text at least 4.5:1 (WCAG 1.4.3),
// marks (cells, borders, bars, badges) at least 3:1 (WCAG 1.4.11); the high-contrast theme at 7:1 and 4.5:1.
const light: Theme = {
  name: "light",
  palette: "standard",
  background: "#eef1f5",
  groupText: "#2b3440",
  boxFill: "#ffffff",
  boxStroke: "#818995",
  text: "#1b222c",
  textDim: "#5c6674",
  ok: "#1f7a45",
  bad: "#c62f31",
  warn: "#9a6200",
  primaryCell: "#3a4452",
  warmStroke: "#5c6b80",
  freeCell: "#72787d",
  placeholderCell: "#858d93",
  hostCell: "#7d8898",
  trunk: "#7b4fd0",
  branch: "#b04a90",
  hover: "#0a66d8",
  selected: "#0a66d8",
  flash: "#b57d00",
  full: "#6a3d9a",
  subnetLow: "#8c6d00",
  eniLimit: "#0072b2",
  badgeText: "#ffffff",
  cooling: "#0e7c9b",
  planNew: "#00875f",
  planMoved: "#0072b2",
  planReplaced: "#cc3311",
  phase: {
    Running: "#2e9d5b",
    Pending: "#be8900",
    Succeeded: "#8a93a0",
    Failed: "#b3261e",
    Unknown: "#8e5ccf",
  },
  heat: [
    "#98875d",
    "#9a7c49",
    "#9d6f37",
    "#a06128",
    "#a5511c",
    "#a34019",
    "#9a331b",
    "#90241d",
    "#86151e",
    "#7b001e",
  ],
  dimAlpha: 0.14,
};

const dark: Theme = {
  name: "dark",
  palette: "standard",
  background: "#0f1318",
  groupText: "#cfd6e0",
  boxFill: "#1a2029",
  boxStroke: "#5d656f",
  text: "#e6ebf2",
  textDim: "#8b97a8",
  ok: "#3fbf73",
  bad: "#ff5a5f",
  warn: "#ffb020",
  primaryCell: "#aab4c3",
  warmStroke: "#8f9bb0",
  freeCell: "#7c858d",
  placeholderCell: "#676e75",
  hostCell: "#7a8699",
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
  phase: {
    Running: "#3fbf73",
    Pending: "#e0a100",
    Succeeded: "#8a94a3",
    Failed: "#ff5a5f",
    Unknown: "#b085f5",
  },
  heat: [
    "#7d6d52",
    "#927148",
    "#aa7441",
    "#c4743c",
    "#e0703d",
    "#f3793d",
    "#fa9139",
    "#fea937",
    "#ffc139",
    "#fed940",
  ],
  dimAlpha: 0.18,
};

// High contrast: black on white, every mark at least 4.5:1 and every text 7:1, the box edges black.
const contrast: Theme = {
  ...light,
  name: "contrast",
  background: "#ffffff",
  groupText: "#000000",
  boxFill: "#ffffff",
  boxStroke: "#000000",
  text: "#000000",
  textDim: "#2e2e2e",
  ok: "#005a2b",
  bad: "#a10000",
  warn: "#6b4000",
  primaryCell: "#000000",
  warmStroke: "#303b44",
  freeCell: "#595959",
  placeholderCell: "#676e75",
  hostCell: "#4a4a4a",
  trunk: "#4b1d9e",
  branch: "#7d0f5c",
  hover: "#0033cc",
  selected: "#0033cc",
  flash: "#6b4000",
  full: "#4b1d9e",
  subnetLow: "#5c4500",
  eniLimit: "#00467a",
  cooling: "#005566",
  planNew: "#005a3c",
  planMoved: "#00467a",
  planReplaced: "#992200",
  phase: {
    Running: "#005a2b",
    Pending: "#6b4000",
    Succeeded: "#595959",
    Failed: "#a10000",
    Unknown: "#4b1d9e",
  },
  heat: [
    "#82703f",
    "#83632b",
    "#85551a",
    "#88450b",
    "#8b3004",
    "#851b0a",
    "#740d13",
    "#620317",
    "#4f0017",
    "#3c0015",
  ],
  dimAlpha: 0.14,
};

export const themes: Record<ThemeName, Theme> = { light, dark, contrast };

// Colour-blind safe: blue for good, a wine red for bad, ochre for warnings, and marks apart in lightness as well
// as hue, so that each pair stays apart under protanopia, deuteranopia and tritanopia (theme.test.ts).
const colourblindOnLight: StateColours = {
  ok: "#0072b2",
  bad: "#aa0055",
  warn: "#996600",
  full: "#1a1a1a",
  subnetLow: "#8a9a70",
  eniLimit: "#5a2ea6",
  phase: {
    Running: "#2f86c8",
    Pending: "#996600",
    Succeeded: "#8f8f8f",
    Failed: "#7a0040",
    Unknown: "#222222",
  },
};

const colourblindOnDark: StateColours = {
  ok: "#56b4e9",
  bad: "#ff6f91",
  warn: "#f0e442",
  full: "#eeffff",
  subnetLow: "#557700",
  eniLimit: "#8844dd",
  phase: {
    Running: "#56b4e9",
    Pending: "#f0e442",
    Succeeded: "#a0a8b2",
    Failed: "#b8405f",
    Unknown: "#eeffff",
  },
};

// The same idea at the high-contrast theme's 7:1 for text and 4.5:1 for marks.
const colourblindOnContrast: StateColours = {
  ok: "#00507f",
  bad: "#8a0045",
  warn: "#6b4a00",
  full: "#000000",
  subnetLow: "#dd2255",
  eniLimit: "#7755ff",
  phase: {
    Running: "#1f6fae",
    Pending: "#6b4a00",
    Succeeded: "#6e6e6e",
    Failed: "#5a0030",
    Unknown: "#000000",
  },
};

const colourblindOn: Record<ThemeName, StateColours> = {
  light: colourblindOnLight,
  dark: colourblindOnDark,
  contrast: colourblindOnContrast,
};

const resolved = new Map<string, Theme>();

/** The theme with the palette's state colours; the same object for the same pair (drawing caches key on it). */
export function themeFor(name: ThemeName, palette: PaletteName): Theme {
  const key = `${name}|${palette}`;
  let t = resolved.get(key);
  if (!t) {
    t = palette === "standard" ? themes[name] : { ...themes[name], ...colourblindOn[name], palette };
    resolved.set(key, t);
  }
  return t;
}

/** 26 categorical colours: namespaces and owners hash onto them, so more colours mean fewer shared ones. The
 * hues of Tableau 10, Set2 and Dark2, each brought to a lightness that keeps 3:1 against the box in both the
 * light and the dark theme (so one namespace has one colour in every theme); where that left two nearly alike
 * (under 6 ΔE00), the colour farthest from all the others in that lightness band took the place. */
export const podPalette: readonly string[] = [
  "#4e79a7",
  "#d67e27",
  "#e15759",
  "#659d99",
  "#59a14f",
  "#ab9135",
  "#af7aa1",
  "#cb7d85",
  "#9c755f",
  "#9a928e",
  "#55a189",
  "#d97954",
  "#8293bb",
  "#7a9f3e",
  "#a8906d",
  "#1b9e77",
  "#d95f02",
  "#7570b3",
  "#e7298a",
  "#bb8b02",
  "#a6761d",
  "#6b6b6b",
  "#c000f8",
  "#687040",
  "#007870",
  "#d80000",
];
