// The problems list: every node with a problem, grouped by kind, worst first or by name. A click moves the
// map onto the node and opens its panel.
import { memo, useState } from "react";
import { useTranslation } from "react-i18next";
import "./problems.css";
import { markColorOf } from "../draw/problemMarks.ts";
import type { Theme } from "../draw/theme.ts";
import { shortNodeName } from "../layout/format.ts";
import { type ProblemIndex, type ProblemKind, type ProblemSort, sortEntries } from "../layout/problems.ts";

const PAGE = 100;

/** The mark a kind wears on the map, as a small swatch: border, stripe, bar, badge or header band. */
export function ProblemSwatch({ kind, theme }: { kind: ProblemKind; theme: Theme }) {
  const c = markColorOf[kind];
  const fill = c ? theme[c] : kind === "not-ready" ? theme.bad : theme.warn;
  const shape = (() => {
    switch (kind) {
      case "full":
        return <rect x="1.5" y="1.5" width="11" height="11" fill="none" stroke={fill} strokeWidth="3" />;
      case "subnet-low":
        return <rect x="1" y="1" width="4" height="12" fill={fill} />;
      case "overcommitted":
        return <rect x="9" y="1" width="4" height="12" fill={fill} />;
      case "eni-limit":
        return <rect x="1" y="10" width="12" height="3" fill={fill} />;
      case "waiting-for-ip":
        return <rect x="5" y="1" width="8" height="6" fill={fill} />;
      default:
        return <rect x="1" y="1" width="12" height="4" fill={fill} />;
    }
  })();
  return (
    <svg width="14" height="14" aria-hidden="true" className="swatch">
      <rect x="0.5" y="0.5" width="13" height="13" fill={theme.boxFill} stroke={theme.boxStroke} />
      {shape}
    </svg>
  );
}

function KindGroup({
  kind,
  index,
  sort,
  theme,
  onPick,
}: {
  kind: ProblemKind;
  index: ProblemIndex;
  sort: ProblemSort;
  theme: Theme;
  onPick: (node: string) => void;
}) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(PAGE);
  const list = sortEntries(index.byKind.get(kind) ?? [], sort);
  return (
    <details open className="problem-kind" data-testid="problem-kind" data-kind={kind}>
      <summary>
        <ProblemSwatch kind={kind} theme={theme} /> {t(`problems.title.${kind}`)}{" "}
        <span className="problem-count" data-testid="problem-count">
          {list.length}
        </span>
      </summary>
      <ul>
        {list.slice(0, shown).map((e) => (
          <li key={e.node}>
            <button
              type="button"
              className="problem-entry"
              data-testid="problem-entry"
              data-node={e.node}
              title={e.node}
              onClick={() => onPick(e.node)}
            >
              <span className="problem-node" data-i18n-data>
                {shortNodeName(e.node)}
              </span>
              <span className="problem-detail">{t(`problems.detail.${e.kind}`, e.values)}</span>
            </button>
          </li>
        ))}
      </ul>
      {list.length > shown && (
        <button type="button" className="problem-more" onClick={() => setShown(shown + PAGE)}>
          {t("problems.more", { shown: Math.min(PAGE, list.length - shown), count: list.length - shown })}
        </button>
      )}
    </details>
  );
}

export const ProblemsPanel = memo(function ProblemsPanel({
  index,
  theme,
  onPick,
  onClose,
}: {
  index: ProblemIndex;
  theme: Theme;
  onPick: (node: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<ProblemSort>("worst");
  return (
    <aside className="problems" data-testid="problems-panel" aria-label={t("problems.panel")}>
      <div className="problems-head">
        <h2>
          {t("problems.panel")} <span data-testid="problem-nodes">{index.byNode.size}</span>{" "}
          <span className="muted">{t("problems.nodes")}</span>
        </h2>
        <label>
          {t("problems.sort")}
          <select
            value={sort}
            onChange={(e) => setSort(e.target.value as ProblemSort)}
            data-testid="problems-sort"
          >
            <option value="worst">{t("problems.worst")}</option>
            <option value="name">{t("problems.byName")}</option>
          </select>
        </label>
        <button type="button" onClick={onClose} aria-label={t("problems.close")}>
          ×
        </button>
      </div>
      {index.byKind.size === 0 ? (
        <p className="tray-empty">{t("problems.none")}</p>
      ) : (
        [...index.byKind.keys()].map((k) => (
          <KindGroup key={k} kind={k} index={index} sort={sort} theme={theme} onPick={onPick} />
        ))
      )}
    </aside>
  );
});
