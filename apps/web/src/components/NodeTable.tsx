// The map as a table: one row group per node (its figures and problems), one row per ENI under it with the
// pods holding its IPs. It is the view for phones and screen readers, and the keyboard's way to a node: each
// node's name is a button that opens the node panel. Sorted by the problems list's order unless a column
// header asks otherwise; pages of 100 nodes, so a 5,000-node cluster does not render 20,000 rows at once.
import type { NodeReport } from "@eni-view/model";
import { memo, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import "./nodeTable.css";
import { clampName } from "../layout/format.ts";
import { type TableSort, tableRows } from "../layout/nodeTable.ts";
import { eniWords, nodeStatus } from "../layout/nodeText.ts";
import type { ProblemIndex } from "../layout/problems.ts";

const PAGE = 100;

function EniRow({ eni }: { eni: NodeReport["enis"][number] }) {
  const { t } = useTranslation();
  const pods = eni.slots.flatMap((s) => (s.pod ? [clampName(s.pod)] : []));
  return (
    <tr className="table-eni" data-testid="table-eni" data-eni={eni.id}>
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
}: {
  nodes: readonly NodeReport[];
  problems: ProblemIndex | null;
  selected: string | null;
  onPick: (node: string) => void;
}) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<TableSort>("problems");
  const [shown, setShown] = useState(PAGE);
  const rows = useMemo(() => tableRows(nodes, problems, sort), [nodes, problems, sort]);
  const header = { sort, onSort: setSort };
  return (
    <div className="node-table" data-testid="node-table">
      <table>
        <caption>{t("table.caption", { count: rows.length, sort: t(`table.sortBy.${sort}`) })}</caption>
        <thead>
          <tr>
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
        {rows.slice(0, shown).map(({ node: n, problems: kinds }) => (
          <tbody key={n.name} data-testid="table-node" data-node={n.name}>
            <tr className={selected === n.name ? "selected" : undefined}>
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
              <td data-testid="table-enis">
                {n.enis.length}/{n.capacity.maxEnis ?? "?"}
              </td>
              <td>{t("table.ipsValue", { used: n.ipsUsed, warm: n.ipsWarm })}</td>
              <td data-testid="table-waiting">{n.podsWaitingForIp}</td>
            </tr>
            {n.enis.map((e) => (
              <EniRow key={e.id} eni={e} />
            ))}
          </tbody>
        ))}
      </table>
      {rows.length > shown && (
        <button type="button" className="table-more" onClick={() => setShown(shown + PAGE)}>
          {t("table.more", { shown: Math.min(PAGE, rows.length - shown), count: rows.length - shown })}
        </button>
      )}
    </div>
  );
});
