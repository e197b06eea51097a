// Controls: search, grouping, colouring, theme, fit, link, export, kiosk.
import { type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { StreamStatus } from "../api/stream.ts";
import { paletteNames } from "../draw/theme.ts";
import { groupings } from "../layout/clusterLayout.ts";
import { colorModes } from "../layout/colorKey.ts";
import { themeChoices, type ViewState } from "../state/viewState.ts";
import { type ExportScope, exportScopes } from "./exportPicture.ts";
import { LabelledSelect, labelsFor } from "./LabelledSelect.tsx";
import { LanguageSelect } from "./LanguageSelect.tsx";
import { LiveBadge } from "./LiveBadge.tsx";

interface Props {
  state: ViewState;
  update: (patch: Partial<ViewState>) => void;
  clusterName: string;
  stream: StreamStatus;
  matchCount: number | null;
  onFit: () => void;
  onCopyLink: () => Promise<void>;
  onExport: (kind: "png" | "svg", ratio: number, scope: ExportScope) => Promise<string>;
  /** A frozen snapshot is on screen: the badge says so instead of the stream state. */
  frozen?: boolean;
  /** A capture folder is served: the badge says so, with the time it was taken, never "live". */
  capture?: { takenAt: string | null } | null;
  /** The Freeze control (absent on a frozen page). */
  freeze?: ReactNode;
  /** Next/previous through the search's matches, beside the count. */
  searchNav?: ReactNode;
  /** What the search could not read, said under the box (never zero silent matches). */
  searchError?: string | null;
  /** Enter (Shift+Enter: back) in the search box, with the query typed so far. */
  onSearchEnter?: (q: string, back: boolean) => void;
  /** Heat map, sort, problems only, problems list. */
  controls?: ReactNode;
}

export function Toolbar({
  state,
  update,
  clusterName,
  stream,
  matchCount,
  onFit,
  onCopyLink,
  onExport,
  frozen = false,
  capture = null,
  freeze,
  searchNav,
  searchError = null,
  onSearchEnter,
  controls,
}: Props) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState(state.q);
  const [ratio, setRatio] = useState(2);
  const [scope, setScope] = useState<ExportScope>("cluster");
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => setDraft(state.q), [state.q]);
  // Typing is applied after a short pause: searching 150,000 pods on every key would stutter.
  useEffect(() => {
    if (draft === state.q) return;
    const timer = setTimeout(() => update({ q: draft }), 150);
    return () => clearTimeout(timer);
  }, [draft, state.q, update]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing =
        target &&
        (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
      if (e.key === "/" && !typing) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const say = (text: string) => {
    setNote(text);
    setTimeout(() => setNote(null), 2500);
  };
  const run = (what: () => Promise<string | undefined>, done: string) => () => {
    what().then(
      (message) => say(message ?? done),
      (e: Error) => say(e.message),
    );
  };

  return (
    <header className="toolbar" data-testid="toolbar">
      <div className="brand">
        <strong>eni-view</strong>
        <span className="cluster-name" title={t("toolbar.cluster")} data-i18n-data>
          {clusterName}
        </span>
        <LiveBadge stream={stream} frozen={frozen} capture={capture} />
      </div>
      <div className="search">
        <input
          ref={input}
          type="search"
          placeholder={t("toolbar.searchPlaceholder")}
          aria-label={t("toolbar.searchLabel")}
          data-testid="search"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && onSearchEnter) {
              e.preventDefault();
              onSearchEnter(draft, e.shiftKey);
              if (draft !== state.q) update({ q: draft });
            }
            if (e.key === "Escape") {
              setDraft("");
              update({ q: "" });
              (e.target as HTMLInputElement).blur();
            }
          }}
        />
        {matchCount !== null && (
          <span className="match-count" data-testid="match-count">
            {t("toolbar.matches", { count: matchCount })}
          </span>
        )}
        {matchCount !== null && searchNav}
        {searchError && (
          <span className="search-error" role="alert" data-testid="search-error">
            {searchError}
          </span>
        )}
      </div>
      <LabelledSelect
        label={t("toolbar.group")}
        value={state.group}
        values={groupings}
        labels={labelsFor(groupings, (g) => t(`toolbar.groupBy.${g}`))}
        onChange={(group) => update({ group })}
        testId="group"
      />
      <LabelledSelect
        label={t("toolbar.colour")}
        value={state.color}
        values={colorModes}
        labels={labelsFor(colorModes, (c) => t(`toolbar.colourBy.${c}`))}
        onChange={(color) => update({ color })}
        testId="color"
      />
      {controls}
      <LabelledSelect
        label={t("toolbar.theme")}
        value={state.theme}
        values={themeChoices}
        labels={labelsFor(themeChoices, (c) => t(`toolbar.themes.${c}`))}
        onChange={(theme) => update({ theme })}
        testId="theme"
      />
      <LabelledSelect
        label={t("toolbar.palette")}
        value={state.palette}
        values={paletteNames}
        labels={labelsFor(paletteNames, (p) => t(`toolbar.palettes.${p}`))}
        titles={labelsFor(paletteNames, (p) => t(`toolbar.paletteTitles.${p}`))}
        onChange={(palette) => update({ palette })}
        testId="palette"
      />
      <LanguageSelect value={state.lang} onChange={(lang) => update({ lang })} />
      <button type="button" onClick={onFit} title={t("toolbar.fitTitle")}>
        {t("toolbar.fit")}
      </button>
      <button
        type="button"
        onClick={run(async () => {
          await onCopyLink();
          return undefined;
        }, t("toolbar.linkCopied"))}
        data-testid="copy-link"
      >
        {t("toolbar.copyLink")}
      </button>
      {freeze}
      <span className="export">
        <select
          value={scope}
          onChange={(e) => setScope(e.target.value as ExportScope)}
          aria-label={t("screens.export.scopeLabel")}
          data-testid="export-scope"
        >
          {exportScopes.map((s) => (
            <option key={s} value={s}>
              {t(`screens.export.scope.${s}`)}
            </option>
          ))}
        </select>
        <select
          value={ratio}
          onChange={(e) => setRatio(Number(e.target.value))}
          aria-label={t("toolbar.exportRatio")}
          data-testid="export-ratio"
        >
          {[1, 2, 3, 4].map((r) => (
            <option key={r} value={r}>
              {r}×
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={run(() => onExport("png", ratio, scope), t("toolbar.pngSaved"))}
          data-testid="export-png"
        >
          PNG
        </button>
        <button
          type="button"
          onClick={run(() => onExport("svg", ratio, scope), t("toolbar.svgSaved"))}
          data-testid="export-svg"
        >
          SVG
        </button>
      </span>
      <button
        type="button"
        onClick={() => update({ kiosk: true })}
        title={t("toolbar.kioskTitle")}
        data-testid="kiosk"
      >
        {t("toolbar.kiosk")}
      </button>
      {note && (
        <span className="toolbar-note" role="status" data-testid="toolbar-note">
          {note}
        </span>
      )}
    </header>
  );
}
