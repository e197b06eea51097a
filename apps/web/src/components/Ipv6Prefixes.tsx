// The Subnets tab's IPv6 side: each /80 prefix the nodes' ENIs hold in the subnet, by /64, drawn as prefix
// capacity (its pods against the node's max pods: one /80 holds 2^48 addresses, so max pods is the
// limit). A /80 no node holds is not drawn at all, never as free (layout/ipv6Prefixes.ts).
import type { NodeReport } from "@eni-view/model";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { formatCount } from "../layout/format.ts";
import { ipv6PrefixUse } from "../layout/ipv6Prefixes.ts";

export function Ipv6Prefixes({ nodes, subnetId }: { nodes: readonly NodeReport[]; subnetId: string }) {
  const { t } = useTranslation();
  const blocks = useMemo(() => ipv6PrefixUse(nodes, subnetId), [nodes, subnetId]);
  if (blocks.length === 0) return null;
  return (
    <section className="subnet-ipv6" data-testid="subnet-ipv6" aria-label={t("subnets.ipv6.title")}>
      {blocks.map((b) => (
        <div key={`${b.block} ${b.prefixBits}`}>
          <h3>
            {t("subnets.ipv6.title")} <span data-i18n-data>{b.block}</span>
          </h3>
          <p data-testid="ipv6-delegated">
            {t("subnets.ipv6.delegated", {
              count: b.prefixes.length,
              held: b.prefixes.length,
              capacity: b.capacity,
              bits: b.prefixBits,
            })}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("subnets.ipv6.node")}</th>
                <th scope="col">{t("subnets.ipv6.eni")}</th>
                <th scope="col">{t("subnets.ipv6.prefix", { bits: b.prefixBits })}</th>
                <th scope="col">{t("subnets.ipv6.pods")}</th>
              </tr>
            </thead>
            <tbody>
              {b.prefixes.map((p) => (
                <tr key={`${p.eniId} ${p.prefix}`} data-testid="ipv6-prefix" data-prefix={p.prefix}>
                  <th scope="row" data-i18n-data>
                    {p.node}
                  </th>
                  <td data-i18n-data>{p.eniId}</td>
                  <td data-i18n-data>{p.prefix}</td>
                  <td data-testid="ipv6-prefix-pods">
                    <span className="ipv6-bar" aria-hidden="true">
                      <span
                        style={{
                          width: p.maxPods ? `${Math.min(100, (100 * p.pods) / p.maxPods)}%` : 0,
                        }}
                      />
                    </span>
                    {p.maxPods === null
                      ? t("subnets.ipv6.podsNoMax", { pods: formatCount(p.pods) })
                      : t("subnets.ipv6.podsOfMax", {
                          pods: formatCount(p.pods),
                          max: formatCount(p.maxPods),
                        })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="subnet-ipv6-note">{t("subnets.ipv6.notFree", { bits: b.prefixBits })}</p>
        </div>
      ))}
    </section>
  );
}
