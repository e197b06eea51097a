// The colour of a pod cell under the chosen colouring. Namespaces and owners get palette colours in the order
// they are first drawn (the same order for the same cluster on any machine) and keep them for the session,
// so a pod keeps its colour across updates and no two of the first 18 values share one; past the palette,
// a hash of the value picks a colour.
import type { ColorMode } from "../layout/colorKey.ts";
import { colorValue, stableHash } from "../layout/colorKey.ts";
import type { PodIndex } from "../layout/podIndex.ts";
import { phaseColors, podPalette } from "./theme.ts";

export type PodColorFn = (podKey: string) => string;

export class ColorRegistry {
  readonly #assigned = new Map<string, string>();
  readonly #palette: readonly string[];

  constructor(palette: readonly string[] = podPalette) {
    this.#palette = palette;
  }

  colorOf(value: string): string {
    let c = this.#assigned.get(value);
    if (c === undefined) {
      const n = this.#assigned.size;
      c =
        n < this.#palette.length
          ? this.#palette[n]!
          : this.#palette[stableHash(value) % this.#palette.length]!;
      this.#assigned.set(value, c);
    }
    return c;
  }
}

const registries: Record<Exclude<ColorMode, "phase">, ColorRegistry> = {
  namespace: new ColorRegistry(),
  owner: new ColorRegistry(),
};

export function podColorFn(mode: ColorMode, pods: PodIndex): PodColorFn {
  if (mode === "phase") return (key) => phaseColors[colorValue(key, pods.get(key), mode)] ?? podPalette[0]!;
  const registry = registries[mode];
  // Namespace colouring reads the key alone: no pod lookup, so no index is built for it.
  return mode === "namespace"
    ? (key) => registry.colorOf(colorValue(key, undefined, mode))
    : (key) => registry.colorOf(colorValue(key, pods.get(key), mode));
}
