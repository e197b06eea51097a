// The map as a table: one row group per node (its figures and problems), one row per ENI under it with the
// pods holding its IPs. It is the view for phones and screen readers, and the keyboard's way to a node: each
// node's name is a button that opens the node panel. Sorted by the problems list's order unless a column
// header asks otherwise. Past a few hundred nodes the rows are virtual (fixed heights, only those in view
// in the page), so every node of 100,000 is listed. On the overview (a cluster too big to send whole) a
// node's row is the server's figures, and its ENI rows load from the server while the row is in view.
import { eniCount, type NodeReport } from "@eni-view/model";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import "./nodeTable.css";
import { clampName } from "../layout/format.ts";
import {
  orderEniCounts,
  prepareSorts,
  type TableRow,
  type TableSort,
  tableOrder,
  tableRow,
  tableWindow,
} from "../layout/nodeTable.ts";
import { eniWords, nodeEniWords, nodeStatus } from "../layout/nodeText.ts";
import type { ProblemIndex } from "../layout/problems.ts";
import { isThin } from "../overview/overviewState.ts";
import { useRowDetail } from "../overview/useRowDetail.ts";

/** Past this many nodes the table is virtual. */
const VIRTUAL_AFTER = 200;
/** Row heights of the virtual table, in CSS pixels (nodeTable.css's .virtual rows keep to them). */
const NODE_ROW = 24;
const ENI_ROW = 20;

/** Under a thin node, one row as tall as its ENI rows will be. Every row in the page is asked for (those on
 * screen and a screen round them), so it is loading, or asked for once the scroll settles. */
function EniPlaceholder({ node, height, row }: { node: NodeReport; height?: number; row: number }) {
  const { t } = useTranslation();
  const count = eniCount(node);
  if (count === 0) return null;
  return (
    <tr
      className="table-eni table-eni-loading"
      data-testid="table-eni-loading"
      style={{ height }}
      aria-rowindex={row}
    >
      <td />
      <td colSpan={8}>{t("table.eniLoading", { count })}</td>
    </tr>
  );
}

function EniRow({ eni, row }: { eni: NodeReport["enis"][number]; row: number }) {
  const { t } = useTranslation();
  const pods = eni.slots.flatMap((s) => (s.pod ? [clampName(s.pod)] : []));
  return (
    <tr className="table-eni" data-testid="table-eni" data-eni={eni.id} aria-rowindex={row}>
      <td />
      <td colSpan={8}>
        <span className="table-eni-name">{eniWords(eni)}</span>
        {" · "}
        {t("table.eniIps", { subnet: eni.subnetId, used: eni.ipsUsed, warm: eni.ipsWarm })}
        {pods.length > 0 && (
          <>
            {": "}
            <span data-i18n-data>{pods.join(", ")}</span>
          </>
        )}
      </td>
    </tr>
  );
}

function SortHeader({
  sort,
  by,
  label,
  onSort,
}: {
  sort: TableSort;
  by: TableSort;
  label: string;
  onSort: (s: TableSort) => void;
}) {
  const { t } = useTranslation();
  return (
    <th scope="col" aria-sort={sort === by ? (by === "name" ? "ascending" : "descending") : undefined}>
      <button
        type="button"
        onClick={() => onSort(by)}
        data-testid={`table-sort-${by}`}
        title={t(`table.sortTitle.${by}`)}
      >
        {label}
        {sort === by ? " ▾" : ""}
      </button>
    </th>
  );
}

