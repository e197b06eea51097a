// What the cell shapes and colours mean, and the colours of the biggest namespaces/owners/phases in view.
import type { PodReport } from "@eni-view/model";
import type { PodColorFn } from "../draw/podColors.ts";
import type { Theme } from "../draw/theme.ts";
import { type ColorMode, colorValue } from "../layout/colorKey.ts";

const SHOWN = 8;

function Swatch({
  fill,
  stroke,
  hole,
  round,
}: {
  fill?: string;
  stroke?: string;
  hole?: string;
  round?: boolean;
}) {
  return (
    <svg width="11" height="11" aria-hidden="true" className="swatch">
      {round ? (
        <circle cx="5.5" cy="5.5" r="4.5" fill={fill} />
      ) : (
        <rect
          x="1"
          y="1"
          width="9"
          height="9"
          fill={fill ?? "none"}
          stroke={stroke}
          strokeWidth={stroke ? 1.2 : 0}
        />
      )}
      {hole && <rect x="4" y="4" width="3" height="3" fill={hole} />}
    </svg>
  );
}

/** The values cells are coloured by, biggest first. */
export function topValues(pods: readonly PodReport[], mode: ColorMode): [string, string, number][] {
  const counts = new Map<string, [string, number]>();
  for (const p of pods) {
    const key = `${p.namespace}/${p.name}`;
    const v = colorValue(key, p, mode);
    const c = counts.get(v);
    if (c) c[1]++;
    else counts.set(v, [key, 1]);
  }
  return [...counts]
    .map(([v, [key, n]]) => [v, key, n] as [string, string, number])
    .sort((a, b) => b[2] - a[2] || a[0].localeCompare(b[0]));
}

export function Legend({
  theme,
  mode,
  values,
  podColor,
}: {
  theme: Theme;
  mode: ColorMode;
  values: [string, string, number][];
  podColor: PodColorFn;
}) {
  return (
    <div className="legend" data-testid="legend">
      <span>
        <Swatch fill={theme.primaryCell} hole={theme.boxFill} /> primary IP
      </span>
      <span>
        <Swatch stroke={theme.warmStroke} /> warm
      </span>
      <span>
        <Swatch fill={theme.freeCell} /> room on ENI
      </span>
      <span>
        <Swatch stroke={theme.freeCell} /> ENI not attached
      </span>
      <span>
        <Swatch fill={theme.hostCell} round /> hostNetwork
      </span>
      <span className="legend-sep">{mode}:</span>
      {values.slice(0, SHOWN).map(([v, key, n]) => (
        <span key={v} title={`${n} pods`}>
          <Swatch fill={podColor(key)} /> {v || "(none)"}
        </span>
      ))}
      {values.length > SHOWN && <span className="muted">+{values.length - SHOWN} more</span>}
    </div>
  );
}
