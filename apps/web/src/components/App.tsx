// The page: data from the server (react-query + the event stream), view state from the URL, and the panels
// around the canvas.
import type { HistoryPoint } from "@eni-view/model";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { labQuery, resetSimulator } from "../api/lab.ts";
import { historyQuery, topologyQuery } from "../api/queries.ts";
import { shareSearch, snapshotIdFrom, snapshotQuery } from "../api/sharing.ts";
import { heatColorFn } from "../draw/heatColors.ts";
import { podColorFn } from "../draw/podColors.ts";
import type { Scene, ViewTransform } from "../draw/renderer.ts";
import { themeFor } from "../draw/theme.ts";
import { t as translate } from "../i18n/i18n.ts";
import { errorText, loadingText } from "../i18n/serverText.ts";
import { type ClusterLayout, layoutCluster } from "../layout/clusterLayout.ts";
import { compareMoments } from "../layout/compareMoments.ts";
import { type LiveProblems, liveProblems } from "../layout/liveProblems.ts";
import { lazyPodIndex } from "../layout/podIndex.ts";
import { cellMatches, QueryError } from "../layout/search.ts";
import { mappedSubnets, subnetOfIp } from "../layout/subnetGrid.ts";
import { useOverview } from "../overview/overviewStore.ts";
import { usePageSearch } from "../overview/usePageSearch.ts";
import { useRowDetail } from "../overview/useRowDetail.ts";
import { useViewportDetail } from "../overview/useViewportDetail.ts";
import { serializeViewState, viewTabs } from "../state/viewState.ts";
import { Banner } from "./Banner.tsx";
import { ClusterView, type ClusterViewHandle } from "./ClusterView.tsx";
import { ErrorBoundary } from "./ErrorBoundary.tsx";
import { exportPicture } from "./exportPicture.ts";
import { FreezeButton } from "./FreezeButton.tsx";
import { FrozenBanner } from "./FrozenBanner.tsx";
import { KioskStatus } from "./KioskStatus.tsx";
import { LabPanel } from "./LabPanel.tsx";
import { Legend, useTopValues } from "./Legend.tsx";
import { NodePanel } from "./NodePanel.tsx";
import { NodeTable } from "./NodeTable.tsx";
import { PendingTray } from "./PendingTray.tsx";
import { PlanBanner, PlanPanel, PlanTabButton, usePlanTitle } from "./PlanPanel.tsx";
import { ProblemLegend } from "./ProblemLegend.tsx";
import { ProblemsPanel } from "./ProblemsPanel.tsx";
import { ReplayBanner } from "./ReplayBanner.tsx";
import { ReportWarnings } from "./ReportWarnings.tsx";
import { SearchNav } from "./SearchNav.tsx";
import { SubnetView } from "./SubnetView.tsx";
import { SummaryBar } from "./SummaryBar.tsx";
import { Timeline } from "./Timeline.tsx";
import { Toolbar } from "./Toolbar.tsx";
import { useChangeMarks } from "./useChangeMarks.ts";
import { useCooling } from "./useCooling.ts";
import { useLabRun } from "./useLabRun.ts";
import { useLanguage } from "./useLanguage.ts";
import { useLiveStream } from "./useLiveStream.ts";
import { useMediaQuery } from "./useMediaQuery.ts";
import { usePlanView } from "./usePlanView.ts";
import { useReplay } from "./useReplay.ts";
import { useSystemTheme } from "./useSystemTheme.ts";
import { useViewState } from "./useViewState.ts";
import { VersionFooter } from "./VersionFooter.tsx";
import { ViewControls } from "./ViewControls.tsx";

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
  if (!ok) throw new Error(translate("app.copyFailed", { link: text }));
}

const noHistory: HistoryPoint[] = [];