export const NodeTable = memo(function NodeTable({
  nodes,
  problems,
  selected,
  onPick,
  overview = false,
  sortBy,
}: {
  nodes: readonly NodeReport[];
  /** The overview's thin nodes, in the order of `nodes`: what the rows are sorted and sized by, so a node's
   * detail coming (a new `nodes`, the same numbers) costs no sort of 100,000 rows. */
  sortBy?: readonly NodeReport[];
  problems: ProblemIndex | null;
  selected: string | null;
  onPick: (node: string) => void;
  /** The page holds the overview: thin nodes, whose detail is asked for the rows in view. */
  overview?: boolean;
}) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<TableSort>("problems");
  const source = sortBy && sortBy.length === nodes.length ? sortBy : nodes;
  // The problems are those of the numbers sorted: they change with them, not with a node's detail.
  const problemsNow = useRef(problems);
  problemsNow.current = problems;
  const sortedProblems = source === nodes ? problems : source;
  // `sortedProblems` says when the problems count (the token the sort keys are kept by).
  const rows = useMemo(
    () => tableOrder(source, problemsNow.current, sort, sortedProblems),
    [source, sortedProblems, sort],
  );
  // The other sorts' orders, made while the page is idle: a click on their header then sorts nothing.
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 200));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    const id = idle(() => prepareSorts(source, problemsNow.current, sortedProblems));
    return () => cancel(id);
  }, [source, sortedProblems]);
  const header = { sort, onSort: setSort };
  const count = rows.order.length;
  const virtual = count > VIRTUAL_AFTER;
  const scroller = useRef<HTMLDivElement>(null);
  const top = useRef<HTMLTableSectionElement>(null);
  const [view, setView] = useState({ scroll: 0, height: 1000 });
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setView((v) => ({ ...v, height: el.clientHeight })));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // Each node's rows (its own and one per ENI), and their height in the virtual table.
  const { heights, enis, rowCount } = useMemo(() => {
    const enis = orderEniCounts(rows);
    const heights = new Array<number>(enis.length);
    let rowCount = 1;
    for (let k = 0; k < enis.length; k++) {
      heights[k] = NODE_ROW + ENI_ROW * enis[k]!;
      rowCount += 1 + enis[k]!;
    }
    return { heights, enis, rowCount };
  }, [rows]);
  // The rows' own scroll: the table's top (caption, header) is above the first row.
  const at = tableWindow(heights, view.scroll - (top.current?.offsetTop ?? 0), view.height, virtual);
  // A screen reader counts the rows of the whole table (the header is row 1), not the few in the page.
  const shown = useMemo(() => {
    let rowIndex = 2;
    for (let k = 0; k < at.first; k++) rowIndex += 1 + enis[k]!;
    const out: (TableRow & { row: number })[] = [];
    for (let k = at.first; k < at.last; k++) {
      const r = tableRow(rows, k);
      // A row's node as the page holds it now: whole once its detail is in.
      const now = nodes[r.at];
      out.push({ ...r, node: now && now.name === r.node.name ? now : r.node, row: rowIndex });
      rowIndex += 1 + enis[k]!;
    }
    return out;
  }, [rows, enis, nodes, at.first, at.last]);
  const inView = useMemo(() => {
    const names = shown.map((r) => r.node.name);
    if (selected) names.push(selected);
    return names;
  }, [shown, selected]);
  useRowDetail(overview, inView);
  return (
    <div
      className={virtual ? "node-table virtual" : "node-table"}
      data-testid="node-table"
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        setView({ scroll: el.scrollTop, height: el.clientHeight });
      }}
    >
      <table aria-rowcount={rowCount}>
        <caption>
          {t("table.caption", { count, sort: t(`table.sortBy.${sort}`) })}
          {overview && ` ${t("table.overview")}`}
        </caption>
        <thead>
          <tr aria-rowindex={1}>
            <SortHeader {...header} by="name" label={t("table.node")} />
            <SortHeader {...header} by="problems" label={t("table.problems")} />
            <th scope="col">{t("table.status")}</th>
            <th scope="col">{t("table.type")}</th>
            <th scope="col">{t("table.zone")}</th>
            <SortHeader {...header} by="utilisation" label={t("table.pods")} />
            <th scope="col">{t("table.enis")}</th>
            <th scope="col">{t("table.ips")}</th>
            <SortHeader {...header} by="pending" label={t("table.waiting")} />
          </tr>
        </thead>
        <tbody ref={top} aria-hidden="true">
          <tr style={{ height: at.before }} />
        </tbody>
        {shown.map(({ node: n, problems: kinds, row }) => (
          <tbody key={n.name} data-testid="table-node" data-node={n.name}>
            <tr className={selected === n.name ? "selected" : undefined} aria-rowindex={row}>
              <th scope="row">
                <button
                  type="button"
                  onClick={() => onPick(n.name)}
                  aria-pressed={selected === n.name}
                  title={n.name}
                  data-i18n-data
                >
                  {clampName(n.name)}
                </button>
              </th>
              <td data-testid="table-problems">
                {kinds.length > 0 ? kinds.map((k) => t(`problems.short.${k}`)).join(", ") : t("table.none")}
              </td>
              <td>{nodeStatus(n).label}</td>
              <td data-i18n-data>{n.instanceType ?? t("node.unknownType")}</td>
              <td data-i18n-data>{n.zone ?? t("node.noZone")}</td>
              <td data-testid="table-pods">
                {n.pods}/{n.maxPods ?? "?"}
              </td>
              <td data-testid="table-enis">{nodeEniWords(n)}</td>
              <td>{t("table.ipsValue", { used: n.ipsUsed, warm: n.ipsWarm })}</td>
              <td data-testid="table-waiting">{n.podsWaitingForIp}</td>
            </tr>
            {isThin(n) ? (
              <EniPlaceholder node={n} height={virtual ? ENI_ROW * eniCount(n) : undefined} row={row + 1} />
            ) : (
              n.enis.map((e, k) => <EniRow key={e.id} eni={e} row={row + 1 + k} />)
            )}
          </tbody>
        ))}
        <tbody aria-hidden="true">
          <tr style={{ height: at.after }} />
        </tbody>
      </table>
    </div>
  );
});
