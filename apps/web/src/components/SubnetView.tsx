// The subnet view: every subnet the cluster uses as a grid of its addresses coloured by holder, with the
// zones' and subnets' figures, the forecast, and the holders no node owns. Hover names an address's holder;
// a click selects it (and its node, whose panel opens as on the node map); a search lights its addresses.
import {
  ADDRESS_KINDS,
  type AddressHolder,
  type AddressKind,
  addressAt,
  addressOf,
  foreignEniLabel,
  parseIpv4Cidr,
  type SubnetAddressMap,
  type SubnetReport,
  type SubnetSpace,
  type Topology,
} from "@eni-view/model";
import { type MouseEvent, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { podColorFn } from "../draw/podColors.ts";
import { cellColors, drawSubnetGrid, kindColors } from "../draw/subnetCanvas.ts";
import { podPalette, type Theme } from "../draw/theme.ts";
import { describeForecast, formatDuration, formatTime } from "../i18n/format.ts";
import { t } from "../i18n/i18n.ts";
import { errorText } from "../i18n/serverText.ts";
import type { ColorMode } from "../layout/colorKey.ts";
import { formatCount, shortZone } from "../layout/format.ts";
import { cellMatches, type SearchResult } from "../layout/search.ts";
import {
  cellAt,
  cellOrigin,
  gridGeometry,
  kindCounts,
  mappedSubnets,
  topologySubnetMap,
} from "../layout/subnetGrid.ts";
import { perfStats } from "../perfStats.ts";
import { Ipv6Prefixes } from "./Ipv6Prefixes.tsx";
import "./subnets.css";
import { useSubnetAddresses, useSubnetMatches } from "./useSubnetAddresses.ts";

const kindLabel = (k: AddressKind) => t(`subnets.kind.${k}`);

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

/** The legend's counts from the subnet's own counts (the server's, so whole on the overview too). */
function spaceCounts(x: SubnetSpace): Record<AddressKind, number> {
  return {
    free: x.free,
    "aws-reserved": x.awsReserved,
    node: x.nodeIps,
    pod: x.podIps,
    warm: x.warmIps,
    prefix: x.prefixIps,
    other: x.otherIps,
    "reserved-prefix": x.reservedPrefixIps,
    "reserved-explicit": x.reservedExplicitIps,
  };
}

function Figure({ label, value, testid }: { label: string; value: string | number; testid?: string }) {
  return (
    <div className="figure" data-testid={testid}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function ZoneSummaries({ topology }: { topology: Topology }) {
  const { t } = useTranslation();
  const zones = topology.zones.filter((z) => z.space);
  if (zones.length === 0) return null;
  return (
    <table className="subnet-zones" data-testid="subnet-zones">
      <thead>
        <tr>
          <th>{t("subnets.zones.zone")}</th>
          <th>{t("subnets.zones.free")}</th>
          <th>{t("subnets.zones.free28")}</th>
          <th>{t("subnets.zones.largest")}</th>
          <th>{t("subnets.zones.others")}</th>
          <th>{t("subnets.zones.pods")}</th>
        </tr>
      </thead>
      <tbody>
        {zones.map((z) => (
          <tr key={z.zone}>
            <td>{shortZone(z.zone)}</td>
            <td>{formatCount(z.space!.free)}</td>
            <td>{formatCount(z.space!.freeBlocks28)}</td>
            <td>{formatCount(z.space!.largestFreeRun)}</td>
            <td>{formatCount(z.space!.otherIps)}</td>
            <td>{pct(z.space!.podShare)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Label, value, and whether the value is cluster data (a name, an id, EC2's description). */
function holderLines(ip: string, kind: AddressKind, h: AddressHolder | null): [string, string, boolean][] {
  const lines: [string, string, boolean][] = [
    [t("subnets.line.address"), ip, true],
    [t("subnets.line.holder"), kindLabel(kind), false],
  ];
  if (h?.pod) lines.push([t("subnets.line.pod"), h.pod, true]);
  if (h?.node) lines.push([t("subnets.line.node"), h.node, true]);
  if (h?.eniId) lines.push([t("subnets.line.ENI"), h.eniId, true]);
  if (h?.prefix) lines.push([t("subnets.line.prefix"), h.prefix, true]);
  if (h && (kind === "other" || kind.startsWith("reserved")))
    lines.push([t("subnets.line.what"), h.label, true]);
  return lines;
}

function HolderLines({ lines }: { lines: [string, string, boolean][] }) {
  return lines.map(([k, v, data]) => (
    <div key={k}>
      <dt>{k}</dt>
      <dd data-i18n-data={data ? "" : undefined}>{v}</dd>
    </div>
  ));
}

export function SubnetView({
  topology,
  theme,
  podColor,
  found,
  subnetId,
  onPickSubnet,
  onPickNode,
  overview = false,
  colorMode = "namespace",
}: {
  /** How pod cells are coloured: on the overview the map's own pods say their phase and owner. */
  colorMode?: ColorMode;
  topology: Topology;
  /** The page holds the overview (no node's ENIs but those in view): the map comes from the server. */
  overview?: boolean;
  theme: Theme;
  podColor: (podKey: string) => string;
  found: SearchResult | null;
  subnetId: string | null;
  onPickSubnet: (id: string) => void;
  onPickNode: (node: string) => void;
}) {
  const subnets = useMemo(() => mappedSubnets(topology.subnets), [topology.subnets]);
  const subnet: SubnetReport | null = subnets.find((s) => s.id === subnetId) ?? subnets[0] ?? null;
  const nodes = topology.nodes;
  const own = useMemo(
    () => (subnet && !overview ? topologySubnetMap({ nodes }, subnet) : null),
    [nodes, subnet, overview],
  );
  const remote = useSubnetAddresses(subnet, overview);
  const map: SubnetAddressMap | null = overview ? (remote.held?.map ?? null) : own;
  const counts = useMemo(
    () => (overview ? (subnet?.space ? spaceCounts(subnet.space) : null) : map ? kindCounts(map) : null),
    [overview, subnet, map],
  );
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  // The selected address, kept with its subnet so another subnet starts with none.
  const [picked, setPicked] = useState<{ subnet: string; index: number } | null>(null);
  const selected = picked !== null && picked.subnet === subnet?.id ? picked.index : null;
  const [drawMs, setDrawMs] = useState<number | null>(null);

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, el.clientWidth - 4)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const geometry = useMemo(() => (map ? gridGeometry(map.size, width) : null), [map, width]);
  const matches = useSubnetMatches(subnet, map?.size ?? null, found?.query ?? null, overview);
  const lit = useMemo(() => {
    if (!found || !map) return null;
    // On the overview the server says which addresses match; none are dimmed until it has.
    if (overview) {
      const flags = matches.flags;
      return flags && flags.length === map.size ? (i: number) => flags[i] === 1 : null;
    }
    return (i: number) => {
      const h = map.holders[map.holderOf[i]!];
      return cellMatches(found, h?.node ?? "", h?.pod ?? null, addressOf(map, i));
    };
  }, [found, map, overview, matches.flags]);
  const heldPods = remote.held?.pods;
  const cellColor = useMemo(
    () => (overview && heldPods ? podColorFn(colorMode, heldPods, theme) : podColor),
    [overview, heldPods, colorMode, theme, podColor],
  );
  const colors = useMemo(
    () => (map ? cellColors(map, { theme, podColor: cellColor, lit }) : null),
    [map, theme, cellColor, lit],
  );

  useEffect(() => {
    const c = canvas.current;
    if (!c || !map || !geometry || !colors) return;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.ceil(geometry.width * dpr);
    c.height = Math.ceil(geometry.height * dpr);
    c.style.width = `${geometry.width}px`;
    c.style.height = `${geometry.height}px`;
    const ctx = c.getContext("2d");
    if (!ctx) return;
    drawSubnetGrid(ctx, map, geometry, colors, dpr, { hover: hover?.index ?? null, selected, theme });
    const ms = performance.now() - t0;
    setDrawMs(ms);
    perfStats.subnetDrawMs = ms;
    perfStats.subnetDrawnAt = performance.now();
    perfStats.subnetAddresses = map.size;
    perfStats.locateAddress = (ip) => {
      const hit = addressAt(map, ip);
      if (!hit) return null;
      const o = cellOrigin(geometry, hit.index);
      const r = c.getBoundingClientRect();
      return { x: r.left + o.x + geometry.cell / 2, y: r.top + o.y + geometry.cell / 2 };
    };
  }, [map, geometry, colors, hover, selected, theme]);
  useEffect(
    () => () => {
      perfStats.locateAddress = null;
    },
    [],
  );

  if (subnets.length === 0) {
    return (
      <div className="empty" data-testid="subnet-view">
        {t("subnets.none")}
        <UnmappedSubnets subnets={topology.subnets} />
      </div>
    );
  }
  const s = subnet!;
  const space = s.space!;
  const pickAt = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!geometry) return null;
    const r = e.currentTarget.getBoundingClientRect();
    return cellAt(geometry, e.clientX - r.left, e.clientY - r.top);
  };
  const hovered = hover && map ? hover.index : null;
  const describe = (i: number) =>
    holderLines(addressOf(map!, i), ADDRESS_KINDS[map!.kinds[i]!]!, map!.holders[map!.holderOf[i]!] ?? null);
  const matched = lit && map ? countLit(map.size, lit) : null;
  return (
    <div className="subnet-view" data-testid="subnet-view">
      <aside className="subnet-list" aria-label={t("subnets.list")}>
        <ZoneSummaries topology={topology} />
        <ul>
          {subnets.map((x) => (
            <li key={x.id}>
              <button
                type="button"
                className={x.id === s.id ? "picked" : ""}
                aria-pressed={x.id === s.id}
                onClick={() => onPickSubnet(x.id)}
                data-testid={`subnet-${x.cidr}`}
              >
                <span className="subnet-cidr">{x.cidr}</span>
                <span className="subnet-meta">
                  {t("subnets.meta", {
                    zone: x.zone ? shortZone(x.zone) : "?",
                    free: formatCount(x.space!.free),
                  })}
                  <span className={x.space!.freeBlocks28 === 0 ? "no-blocks" : ""}>
                    {t("subnets.meta28", { count: formatCount(x.space!.freeBlocks28) })}
                  </span>
                  {x.forecast?.emptyInSeconds != null && (
                    <span className="no-blocks" data-testid="list-forecast">
                      {t("subnets.emptyIn", { time: formatDuration(x.forecast.emptyInSeconds) })}
                    </span>
                  )}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <UnmappedSubnets subnets={topology.subnets} />
      </aside>
      <section className="subnet-detail" aria-label={t("subnets.detail", { cidr: s.cidr })}>
        <header>
          <h2>
            {s.cidr}
            <span className="subnet-name">
              {" "}
              <span data-i18n-data>{s.name ?? s.id}</span> · {s.zone ?? t("subnets.unknownZone")}
            </span>
          </h2>
          <dl className="figures" data-testid="subnet-figures">
            <Figure
              label={t("subnets.fig.free")}
              value={t("subnets.fig.freeOf", {
                free: formatCount(space.free),
                total: formatCount(space.size - space.awsReserved),
              })}
              testid="fig-free"
            />
            <Figure
              label={t("subnets.fig.blocks")}
              value={formatCount(space.freeBlocks28)}
              testid="fig-blocks"
            />
            <Figure label={t("subnets.fig.largest")} value={formatCount(space.largestFreeRun)} />
            <Figure
              label={t("subnets.fig.pods")}
              value={`${formatCount(space.podIps)} (${pct(space.podShare)})`}
            />
            <Figure label={t("subnets.fig.others")} value={formatCount(space.otherIps)} testid="fig-others" />
            <Figure label={t("subnets.fig.ec2Free")} value={formatCount(s.availableIps)} />
          </dl>
          {space.freeBlocks28 === 0 && topology.cluster.cni.prefixDelegation && (
            <p className="status status-bad" data-testid="no-free-28">
              {space.free > 0
                ? t("subnets.noFree28Singles", { count: formatCount(space.free) })
                : t("subnets.noFree28")}
            </p>
          )}
          <p className="forecast" data-testid="forecast">
            {s.forecast === undefined ? t("subnets.noForecast") : describeForecast(s.cidr, s.forecast)}
          </p>
        </header>
        <ul className="subnet-legend" data-testid="subnet-legend">
          {ADDRESS_KINDS.map((k) => (
            <li key={k}>
              <span
                className="swatch"
                style={{
                  background:
                    k === "pod"
                      ? `linear-gradient(90deg, ${podPalette.slice(0, 4).join(", ")})`
                      : kindColors(theme)[k],
                }}
              />
              {kindLabel(k)} {counts ? formatCount(counts[k]) : ""}
            </li>
          ))}
          {matched !== null && (
            <li data-testid="subnet-matches">{t("subnets.matching", { count: formatCount(matched) })}</li>
          )}
          {overview && matches.error && (
            <li className="status-bad" data-testid="subnet-matches-failed">
              {t("subnets.matchesFailed", { message: errorText(matches.error) })}
            </li>
          )}
        </ul>
        {overview && (
          <p className="subnet-grid-status" data-testid="subnet-grid-status" role="status">
            {remote.error
              ? t("subnets.addressesFailed", { message: errorText(remote.error) })
              : !remote.held
                ? t("subnets.addressesLoading", { cidr: s.cidr })
                : remote.behind
                  ? t("subnets.addressesUpdating", { time: formatTime(remote.held.generatedAt) })
                  : t("subnets.addressesAsOf", { time: formatTime(remote.held.generatedAt) })}
          </p>
        )}
        <div className="subnet-grid" ref={wrap}>
          {map && (
            <canvas
              ref={canvas}
              data-testid="subnet-canvas"
              data-draw-ms={drawMs === null ? undefined : drawMs.toFixed(1)}
              data-addresses={map?.size}
              aria-label={t("subnets.map", { cidr: s.cidr })}
              onMouseMove={(e) => {
                const index = pickAt(e);
                setHover(index === null ? null : { index, x: e.clientX, y: e.clientY });
              }}
              onMouseLeave={() => setHover(null)}
              onClick={(e) => {
                const index = pickAt(e);
                setPicked(index === null ? null : { subnet: s.id, index });
                const node = index === null || !map ? null : map.holders[map.holderOf[index]!]?.node;
                if (node) onPickNode(node);
              }}
            />
          )}
          {hovered !== null && hover && (
            <div
              className="tooltip"
              role="tooltip"
              data-testid="subnet-tooltip"
              style={{ left: hover.x + 16, top: hover.y + 16, position: "fixed" }}
            >
              <dl>
                <HolderLines lines={describe(hovered)} />
              </dl>
            </div>
          )}
        </div>
        {selected !== null && map && (
          <dl className="subnet-selected" data-testid="subnet-selected">
            <HolderLines lines={describe(selected)} />
          </dl>
        )}
        {!overview && <Ipv6Prefixes nodes={nodes} subnetId={s.id} />}
        {overview && topology.cluster.cni.ipv6 && (
          <p className="subnet-ipv6-note" data-testid="subnet-ipv6-overview">
            {t("subnets.ipv6.overview")}
          </p>
        )}
        {((s.others?.length ?? 0) > 0 || (s.reservations?.length ?? 0) > 0) && (
          <div className="subnet-others" data-testid="subnet-others">
            <h3>{t("subnets.notKubernetes")}</h3>
            <ul>
              {(s.reservations ?? []).map((r) => (
                <li key={r.id}>
                  {t("subnets.reservation", { type: t(`subnets.reservationType.${r.type}`), cidr: r.cidr })}
                  {r.description ? <span data-i18n-data>{` “${r.description}”`}</span> : ""} ({r.id})
                </li>
              ))}
              {(s.others ?? []).map((o) => (
                <li key={o.id}>
                  {o.ips.length + o.prefixes.length * 16} × <span data-i18n-data>{foreignEniLabel(o)}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </div>
  );
}

/** Subnets in use whose addresses cannot be mapped, each with why: none is drawn as free. */
function UnmappedSubnets({ subnets }: { subnets: readonly SubnetReport[] }) {
  const unmapped = subnets.filter((s) => s.used === true && !s.space);
  if (unmapped.length === 0) return null;
  return (
    <section className="subnet-unmapped" data-testid="subnet-unmapped">
      <h3>{t("subnets.unmapped.title")}</h3>
      <ul>
        {unmapped.map((s) => {
          const block = parseIpv4Cidr(s.cidr);
          const key = block !== null && block.prefixLength < 16 ? "tooLarge" : "notIpv4";
          return (
            <li key={s.id} data-testid={`unmapped-${s.cidr}`}>
              {t(`subnets.unmapped.${key}`, { cidr: s.cidr, free: formatCount(s.availableIps) })}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function countLit(size: number, lit: (i: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < size; i++) if (lit(i)) n++;
  return n;
}
