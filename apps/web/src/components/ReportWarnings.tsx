// Every warning the report has, on the page: a banner with their count that opens into the list (each
// naming its nodes and pods in the model's own words), and the nodes a warning concerns, each a link that
// selects it. The same warnings are on those nodes' boxes and panels.
import type { Topology } from "@eni-view/model";
import { memo, useMemo } from "react";
import { Trans, useTranslation } from "react-i18next";
import { shortNodeName, visibleControls } from "../layout/format.ts";
import { keptFilter } from "../layout/keptFilter.ts";
import { reportText } from "../layout/reportWords.ts";

/** A sentence of the report: in the page's language when recognised, else the model's own (marked). */
export function ReportSentence({ text, testid }: { text: string; testid?: string }) {
  const r = reportText(text);
  return (
    <span data-testid={testid} data-i18n-report={r.known ? undefined : ""}>
      {visibleControls(r.text)}
    </span>
  );
}

const NODES_SHOWN = 50;

function ReportWarningsInner({ topology, onPick }: { topology: Topology; onPick: (node: string) => void }) {
  // Reports kept from before node warnings existed (frozen or recorded moments) have none.
  const { t } = useTranslation();
  // Kept from update to update: a live update looks again only at the nodes it changed.
  const warnedOf = useMemo(() => keptFilter((n) => (n.warnings?.length ?? 0) > 0), []);
  const warned = warnedOf(topology.nodes);
  const warnings = topology.warnings ?? [];
  const count = warnings.length;
  if (count === 0 && warned.length === 0) return null;
  return (
    <details className="banner banner-warn report-warnings" data-testid="report-warnings">
      <summary>
        <Trans
          i18nKey="warnings.summary"
          count={count}
          values={{ count }}
          components={{ b: <strong data-testid="report-warnings-count" /> }}
        />
        {warned.length > 0 ? t("warnings.nodes", { count: warned.length }) : ""}
      </summary>
      <ul data-testid="report-warnings-list">
        {warnings.map((w) => (
          <li key={w} data-testid="report-warning">
            <ReportSentence text={w} />
          </li>
        ))}
      </ul>
      {warned.length > 0 && (
        <ul className="report-warning-nodes">
          {warned.slice(0, NODES_SHOWN).map((n) => (
            <li key={n.name}>
              <button
                type="button"
                className="link"
                data-testid="report-warning-node"
                data-node={n.name}
                title={n.name}
                onClick={() => onPick(n.name)}
              >
                {visibleControls(shortNodeName(n.name))}
              </button>
              :{" "}
              {n.warnings.map((w, i) => (
                <span key={w}>
                  {i > 0 ? "; " : ""}
                  <ReportSentence text={w} />
                </span>
              ))}
            </li>
          ))}
          {warned.length > NODES_SHOWN && (
            <li>{t("warnings.more", { count: warned.length - NODES_SHOWN })}</li>
          )}
        </ul>
      )}
    </details>
  );
}

// A live update that leaves the warnings and nodes as they were redraws nothing here.
export const ReportWarnings = memo(ReportWarningsInner);
