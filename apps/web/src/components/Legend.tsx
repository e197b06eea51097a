// What the cell shapes and colours mean, and the colours of the biggest namespaces/owners/phases in view.
import type { PodReport } from "@eni-view/model";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PodColorFn } from "../draw/podColors.ts";
import type { Theme } from "../draw/theme.ts";
import type { ColorMode } from "../layout/colorKey.ts";
import { clampName } from "../layout/format.ts";
import { topValues } from "../layout/legendValues.ts";

const SHOWN = 8;

function Swatch({
  fill,
  stroke,
  hole,
  dot,
  round,
}: {
  fill?: string;
  stroke?: string;
  hole?: string;
  /** A small square in the middle: room on an ENI, as the map draws it. */
  dot?: string;
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
      {dot && <rect x="3" y="3" width="5" height="5" fill={dot} />}
    </svg>
  );
}

/** topValues computed when the browser is idle, at most every 5 s while updates stream in: the legend may lag
 * an update, the drawing must not. */
export function useTopValues(
  pods: readonly PodReport[] | undefined,
  mode: ColorMode,
): [string, string, number][] {
  const [values, setValues] = useState<[string, string, number][]>([]);
  const last = useRef({ at: Number.NEGATIVE_INFINITY, mode });
  useEffect(() => {
    if (!pods) return;
    const sameMode = last.current.mode === mode;
    const wait = sameMode ? Math.max(0, last.current.at + 5000 - performance.now()) : 0;
    let idle = 0;
    const timer = setTimeout(() => {
      idle = requestIdleCallback(
        () => {
          last.current = { at: performance.now(), mode };
          setValues(topValues(pods, mode));
        },
        { timeout: 2000 },
      );
    }, wait);
    return () => {
      clearTimeout(timer);
      cancelIdleCallback(idle);
    };
  }, [pods, mode]);
  return values;
}

export function Legend({
  theme,
  mode,
  values,
  podColor,
  children,
}: {
  theme: Theme;
  mode: ColorMode;
  values: [string, string, number][];
  podColor: PodColorFn;
  /** More keys at the end (the problem marks). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="legend" data-testid="legend">
      <span>
        <Swatch fill={theme.primaryCell} hole={theme.boxFill} /> {t("legend.primary")}
      </span>
      <span>
        <Swatch stroke={theme.warmStroke} /> {t("legend.warm")}
      </span>
      <span title={t("legend.coolingTitle")}>
        <Swatch stroke={theme.warmStroke} fill={theme.cooling} /> {t("legend.cooling")}
      </span>
      <span>
        <Swatch dot={theme.freeCell} /> {t("legend.free")}
      </span>
      <span>
        <Swatch stroke={theme.placeholderCell} /> {t("legend.placeholder")}
      </span>
      <span>
        <Swatch fill={theme.hostCell} round /> {t("legend.host")}
      </span>
      <span className="legend-sep">{t("legend.mode", { mode: t(`toolbar.colourBy.${mode}`) })}</span>
      {values.slice(0, SHOWN).map(([v, key, n]) => (
        <span
          key={v}
          title={t("legend.valueTitle", { value: v, count: n })}
          data-testid="legend-value"
          data-i18n-data={v ? "" : undefined}
        >
          <Swatch fill={podColor(key)} /> {v ? clampName(v) : t("legend.none")}
        </span>
      ))}
      {values.length > SHOWN && (
        <span className="muted">{t("legend.more", { count: values.length - SHOWN })}</span>
      )}
      {children}
    </div>
  );
}
