// The selected node in full: capacity figures, every ENI, every IP and the pod holding it.
import { eniCount, type NodeReport } from "@eni-view/model";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { t } from "../i18n/i18n.ts";
import { clampName } from "../layout/format.ts";
import { offEniCaption } from "../layout/nodeLayout.ts";
import { eniWords, kindWords, nodeEniWords, nodeStatus, overcommitText } from "../layout/nodeText.ts";
import type { PodIndex } from "../layout/podIndex.ts";
import { isThin } from "../overview/overviewState.ts";
import { ReportSentence } from "./ReportWarnings.tsx";

function Figure({ label, value }: { label: string; value: string | number | null }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>{value ?? t("panel.unknown")}</dd>
    </div>
  );
}

function eniLine(e: NodeReport["enis"][number]): string {
  const text = t("panel.eniLine", {
    subnet: e.subnetId,
    primary: e.primaryIp ?? "?",
    used: e.ipsUsed,
    warm: e.ipsWarm,
    limit: e.slotLimit,
  });
  return e.prefixes.length > 0 ? t("panel.prefixes", { text, prefixes: e.prefixes.join(", ") }) : text;
}

export function NodePanel({
  node,
  pods,
  onClose,
  takeFocus = false,
}: {
  node: NodeReport;
  pods: PodIndex;
  onClose: () => void;
  /** Move the keyboard into the panel when it opens (opened from the node table), and back when it closes.
   * The page keys the panel by node, so another node is another opening. */
  takeFocus?: boolean;
}) {
  const { t } = useTranslation();
  const aside = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!takeFocus || !aside.current) return;
    const from = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    aside.current.focus();
    const panel = aside.current;
    return () => {
      // Back to the row the panel was opened from, unless the keyboard has gone elsewhere meanwhile.
      const at = document.activeElement;
      if (from?.isConnected && (at === null || at === document.body || panel.contains(at))) from.focus();
    };
  }, [takeFocus]);
  const c = node.capacity;
  const status = nodeStatus(node);
  // Reports kept from before these fields existed (frozen snapshots) have neither.
  const eniConfig = node.eniConfig ?? null;
  const features = node.cniFeatures ?? [];
  return (
    <aside
      ref={aside}
      tabIndex={-1}
      className="panel"
      data-testid="node-panel"
      aria-label={t("panel.label", { name: node.name })}
    >
      <header>
        <h2 title={node.name} data-i18n-data>
          {clampName(node.name)}
        </h2>
        <button type="button" className="close" onClick={onClose} aria-label={t("panel.close")}>
          ×
        </button>
      </header>
      <p className={`status status-${status.tone}`}>
        {status.label} · {node.instanceType ?? t("node.unknownType")}
        {kindWords(node) ? ` · ${kindWords(node)}` : ""} · {node.zone ?? t("node.noZone")}
        {node.nodeGroup ? <span data-i18n-data>{` · ${node.nodeGroup}`}</span> : ""}
        {node.capacityType ? ` · ${node.capacityType}` : ""}
      </p>
      {node.overcommitted && !node.warnings?.length && (
        <p className="warning">⚠ {t("panel.overcommitWarning", { text: overcommitText(node) })}</p>
      )}
      {(node.warnings ?? []).map((w) => (
        <p key={w} className="warning" data-testid="panel-warning">
          ⚠ <ReportSentence text={w} />
        </p>
      ))}
      {node.notes.map((n) => (
        <p key={n} className="note">
          <ReportSentence text={n} />
        </p>
      ))}
      <dl className="figures" data-testid="capacity">
        <Figure label={t("panel.pods")} value={`${node.pods} / ${node.maxPods ?? "?"}`} />
        <Figure label={t("panel.maxPodsByEni")} value={node.maxPodsByEni} />
        <Figure label={t("panel.mode")} value={t(`panel.modes.${c.mode}`)} />
        <Figure label={t("panel.enis")} value={nodeEniWords(node)} />
        {node.branchEnis !== null && node.branchEnis !== undefined && (
          <Figure label={t("panel.branchEnis")} value={node.branchEnis} />
        )}
        <Figure label={t("panel.ipv4PerEni")} value={c.ipv4PerEni} />
        <Figure label={t("panel.podIpsPerEni")} value={c.podIpsPerEni} />
        <Figure label={t("panel.ips")} value={`${node.ipsUsed} / ${node.ipsWarm} / ${node.ipsAssigned}`} />
        <Figure label={t("panel.waiting")} value={node.podsWaitingForIp} />
        <Figure label={t("panel.instance")} value={node.instanceId} />
        <Figure label={t("panel.internalIp")} value={node.internalIp} />
        {eniConfig && (
          <Figure
            label="ENIConfig"
            value={
              eniConfig.found
                ? t("panel.eniConfigFound", {
                    name: eniConfig.name,
                    subnet: eniConfig.subnetId ?? t("panel.noSubnet"),
                  })
                : t("panel.eniConfigMissing", { name: eniConfig.name })
            }
          />
        )}
        {features.length > 0 && <Figure label={t("panel.features")} value={features.join(", ")} />}
      </dl>
      {isThin(node) && (
        <p className="muted" data-testid="panel-loading" aria-live="polite">
          {t("overview.panelLoading", { enis: eniCount(node) })}
        </p>
      )}
      {node.enis.map((e) => (
        <section key={e.id} className="eni" data-testid="panel-eni">
          <h3>{eniWords(e)}</h3>
          <p className="muted">{eniLine(e)}</p>
          <table>
            <tbody>
              {e.slots.map((s) => {
                const pod = s.pod ? pods.get(s.pod) : undefined;
                return (
                  <tr key={s.ip} className={s.pod ? "" : "warm"}>
                    <td className="ip">{s.ip}</td>
                    <td title={s.pod ?? undefined} data-i18n-data={s.pod ? "" : undefined}>
                      {s.pod ? clampName(s.pod) : t("panel.warm")}
                    </td>
                    <td className="muted" data-i18n-data>
                      {pod?.status ?? ""}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ))}
      {node.eniSlotsFree > 0 && !isThin(node) && (
        <p className="muted">
          {t("panel.moreEnis", { count: node.eniSlotsFree, ips: c.podIpsPerEni ?? "?" })}
        </p>
      )}
      {!isThin(node) && offEniCaption(node) !== null && (
        <section className="eni" data-testid="panel-off-eni">
          <h3>{offEniCaption(node)}</h3>
          <p className="muted" data-i18n-data>
            {(node.podsOffEni ?? []).map((p) => clampName(p)).join(", ")}
          </p>
        </section>
      )}
      {node.hostNetworkPods.length > 0 && (
        <section className="eni">
          <h3>{t("panel.hostPods")}</h3>
          <p className="muted" data-i18n-data>
            {node.hostNetworkPods.map((h) => clampName(`${h.namespace}/${h.name}`)).join(", ")}
          </p>
        </section>
      )}
    </aside>
  );
}
