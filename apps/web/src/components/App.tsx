// The page: data from the server (react-query + the event stream), view state from the URL, and the panels
// around the canvas.
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { historyQuery, topologyQuery } from "../api/queries.ts";
import { shareSearch, snapshotIdFrom, snapshotQuery } from "../api/sharing.ts";
import { podColorFn } from "../draw/podColors.ts";
import type { Scene, ViewTransform } from "../draw/renderer.ts";
import { themes } from "../draw/theme.ts";
import { type ClusterLayout, layoutCluster } from "../layout/clusterLayout.ts";
import { lazyPodIndex } from "../layout/podIndex.ts";
import { cellMatches, type SearchResult, search } from "../layout/search.ts";
import { serializeViewState } from "../state/viewState.ts";
import { Banner } from "./Banner.tsx";
import { ClusterView, type ClusterViewHandle } from "./ClusterView.tsx";
import { ErrorBoundary } from "./ErrorBoundary.tsx";
import { exportPicture, pictureTitle } from "./exportPicture.ts";
import { FreezeButton } from "./FreezeButton.tsx";
import { FrozenBanner } from "./FrozenBanner.tsx";
import { Legend, useTopValues } from "./Legend.tsx";
import { NodePanel } from "./NodePanel.tsx";
import { PendingTray } from "./PendingTray.tsx";
import { SummaryBar } from "./SummaryBar.tsx";
import { Toolbar } from "./Toolbar.tsx";
import { useChangeMarks } from "./useChangeMarks.ts";
import { useLiveStream } from "./useLiveStream.ts";
import { useSystemTheme } from "./useSystemTheme.ts";
import { useViewState } from "./useViewState.ts";

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Permission refused (e.g. an unfocused headless page): fall back to a selection copy.
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error(`Copy failed; the link is ${text}`);
}

