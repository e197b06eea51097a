// Pods waiting for a node or an IP, grouped by owner, reason and message ("28 × Deployment/web: too many
// pods"), the message in words under each group; "nodes" moves the map to the nodes the group waits on.
// Long lists scroll virtually: only the rows in view are in the page, so 1,164 Pending pods cost a screenful.
import { groupPendingPods, type PendingGroup, type PendingPodReport } from "@eni-view/model";
import { type CSSProperties, memo, useMemo, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { reasonText } from "../layout/pendingSummary.ts";
import { pendingMessage } from "../layout/pendingText.ts";
import type { SearchResult } from "../layout/search.ts";

/** Past this many rows the list is virtual. */
const VIRTUAL_AFTER = 150;
const GROUP_ROW = 76;
const POD_ROW = 26;

/** The message: the cluster's own verbatim (marked as data), eni-view's in the page's language. */
function Message({ p, testid }: { p: Pick<PendingPodReport, "reason" | "message">; testid: string }) {
  const m = pendingMessage(p);
  return m.verbatim ? (
    <span data-testid={testid} data-i18n-data>
      {m.text}
    </span>
  ) : (
    <span data-testid={testid}>{m.text}</span>
  );
}

type Row = { group: PendingGroup; key: string; pod: PendingPodReport | null };

function GroupHeader({ g, onShowNodes }: { g: PendingGroup; onShowNodes: (g: PendingGroup) => void }) {
  const { t } = useTranslation();
  const explain = t(`pending.explain.${g.reason}`);
  return (
    <div className="pending-group" data-testid="pending-group" data-reason={g.reason}>
      <div className="pending-group-title">
        <span data-testid="pending-group-title">
          <Trans
            i18nKey={g.owner ? "pending.groupTitle" : "pending.groupTitleNoOwner"}
            values={{ count: g.count, owner: g.owner, namespace: g.namespace, reason: reasonText(g.reason) }}
            components={{ d: <span data-i18n-data /> }}
          />
        </span>
        <button
          type="button"
          className="pending-nodes"
          onClick={() => onShowNodes(g)}
          title={
            g.nodes.length > 0 ? t("pending.show", { nodes: g.nodes.join(", ") }) : t("pending.showRefused")
          }
          data-testid="pending-show-nodes"
        >
          {g.nodes.length > 0 ? t("pending.nodes", { count: g.nodes.length }) : t("pending.nodesButton")}
        </button>
      </div>
      <div className="pending-group-message">
        <Message p={g} testid="pending-group-message" />
      </div>
      {explain && (
        <div className="pending-group-explain" data-testid="pending-group-explain" title={explain}>
          {explain}
        </div>
      )}
    </div>
  );
}

function PodRow({
  p,
  pulsing,
  search,
  style,
}: {
  p: PendingPodReport;
  pulsing: Set<string>;
  search: SearchResult | null;
  style?: CSSProperties;
}) {
  const key = `${p.namespace}/${p.name}`;
  const message = pendingMessage(p);
  const dim = search !== null && !search.pending.has(key);
  return (
    <li
      className={`pending-item${pulsing.has(key) ? " pulse" : ""}${dim ? " dim" : ""}`}
      data-testid="pending-item"
      data-reason={p.reason}
      style={style}
    >
      <button
        type="button"
        className="pending-focus"
        aria-label={`${key}: ${message.text}`}
        data-i18n-data={message.verbatim ? "" : undefined}
      />
      <span className="pending-name" data-i18n-data>
        {key}
      </span>
      {p.node && (
        <span className="pending-node">
          <Trans i18nKey="pending.on" values={{ node: p.node }} components={{ d: <span data-i18n-data /> }} />
        </span>
      )}
      <span className="pending-message">
        {p.status !== "Pending" ? <span data-i18n-data>{`${p.status}: `}</span> : ""}
        <Message p={p} testid="pending-message" />
      </span>
    </li>
  );
}

// Memoised: a live update that leaves the pending list alone (the usual case) does not rebuild its 200 rows.
export const PendingTray = memo(function PendingTray({
  pending,
  pulsing,
  search,
  onShowNodes,
}: {
  pending: PendingPodReport[];
  pulsing: Set<string>;
  search: SearchResult | null;
  /** Moves the map to the group's nodes (or, unbound, the ones it was refused on). */
  onShowNodes: (g: PendingGroup) => void;
}) {
  const { t } = useTranslation();
  const byReason = new Map<string, number>();
  for (const p of pending) byReason.set(p.reason, (byReason.get(p.reason) ?? 0) + 1);
  const rows = useMemo(() => {
    const byKey = new Map(pending.map((p) => [`${p.namespace}/${p.name}`, p]));
    const out: Row[] = [];
    for (const g of groupPendingPods(pending)) {
      const key = JSON.stringify([g.namespace, g.owner, g.reason, g.message]);
      out.push({ group: g, key, pod: null });
      for (const name of g.pods) {
        const p = byKey.get(`${g.namespace}/${name}`);
        if (p) out.push({ group: g, key, pod: p });
      }
    }
    return out;
  }, [pending]);
  const [scroll, setScroll] = useState(0);
  const virtual = rows.length > VIRTUAL_AFTER;
  // Row tops for the virtual list (headers and pods have fixed heights there).
  const tops = useMemo(() => {
    const t = new Float64Array(rows.length + 1);
    for (let i = 0; i < rows.length; i++) t[i + 1] = t[i]! + (rows[i]!.pod ? POD_ROW : GROUP_ROW);
    return t;
  }, [rows]);
  let first = 0;
  let last = rows.length;
  if (virtual) {
    const view = 1200;
    while (first < rows.length && tops[first + 1]! < scroll) first++;
    last = first;
    while (last < rows.length && tops[last]! < scroll + view) last++;
  }
  const render = (r: Row, style?: CSSProperties) =>
    r.pod ? (
      <PodRow
        key={`${r.pod.namespace}/${r.pod.name}`}
        p={r.pod}
        pulsing={pulsing}
        search={search}
        style={style}
      />
    ) : (
      <li key={r.key} className="pending-group-row" style={style}>
        <GroupHeader g={r.group} onShowNodes={onShowNodes} />
      </li>
    );
  return (
    <aside className="tray" data-testid="pending-tray" aria-label={t("pending.tray")}>
      <h2>
        {t("pending.title")} <span data-testid="pending-count">{pending.length}</span>
      </h2>
      {pending.length === 0 ? (
        <p className="tray-empty">{t("pending.none")}</p>
      ) : (
        <>
          <p className="tray-reasons">
            {[...byReason].map(([r, n]) => (
              <span key={r} className={`chip chip-${r}`}>
                {reasonText(r as PendingPodReport["reason"])} {n}
              </span>
            ))}
          </p>
          {virtual ? (
            <div
              className="pending-virtual"
              data-testid="pending-virtual"
              onScroll={(e) => setScroll((e.target as HTMLDivElement).scrollTop)}
            >
              <ul style={{ height: tops[rows.length], position: "relative" }}>
                {rows.slice(first, last).map((r, k) =>
                  render(r, {
                    position: "absolute",
                    top: tops[first + k],
                    left: 0,
                    right: 0,
                    height: r.pod ? POD_ROW : GROUP_ROW,
                    overflow: "hidden",
                  }),
                )}
              </ul>
            </div>
          ) : (
            <ul>{rows.map((r) => render(r))}</ul>
          )}
        </>
      )}
    </aside>
  );
});