export function App() {
  const [state, update, urlProblems] = useViewState();
  const { t } = useTranslation();
  const lang = useLanguage(state.lang);
  const system = useSystemTheme();
  const reducedMotion = useMediaQuery("(prefers-reduced-motion: reduce)");
  const themeName = state.theme === "system" ? system : state.theme;
  const theme = themeFor(themeName, state.palette);
  useEffect(() => {
    document.documentElement.dataset.theme = themeName;
    document.documentElement.dataset.palette = state.palette;
  }, [themeName, state.palette]);

  // Opened at a Freeze permalink (/?snapshot=<id>): that stored topology, no stream, no live history.
  const [snapshotId] = useState(() => snapshotIdFrom(window.location.search));
  const live = useLiveStream(snapshotId === null);
  // A cluster past the server's line comes as the overview (../overview): numbers for every node, detail
  // for the nodes in view. The whole topology is never fetched then, not even while the stream is down.
  const overview = useOverview();
  // The stream opens with a full snapshot, so the topology is fetched on its own only when the stream is
  // down: fetching both would download and lay out a 5,000-node cluster twice.
  const liveTopo = useQuery({
    ...topologyQuery,
    enabled: !snapshotId && live.status.state === "down" && overview === null,
  });
  const frozenTopo = useQuery({ ...snapshotQuery(snapshotId ?? ""), enabled: snapshotId !== null });
  // A recorded moment (the timeline under the map) replaces the live view until "Live".
  const replay = useReplay(snapshotId === null);
  const replaying = snapshotId === null && replay.at !== null;
  const topo = snapshotId ? frozenTopo : replaying ? replay.moment : liveTopo;
  const history = useQuery({ ...historyQuery, enabled: snapshotId === null });
  // A plan (in the link) draws the planned cluster over the live view or a frozen plan, never a replay.
  const planned = usePlanView(
    state,
    topo.data,
    snapshotId ? { snapshot: frozenTopo.data } : null,
    !replaying,
  );
  const [planOpen, setPlanOpen] = useState(state.plan !== null);
  const planTitle = usePlanTitle();
  const topology = planned.topology;
  // Live changes flash on the live map only, never on a planned one.
  const marks = useChangeMarks(planned.after ? undefined : topology);
  const newPending = planned.newPending;
  const pulsing = useMemo(
    () => (newPending ? new Set([...marks.pulsing, ...newPending]) : marks.pulsing),
    [marks.pulsing, newPending],
  );
  const compareA = replaying && replay.compareAt !== null ? replay.compareMoment.data : undefined;
  const compared = useMemo(
    () => (compareA && topology ? compareMoments(compareA, topology) : null),
    [compareA, topology],
  );
  // A frozen snapshot or a recorded moment stays at its own time: its cooldowns do not count down.
  const cooling = useCooling(topology, snapshotId !== null || replaying);
  const view = useRef<ClusterViewHandle>(null);

  const nodes = topology?.nodes;
  const subnets = topology?.subnets;
  // Kept from one update to the next: only the nodes that changed are recounted (liveProblems.ts).
  const keptProblems = useRef<LiveProblems | null>(null);
  const problems = useMemo(() => {
    if (!nodes || !subnets) return null;
    keptProblems.current = liveProblems(keptProblems.current, nodes, subnets);
    return keptProblems.current.index;
  }, [nodes, subnets]);
  const shownNodes = useMemo(
    () =>
      nodes && problems && state.problemsOnly ? nodes.filter((n) => problems.byNode.has(n.name)) : nodes,
    [nodes, problems, state.problemsOnly],
  );
  const prevLayout = useRef<ClusterLayout | null>(null);
  const layout = useMemo(() => {
    if (!shownNodes) return null;
    prevLayout.current = layoutCluster(
      shownNodes,
      { grouping: state.group, sort: state.sort },
      prevLayout.current,
    );
    return prevLayout.current;
  }, [shownNodes, state.group, state.sort]);
  const podList = topology?.pods;
  const pods = useMemo(() => lazyPodIndex(podList ?? []), [podList]);
  const pending = topology?.pending;

  const held = useMemo(
    () => (nodes && podList && pending ? { nodes, pods: podList, pending } : null),
    [nodes, podList, pending],
  );
  const found = usePageSearch(held, state.q, overview !== null);
  const onViewport = useViewportDetail(overview, layout, state.node, state.tab === "nodes");
  // Beside the Subnets tab the open node's detail is asked for (the table asks for its rows itself).
  useRowDetail(state.tab === "subnets", state.node ? [state.node] : []);

  // Matched nodes in the order their boxes are laid out: what next/previous steps through.
  const matchNodes = useMemo(() => {
    const touched = found.result?.touched;
    return touched && layout ? layout.nodes.filter((p) => touched.has(p.name)).map((p) => p.name) : [];
  }, [found.result, layout]);
  const [matchAt, setMatchAt] = useState(-1);
  const goToMatch = useCallback(
    (i: number) => {
      const name = matchNodes[i];
      if (name === undefined) return;
      setMatchAt(i);
      view.current?.zoomTo([name]);
    },
    [matchNodes],
  );
  // Enter in the search box moves the view to the next match (Shift+Enter: the previous one); pressed on a
  // query still being typed, once that query's matches are in. Typing alone never moves the view.
  const pendingStep = useRef<{ q: string; back: boolean } | null>(null);
  const stepMatch = useCallback(
    (back: boolean, at: number) => {
      const n = matchNodes.length;
      if (n > 0) goToMatch(at < 0 ? (back ? n - 1 : 0) : (at + (back ? -1 : 1) + n) % n);
    },
    [matchNodes, goToMatch],
  );
  const searched = useRef(state.q);
  useEffect(() => {
    if (state.q !== searched.current) {
      searched.current = state.q;
      setMatchAt(-1);
    }
    const step = pendingStep.current;
    if (step && step.q === state.q) {
      pendingStep.current = null;
      stepMatch(step.back, -1);
    }
  }, [state.q, stepMatch]);

  const podColor = useMemo(() => podColorFn(state.color, pods, theme), [state.color, pods, theme]);
  // A search for an IP, a CIDR or a pod opens the subnet holding it in the subnet view.
  const searchSubnet = useMemo(() => {
    const r = found.result;
    if (!r || !subnets) return null;
    const list = mappedSubnets(subnets);
    const byIp = subnetOfIp(list, state.q.trim().split("/")[0] ?? "");
    if (byIp) return byIp.id;
    for (const key of r.pods) {
      const pod = pods.get(key);
      const s = pod ? subnetOfIp(list, pod.ip) : null;
      if (s) return s.id;
    }
    return null;
  }, [found.result, subnets, state.q, pods]);
  // Only when the search finds another subnet: a subnet picked by hand afterwards stays picked.
  useEffect(() => {
    if (searchSubnet !== null) update({ subnet: searchSubnet });
  }, [searchSubnet, update]);
  // Lab mode: the open step lights what it is about (a search, when there is one, takes the map over).
  const simulator = useQuery({ ...labQuery, enabled: state.lab !== null && snapshotId === null });
  const labEnv = useMemo(() => ({ sim: simulator.data ?? null }), [simulator.data]);
  // A capture, a Freeze snapshot, a replayed moment or a recording file does not change: no step moves on.
  const labLive =
    snapshotId === null && !replaying && topology?.source !== "dump" && topology?.source !== "recording";
  const labId = state.lab?.id;
  const goToStep = useCallback(
    (step: number) => update({ lab: labId ? { id: labId, step } : null }),
    [labId, update],
  );
  const [labResetAt, setLabResetAt] = useState<number | null>(null);
  const labRun = useLabRun(state.lab, topology, labEnv, labLive, goToStep, labResetAt);
  const lit = found.result ?? labRun?.lit ?? null;
  const litKey = found.result ? state.q : labRun ? `lab:${labRun.lab.id}/${labRun.step}` : "";
  const heat = useMemo(() => heatColorFn(state.heat, theme), [state.heat, theme]);
  const lowKey = problems ? [...problems.lowSubnets].sort().join(",") : "";
  const legendValues = useTopValues(podList, state.color);
  const scene = useMemo((): Omit<Scene, "layout" | "hover"> => {
    const r = lit;
    return {
      style: {
        theme,
        podColor,
        lit: r ? (node, pod, ip) => cellMatches(r, node, pod, ip) : null,
        nodeLit: compared ? (node) => compared.changed.has(node) : r ? (node) => r.touched.has(node) : null,
        problems: problems ? (node) => problems.byNode.get(node) : null,
        heat,
        plan: planned.marks,
      },
      // Problems follow the node reports (a changed node is repainted anyway) but for low subnets.
      styleKey: `${lang}|${theme.name}|${theme.palette}|${state.color}|${state.heat}|${lowKey}|${litKey}|${compared ? `cmp${replay.compareAt}-${topology?.seq}` : ""}|${planned.styleKey}`,
      selected: state.node,
      flashes: marks.flashes,
      cooling,
      still: reducedMotion,
    };
  }, [
    lang,
    theme,
    podColor,
    lit,
    litKey,
    state.color,
    state.node,
    marks.flashes,
    cooling,
    problems,
    heat,
    state.heat,
    lowKey,
    compared,
    replay.compareAt,
    topology?.seq,
    reducedMotion,
    planned.marks,
    planned.styleKey,
  ]);

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
  // The live topology is fetched only while the stream is down; once it is back (loading or live), that
  // fetch's failure is old news.
  const loadError =
    topo.error && (snapshotId !== null || live.status.state === "down") ? errorText(topo.error) : null;

  return (
    <div
      className={`app${state.kiosk ? " kiosk" : ""}`}
      data-theme={themeName}
      data-palette={state.palette}
      data-testid="app"
    >
      {!state.kiosk && (
        <Toolbar
          state={state}
          update={update}
          clusterName={topology?.cluster.name ?? "…"}
          stream={live.status}
          matchCount={found.result ? found.result.count : null}
          searchNav={<SearchNav nodes={matchNodes} at={matchAt} onGo={goToMatch} summary={found.summary} />}
          searchError={
            found.error instanceof QueryError ? found.error.describe() : (found.error?.message ?? null)
          }
          onSearchEnter={(q, back) => {
            if (q === state.q) stepMatch(back, matchAt);
            else pendingStep.current = { q, back };
          }}
          controls={
            <ViewControls
              state={state}
              update={update}
              problemCount={problems ? problems.byNode.size : null}
            />
          }
          onFit={() => {
            update({ view: null, zoom: null });
            view.current?.fit();
          }}
          frozen={snapshotId !== null}
          capture={topology?.source === "dump" ? { takenAt: topology.cluster.capturedAt ?? null } : null}
          freeze={
            snapshotId === null &&
            !replaying && (
              <FreezeButton
                hash={() => serializeViewState(state)}
                copy={copyText}
                plan={planned.ready ? state.plan : null}
              />
            )
          }
          onCopyLink={async () => {
            // The snapshot id and the access token (when the page has them) travel with the link.
            const search = shareSearch(window.location.search, snapshotId);
            const url = `${window.location.origin}${window.location.pathname}${search}${serializeViewState(state)}`;
            await copyText(url);
          }}
          onExport={async (kind, ratio, scope) => {
            if (!layout || !topology) throw new Error(t("app.nothingToExport"));
            return exportPicture({
              kind,
              ratio,
              scope,
              layout,
              style: scene.style,
              view: state.tab === "nodes" ? (view.current?.visibleRegion() ?? null) : null,
              heat: state.heat,
              header: {
                topology,
                theme,
                problems,
                values: legendValues,
                colorMode: state.color,
                podColor,
                // A planned picture says so in its title, with the plan, wherever it is pasted.
                ...(planned.ready
                  ? { label: planTitle(state.planView, planned.ready.plan.reply.query) }
                  : {}),
              },
            });
          }}
        />
      )}
      {snapshotId && <FrozenBanner topology={frozenTopo.data} error={frozenTopo.error} />}
      {(replaying || topology?.source === "recording") && (
        <ReplayBanner
          replay={replay}
          fileMode={topology?.source === "recording"}
          diff={compared}
          onPick={(node) => {
            update({ node });
            view.current?.zoomTo([node]);
          }}
        />
      )}
      <Banner stream={live.status} topology={topology} loadError={loadError} urlProblems={urlProblems} />
      {topology && (
        <ReportWarnings
          topology={topology}
          onPick={(node) => {
            update({ node });
            view.current?.zoomTo([node]);
          }}
        />
      )}
      {state.kiosk && topology && (
        <KioskStatus
          clusterName={topology.cluster.name ?? "cluster"}
          pending={topology.pending}
          stream={live.status}
          frozen={snapshotId !== null}
          capture={topology.source === "dump" ? { takenAt: topology.cluster.capturedAt ?? null } : null}
        />
      )}
      {topology && (
        <ErrorBoundary name={t("errors.parts.summaryBar")}>
          <SummaryBar
            summary={topology.summary}
            subnets={topology.subnets}
            history={history.data ?? noHistory}
            cooling={cooling.size}
          />
        </ErrorBoundary>
      )}
      {topology && (
        <Legend theme={theme} mode={state.color} values={legendValues} podColor={podColor}>
          <ProblemLegend theme={theme} heat={state.heat} />
        </Legend>
      )}
      {!state.kiosk && topology && (
        <nav className="tabs" aria-label={t("app.views")}>
          {viewTabs.map((tab) => (
            <button
              key={tab}
              type="button"
              aria-pressed={state.tab === tab}
              onClick={() => update({ tab })}
              data-testid={`tab-${tab}`}
            >
              {t(`app.tabs.${tab}`)}
            </button>
          ))}
          {!replaying && (
            <PlanTabButton
              open={planOpen || state.plan !== null}
              onToggle={() => setPlanOpen(!(planOpen || state.plan !== null))}
            />
          )}
        </nav>
      )}
      <main className="main">
        {!state.kiosk && labRun && (
          <ErrorBoundary name="lab mode">
            <LabPanel
              run={labRun}
              simulator={simulator.isSuccess ? simulator.data : undefined}
              live={labLive}
              copy={copyText}
              onPick={(id) => update({ lab: { id, step: 1 } })}
              onStep={goToStep}
              onClose={() => update({ lab: null })}
              onShowNodes={(nodes) => view.current?.zoomTo(nodes)}
              onReset={async () => {
                if (!simulator.data) throw new Error(translate("lab:panel.readOnly"));
                // Reads from this moment on can be the new cluster's: the first step starts from one of them.
                const startedAt = Date.now();
                const scenario = await resetSimulator(simulator.data, labRun.lab.scenario);
                setLabResetAt(startedAt);
                goToStep(1);
                await simulator.refetch();
                return scenario;
              }}
            />
          </ErrorBoundary>
        )}
        {planned.ready && <PlanBanner view={state.planView} />}
        {!state.kiosk && state.problemsList && problems && (
          <ProblemsPanel
            index={problems}
            theme={theme}
            onPick={(node) => {
              update({ node });
              view.current?.zoomTo([node]);
            }}
            onClose={() => update({ problemsList: false })}
          />
        )}
        {state.tab === "nodes" && topology && topology.nodes.length === 0 && (
          <div className="empty" data-testid="empty">
            {t("app.noNodes", { source: topology.source })}
          </div>
        )}
        {state.tab === "nodes" &&
          layout &&
          topology &&
          layout.nodes.length === 0 &&
          topology.nodes.length > 0 && (
            <div className="empty" data-testid="empty">
              {t("app.allHidden", { count: topology.nodes.length })}
            </div>
          )}
        {topology && state.tab === "table" ? (
          <ErrorBoundary name={t("errors.parts.nodeTable")}>
            <NodeTable
              nodes={shownNodes ?? topology.nodes}
              problems={problems}
              selected={state.node}
              onPick={onSelect}
              overview={overview !== null}
              sortBy={overview && !state.problemsOnly ? overview.thin.nodes : undefined}
            />
          </ErrorBoundary>
        ) : topology && state.tab === "subnets" ? (
          <ErrorBoundary name={t("errors.parts.subnetView")}>
            <SubnetView
              topology={topology}
              theme={theme}
              podColor={podColor}
              found={lit}
              subnetId={state.subnet}
              onPickSubnet={(subnet) => update({ subnet })}
              onPickNode={(node) => update({ node })}
              overview={overview !== null}
              colorMode={state.color}
            />
          </ErrorBoundary>
        ) : layout && topology ? (
          <ErrorBoundary name={t("errors.parts.clusterMap")}>
            <ClusterView
              layout={layout}
              scene={scene}
              view={state.view}
              zoom={state.zoom}
              onViewChange={onViewChange}
              onSelect={onSelect}
              pods={pods}
              handle={view}
              onViewport={onViewport}
            />
          </ErrorBoundary>
        ) : (
          <div className="loading" data-testid="loading">
            {loadError
              ? t("app.loadFailed")
              : live.status.state === "loading"
                ? t("app.loadingWhat", { message: loadingText(live.status.loading) })
                : t("app.loading")}
          </div>
        )}
        {!state.kiosk && topology && (
          <PendingTray
            pending={topology.pending}
            pulsing={pulsing}
            search={lit}
            onShowNodes={(g) => {
              // Bound pods wait on their nodes; pods refused for "Too many pods" were refused by the full ones.
              const full = problems?.byKind.get("full")?.map((e) => e.node) ?? [];
              const nodes = g.nodes.length > 0 ? g.nodes : g.reason === "too-many-pods" ? full : [];
              if (nodes.length > 0) view.current?.zoomTo(nodes);
              if (nodes.length === 1) update({ node: nodes[0]! });
            }}
          />
        )}
        {!state.kiosk && selectedNode && (
          <NodePanel
            key={selectedNode.name}
            node={selectedNode}
            pods={pods}
            onClose={() => update({ node: null })}
            takeFocus={state.tab === "table"}
          />
        )}
        {!state.kiosk && !replaying && (planOpen || state.plan !== null) && (
          <ErrorBoundary name="plan panel">
            <PlanPanel
              theme={theme}
              live={topo.data}
              query={state.plan}
              plan={planned.plan}
              view={state.planView}
              frozen={snapshotId !== null}
              onPlan={(plan) => update({ plan, planView: "after" })}
              onView={(planView) => update({ planView })}
              onClose={() => {
                setPlanOpen(false);
                update({ plan: null, planView: "after" });
              }}
              onPick={(node) => {
                update({ node });
                view.current?.zoomTo([node]);
              }}
            />
          </ErrorBoundary>
        )}
      </main>
      {!state.kiosk && snapshotId === null && (
        <ErrorBoundary name={t("errors.parts.timeline")}>
          <Timeline
            replay={replay}
            copy={copyText}
            theme={theme}
            layout={{ grouping: state.group, sort: state.sort }}
            capture={topology?.source === "dump"}
          />
        </ErrorBoundary>
      )}
      {!state.kiosk && <VersionFooter />}
      {state.kiosk && (
        <button
          type="button"
          className="kiosk-exit"
          onClick={() => update({ kiosk: false })}
          data-testid="kiosk-exit"
        >
          {t("app.kioskExit")}
        </button>
      )}
    </div>
  );
}