export function App() {
  const [state, update, urlProblems] = useViewState();
  const system = useSystemTheme();
  const themeName = state.theme === "system" ? system : state.theme;
  const theme = themes[themeName];
  useEffect(() => {
    document.documentElement.dataset.theme = themeName;
  }, [themeName]);

  // Opened at a Freeze permalink (/?snapshot=<id>): that stored topology, no stream, no live history.
  const [snapshotId] = useState(() => snapshotIdFrom(window.location.search));
  const live = useLiveStream(snapshotId === null);
  // The stream opens with a full snapshot, so the topology is fetched on its own only when the stream is
  // down: fetching both would download and lay out a 5,000-node cluster twice.
  const liveTopo = useQuery({ ...topologyQuery, enabled: !snapshotId && live.status.state === "down" });
  const frozenTopo = useQuery({ ...snapshotQuery(snapshotId ?? ""), enabled: snapshotId !== null });
  const topo = snapshotId ? frozenTopo : liveTopo;
  const history = useQuery({ ...historyQuery, enabled: snapshotId === null });
  const topology = topo.data;
  const marks = useChangeMarks(topology);
  const view = useRef<ClusterViewHandle>(null);

  const nodes = topology?.nodes;
  const prevLayout = useRef<ClusterLayout | null>(null);
  const layout = useMemo(() => {
    if (!nodes) return null;
    prevLayout.current = layoutCluster(nodes, { grouping: state.group }, prevLayout.current);
    return prevLayout.current;
  }, [nodes, state.group]);
  const podList = topology?.pods;
  const pods = useMemo(() => lazyPodIndex(podList ?? []), [podList]);
  const pending = topology?.pending;

  const found = useMemo((): { result: SearchResult | null; error: string | null } => {
    if (!nodes || !podList || !pending || state.q.trim() === "") return { result: null, error: null };
    try {
      return { result: search({ nodes, pods: podList, pending }, state.q), error: null };
    } catch (e) {
      return { result: null, error: (e as Error).message };
    }
  }, [nodes, podList, pending, state.q]);

  const podColor = useMemo(() => podColorFn(state.color, pods), [state.color, pods]);
  const legendValues = useTopValues(podList, state.color);
  const scene = useMemo((): Omit<Scene, "layout" | "hover"> => {
    const r = found.result;
    return {
      style: {
        theme,
        podColor,
        lit: r ? (node, pod, ip) => cellMatches(r, node, pod, ip) : null,
        nodeLit: r ? (node) => r.touched.has(node) : null,
      },
      styleKey: `${theme.name}|${state.color}|${r ? state.q : ""}`,
      selected: state.node,
      flashes: marks.flashes,
    };
  }, [theme, podColor, found, state.color, state.q, state.node, marks.flashes]);

  const onViewChange = useCallback(
    (v: ViewTransform) => update({ view: { x: v.x, y: v.y, k: v.k } }),
    [update],
  );
  const onSelect = useCallback((node: string | null) => update({ node }), [update]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      if (state.kiosk) update({ kiosk: false });
      else if (state.node && !(e.target instanceof HTMLInputElement)) update({ node: null });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [state.kiosk, state.node, update]);

  const selectedNode = state.node ? (layout?.byName.get(state.node)?.layout.node ?? null) : null;
  const loadError = topo.error ? topo.error.message : null;

  return (
    <div className={`app${state.kiosk ? " kiosk" : ""}`} data-theme={themeName} data-testid="app">
      {!state.kiosk && (
        <Toolbar
          state={state}
          update={update}
          clusterName={topology?.cluster.name ?? "…"}
          stream={live.status}
          matchCount={found.result ? found.result.count : null}
          onFit={() => {
            update({ view: null });
            view.current?.fit();
          }}
          frozen={snapshotId !== null}
          freeze={
            snapshotId === null && <FreezeButton hash={() => serializeViewState(state)} copy={copyText} />
          }
          onCopyLink={async () => {
            // The snapshot id and the access token (when the page has them) travel with the link.
            const search = shareSearch(window.location.search, snapshotId);
            const url = `${window.location.origin}${window.location.pathname}${search}${serializeViewState(state)}`;
            await copyText(url);
          }}
          onExport={async (kind, ratio) => {
            if (!layout || !topology) throw new Error("Nothing to export yet: the topology has not loaded");
            return exportPicture(kind, ratio, { layout, style: scene.style, title: pictureTitle(topology) });
          }}
        />
      )}
      {snapshotId && <FrozenBanner topology={frozenTopo.data} error={frozenTopo.error} />}
      <Banner
        stream={live.status}
        topology={topology}
        loadError={loadError}
        urlProblems={urlProblems}
        queryError={found.error}
      />
      {topology && (
        <ErrorBoundary name="summary bar">
          <SummaryBar topology={topology} history={history.data ?? []} />
        </ErrorBoundary>
      )}
      {topology && <Legend theme={theme} mode={state.color} values={legendValues} podColor={podColor} />}
      <main className="main">
        {topology && topology.nodes.length === 0 && (
          <div className="empty" data-testid="empty">
            No nodes yet: the {topology.source} source has reported none.
          </div>
        )}
        {layout && topology ? (
          <ErrorBoundary name="cluster map">
            <ClusterView
              layout={layout}
              scene={scene}
              view={state.view}
              onViewChange={onViewChange}
              onSelect={onSelect}
              pods={pods}
              handle={view}
            />
          </ErrorBoundary>
        ) : (
          <div className="loading" data-testid="loading">
            {loadError ? "The topology could not be loaded." : "Loading the cluster topology…"}
          </div>
        )}
        {!state.kiosk && topology && (
          <PendingTray pending={topology.pending} pulsing={marks.pulsing} search={found.result} />
        )}
        {!state.kiosk && selectedNode && (
          <NodePanel node={selectedNode} pods={pods} onClose={() => update({ node: null })} />
        )}
      </main>
      {state.kiosk && (
        <button
          type="button"
          className="kiosk-exit"
          onClick={() => update({ kiosk: false })}
          data-testid="kiosk-exit"
        >
          Exit kiosk (Esc)
        </button>
      )}
    </div>
  );
}
