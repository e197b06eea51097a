// Next / previous through the nodes a search touched: each step moves the map onto that node's box.
import { useTranslation } from "react-i18next";

export function SearchNav({
  nodes,
  at,
  onGo,
  summary,
}: {
  /** What matched, by kind: "2 pods · 1 node · 3 warm IPs". */
  summary: string;
  /** Matched nodes in the order their boxes are laid out. */
  nodes: readonly string[];
  /** The one last moved to, or -1 when the view shows them all. */
  at: number;
  onGo: (index: number) => void;
}) {
  const { t } = useTranslation();
  const n = nodes.length;
  if (n === 0)
    return summary ? (
      <span className="match-nodes" data-testid="match-summary">
        {summary}
      </span>
    ) : null;
  const step = (d: number) => onGo(at < 0 ? (d > 0 ? 0 : n - 1) : (at + d + n) % n);
  return (
    <span className="search-nav" data-testid="search-nav">
      {summary && (
        <span className="match-nodes" data-testid="match-summary">
          {summary} ·
        </span>
      )}
      <span className="match-nodes" data-testid="match-nodes">
        {at >= 0 ? t("search.nodeOf", { at: at + 1, count: n }) : t("search.onNodes", { count: n })}
      </span>
      <button
        type="button"
        onClick={() => step(-1)}
        aria-label={t("search.previous")}
        title={t("search.previous")}
        data-testid="match-prev"
      >
        ‹
      </button>
      <button
        type="button"
        onClick={() => step(1)}
        aria-label={t("search.next")}
        title={t("search.next")}
        data-testid="match-next"
      >
        ›
      </button>
    </span>
  );
}
