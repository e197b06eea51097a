// The canvas shell: owns the renderer and d3-zoom, turns pointer positions into hits, shows the tooltip.
// Drawing itself lives in ../draw; this component only hands it scenes and transforms.

import { select } from "d3-selection";
import { type D3ZoomEvent, type ZoomBehavior, type ZoomTransform, zoom, zoomIdentity } from "d3-zoom";
import { type Ref, type RefObject, useEffect, useImperativeHandle, useRef, useState } from "react";
import { ClusterRenderer, type Scene, type ViewTransform } from "../draw/renderer.ts";
import { t } from "../i18n/i18n.ts";
import type { ClusterLayout } from "../layout/clusterLayout.ts";
import { type Hit, hitTest } from "../layout/hitTest.ts";
import { CELL } from "../layout/metrics.ts";
import type { PodIndex } from "../layout/podIndex.ts";
import { isThin } from "../overview/overviewState.ts";
import { perfStats } from "../perfStats.ts";
import { MAX_SCALE, MIN_SCALE } from "../state/viewState.ts";
import { Tooltip } from "./Tooltip.tsx";

export interface ClusterViewHandle {
  fit(): void;
  /** Moves the view onto these nodes' boxes (a search's matches, a problem), close enough to read them. */
  zoomTo(nodes: readonly string[]): void;
  /** The part of the layout on screen and its zoom ("export what I see"). */
  visibleRegion(): { x: number; y: number; width: number; height: number; scale: number } | null;
}

interface Props {
  layout: ClusterLayout;
  scene: Omit<Scene, "layout" | "hover">;
  /** Transform from the URL, or null to fit the cluster to the screen. */
  view: ViewTransform | null;
  /** kube-ops-view's #scale: times the fitted size while fitting; null is 1. */
  zoom?: number | null;
  onViewChange: (v: ViewTransform) => void;
  onSelect: (node: string | null) => void;
  pods: PodIndex;
  handle: Ref<ClusterViewHandle>;
  /** Told the part of the layout on screen at every pan, zoom and resize (the overview's detail follows it). */
  onViewport?: (region: ViewRegion) => void;
}

/** The part of the layout on screen, in layout units, and the zoom. */
export interface ViewRegion {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  k: number;
  /** Moved by the page (a jump to a node, a fit), not by the user's hand: no gesture is still going on. */
  jump: boolean;
}

/** The whole cluster on screen; `zoom` times that (kube-ops-view's #scale), centred, when not 1. */
function fitTransform(layout: ClusterLayout, w: number, h: number, zoom = 1): ZoomTransform {
  const m = 16;
  const fitted = Math.min((w - 2 * m) / layout.width, (h - 2 * m) / layout.height);
  const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, fitted * zoom));
  if (zoom === 1) return zoomIdentity.translate((w - layout.width * k) / 2, m).scale(k);
  return zoomIdentity.translate((w - layout.width * k) / 2, (h - layout.height * k) / 2).scale(k);
}

/** Zoom a single box is shown at: its text drawn at full size, the box well inside a laptop screen. */
const FOCUS_SCALE = 2;

/** The transform showing the boxes of `names` whole and centred, no closer than FOCUS_SCALE; null if none is laid out. */
export function focusTransform(
  layout: ClusterLayout,
  names: readonly string[],
  w: number,
  h: number,
): ZoomTransform | null {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const name of names) {
    const p = layout.byName.get(name);
    if (!p) continue;
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + p.width);
    y1 = Math.max(y1, p.y + p.height);
  }
  if (x0 > x1) return null;
  const m = 40;
  const k = Math.max(MIN_SCALE, Math.min(FOCUS_SCALE, (w - 2 * m) / (x1 - x0), (h - 2 * m) / (y1 - y0)));
  return zoomIdentity.translate(w / 2 - ((x0 + x1) / 2) * k, h / 2 - ((y0 + y1) / 2) * k).scale(k);
}

interface CanvasRefs {
  renderer: RefObject<ClusterRenderer | null>;
  zoomRef: RefObject<ZoomBehavior<HTMLCanvasElement, unknown> | null>;
  transform: RefObject<ZoomTransform>;
  layoutRef: RefObject<ClusterLayout>;
  fitted: RefObject<boolean>;
  viewChange: RefObject<(v: ViewTransform) => void>;
  fitMode: RefObject<boolean>;
  fitZoom: RefObject<number>;
  sceneStamp: RefObject<() => void>;
  viewport: RefObject<((region: ViewRegion) => void) | undefined>;
  podsRef: RefObject<PodIndex>;
}

/**
 * Sets up the renderer, d3-zoom and the page's counters on the canvas; returns the teardown. Outside the
 * component on purpose: closures made inside a render share that render's scope, so these long-lived
 * callbacks would keep its props (the first topology's whole layout) alive for the life of the page.
 */
function attachCanvas(canvas: HTMLCanvasElement, wrapper: HTMLDivElement, refs: CanvasRefs): () => void {
  const {
    renderer,
    zoomRef,
    transform,
    layoutRef,
    fitted,
    viewChange,
    fitMode,
    fitZoom,
    sceneStamp,
    viewport,
    podsRef,
  } = refs;
  const tellViewport = (jump: boolean) => {
    const t = transform.current;
    const box = wrapper.getBoundingClientRect();
    viewport.current?.({
      x0: -t.x / t.k,
      y0: -t.y / t.k,
      x1: (box.width - t.x) / t.k,
      y1: (box.height - t.y) / t.k,
      k: t.k,
      jump,
    });
  };
  const stats = perfStats;
  let sceneAt: number | null = null;
  const r = new ClusterRenderer(canvas, (s) => {
    stats.frames++;
    stats.lastFrame = s;
    if (!stats.slowestFrame || s.ms > stats.slowestFrame.ms) stats.slowestFrame = s;
    stats.bitmapPixels = r.bitmapPixels;
    if (s.complete && stats.firstCompleteAt === null) stats.firstCompleteAt = performance.now();
    if (s.complete && stats.jumpAt !== null) {
      stats.lastJumpMs = performance.now() - stats.jumpAt;
      stats.jumpAt = null;
    }
    const wait = stats.detailWait;
    if (wait && s.complete) {
      const box = layoutRef.current.byName.get(wait.node);
      if (box && !isThin(box.layout.node)) {
        stats.lastDetailMs = performance.now() - wait.at;
        stats.detailWait = null;
      }
    }
    if (sceneAt !== null && stats.lastDeltaAt !== null && stats.lastDeltaAt <= sceneAt) {
      stats.lastUpdateMs = performance.now() - stats.lastDeltaAt;
      stats.updates++;
      stats.lastDeltaAt = null;
    }
    sceneAt = null;
  });
  sceneStamp.current = () => {
    sceneAt = performance.now();
  };
  renderer.current = r;
  stats.locate = (target) => {
    const l = layoutRef.current;
    const rect = canvas.getBoundingClientRect();
    const toClient = (x: number, y: number) => {
      const [sx, sy] = transform.current.apply([x, y]);
      return { x: rect.left + sx, y: rect.top + sy };
    };
    const box = l.byName.get(target);
    if (box) return toClient(box.x + box.width / 2, box.y + 12);
    // A pod ("namespace/name") is looked for on its own node's box: the tests and the benchmark ask every
    // frame while they wait for one, and a walk of 100,000 boxes each time took the page's own frames.
    const pod = target.includes("/") ? podsRef.current.get(target) : null;
    if (target.includes("/") && !pod?.node) return null;
    const boxes = pod?.node ? [l.byName.get(pod.node)].filter((p) => p !== undefined) : l.nodes;
    for (const p of boxes)
      for (const row of p.layout.rows)
        for (const c of row.cells)
          if (c.pod === target || c.ip === target)
            return toClient(p.x + c.x + CELL / 2, p.y + c.y + CELL / 2);
    return null;
  };
  stats.locateBox = (name) => {
    const box = layoutRef.current.byName.get(name);
    if (!box) return null;
    const rect = canvas.getBoundingClientRect();
    const t = transform.current;
    const [x, y] = t.apply([box.x, box.y]);
    return { x: rect.left + x, y: rect.top + y, width: box.width * t.k, height: box.height * t.k };
  };
  let urlTimer = 0;
  const z = zoom<HTMLCanvasElement, unknown>()
    .scaleExtent([MIN_SCALE, MAX_SCALE])
    .on("zoom", (e: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
      transform.current = e.transform;
      stats.view = { x: e.transform.x, y: e.transform.y, k: e.transform.k };
      r.setView(e.transform);
      tellViewport(!e.sourceEvent);
      // Only user gestures go to the URL (fit-to-screen stays "fit" so a link fits any screen).
      if (e.sourceEvent) {
        clearTimeout(urlTimer);
        urlTimer = window.setTimeout(() => viewChange.current({ ...e.transform }), 250);
      }
    });
  zoomRef.current = z;
  select(canvas).call(z).on("dblclick.zoom", null);
  const resize = () => {
    const box = wrapper.getBoundingClientRect();
    r.resize(box.width, box.height, window.devicePixelRatio || 1);
    tellViewport(false);
    // A wall screen or a resized window keeps showing the whole cluster until the user zooms.
    if (fitMode.current && fitted.current)
      select(canvas).call(
        z.transform,
        fitTransform(layoutRef.current, box.width, box.height, fitZoom.current),
      );
  };
  const ro = new ResizeObserver(resize);
  ro.observe(wrapper);
  resize();
  return () => {
    ro.disconnect();
    clearTimeout(urlTimer);
    select(canvas).on(".zoom", null);
    r.dispose();
    renderer.current = null;
    stats.locate = null;
    stats.locateBox = null;
  };
}

export function ClusterView({
  layout,
  scene,
  view,
  zoom,
  onViewChange,
  onSelect,
  pods,
  handle,
  onViewport,
}: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const renderer = useRef<ClusterRenderer | null>(null);
  const zoomRef = useRef<ZoomBehavior<HTMLCanvasElement, unknown> | null>(null);
  const transform = useRef<ZoomTransform>(zoomIdentity);
  // Always the layout on screen: the renderer's callbacks read it, and holding an older one would keep that
  // whole generation of node reports and their layouts alive.
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const sceneRef = useRef<Scene | null>(null);
  const fitted = useRef(false);
  const viewChange = useRef(onViewChange);
  viewChange.current = onViewChange;
  const fitMode = useRef(view === null);
  fitMode.current = view === null;
  const fitZoom = useRef(zoom ?? 1);
  fitZoom.current = zoom ?? 1;
  const [hover, setHover] = useState<{ hit: Hit; x: number; y: number } | null>(null);
  const hoverRef = useRef<Hit | null>(null);
  const sceneStamp = useRef<() => void>(() => {});
  const viewport = useRef(onViewport);
  viewport.current = onViewport;
  const podsRef = useRef(pods);
  podsRef.current = pods;

  // Renderer and zoom behaviour live as long as the canvas.
  useEffect(
    () =>
      attachCanvas(canvasRef.current!, wrap.current!, {
        renderer,
        zoomRef,
        transform,
        layoutRef,
        fitted,
        viewChange,
        fitMode,
        fitZoom,
        sceneStamp,
        viewport,
        podsRef,
      }),
    [],
  );

  const applyTransform = (t: ZoomTransform) => {
    const canvas = canvasRef.current;
    if (canvas && zoomRef.current) select(canvas).call(zoomRef.current.transform, t);
  };

  const fit = () => {
    const box = wrap.current!.getBoundingClientRect();
    applyTransform(fitTransform(layoutRef.current, box.width, box.height, fitZoom.current));
  };

  const zoomTo = (names: readonly string[]) => {
    const box = wrap.current!.getBoundingClientRect();
    const t = focusTransform(layoutRef.current, names, box.width, box.height);
    if (!t) return;
    perfStats.jumpAt = performance.now();
    applyTransform(t);
    // Kept in the URL like a user's zoom, so a resize or an update does not fit the view away from it.
    viewChange.current({ x: t.x, y: t.y, k: t.k });
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: zoomTo only reads refs
  useEffect(() => {
    perfStats.zoomToNode = (name) => {
      zoomTo([name]);
      const box = layoutRef.current.byName.get(name);
      perfStats.detailWait = box && isThin(box.layout.node) ? { node: name, at: performance.now() } : null;
    };
    return () => {
      perfStats.zoomToNode = null;
    };
  }, []);

  useImperativeHandle(handle, () => ({
    fit: () => {
      // "Fit" is the whole cluster, whatever #scale the page was opened with.
      fitZoom.current = 1;
      fit();
    },
    zoomTo,
    visibleRegion: () => {
      const box = wrap.current?.getBoundingClientRect();
      if (!box) return null;
      const t = transform.current;
      const [x0, y0] = t.invert([0, 0]);
      return { x: x0, y: y0, width: box.width / t.k, height: box.height / t.k, scale: t.k };
    },
  }));

  // A new layout: keep the user's zoom; fit again only while the view is in "fit" mode.
  // biome-ignore lint/correctness/useExhaustiveDependencies: refit only when the layout's size changes
  useEffect(() => {
    if (!fitted.current) {
      fitted.current = true;
      if (view) applyTransform(zoomIdentity.translate(view.x, view.y).scale(view.k));
      else fit();
    } else if (!view) fit();
  }, [layout.width, layout.height]);

  // A #scale pasted into the URL by hand (hashchange) fits again at that zoom.
  // biome-ignore lint/correctness/useExhaustiveDependencies: fit only reads refs
  useEffect(() => {
    if (fitted.current && !view) fit();
  }, [zoom]);

  // A view pasted into the URL by hand (hashchange) moves the camera.
  // biome-ignore lint/correctness/useExhaustiveDependencies: applyTransform only reads refs
  useEffect(() => {
    if (!view || !fitted.current) return;
    const t = transform.current;
    if (Math.abs(t.k - view.k) > 1e-3 || Math.abs(t.x - view.x) > 0.5 || Math.abs(t.y - view.y) > 0.5)
      applyTransform(zoomIdentity.translate(view.x, view.y).scale(view.k));
  }, [view]);

  useEffect(() => {
    const s: Scene = { ...scene, layout, hover: hoverRef.current };
    sceneRef.current = s;
    renderer.current?.setScene(s);
    sceneStamp.current();
  }, [scene, layout]);

  const toLayout = (clientX: number, clientY: number) => {
    const rect = canvasRef.current!.getBoundingClientRect();
    const [x, y] = transform.current.invert([clientX - rect.left, clientY - rect.top]);
    return { x, y, sx: clientX - rect.left, sy: clientY - rect.top };
  };

  const onMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (e.buttons !== 0) return;
    const p = toLayout(e.clientX, e.clientY);
    const hit = hitTest(layout, p.x, p.y);
    const same =
      hit?.node === hoverRef.current?.node &&
      hit?.cell === hoverRef.current?.cell &&
      hit?.hostPod === hoverRef.current?.hostPod;
    if (!same) {
      hoverRef.current = hit;
      if (sceneRef.current) renderer.current?.setScene({ ...sceneRef.current, hover: hit });
    }
    setHover(hit ? { hit, x: p.sx, y: p.sy } : null);
  };

  const onLeave = () => {
    hoverRef.current = null;
    if (sceneRef.current) renderer.current?.setScene({ ...sceneRef.current, hover: null });
    setHover(null);
  };

  // A finger has no hover: a tap shows what hovering shows (the tooltip) as well as opening the node.
  const lastPointer = useRef<string>("mouse");
  const onDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    lastPointer.current = e.pointerType;
  };

  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const p = toLayout(e.clientX, e.clientY);
    const hit = hitTest(layout, p.x, p.y);
    if (lastPointer.current !== "mouse") {
      hoverRef.current = hit;
      if (sceneRef.current) renderer.current?.setScene({ ...sceneRef.current, hover: hit });
      setHover(hit ? { hit, x: p.sx, y: p.sy } : null);
    }
    onSelect(hit?.node.name ?? null);
  };

  const onKey = (e: React.KeyboardEvent<HTMLCanvasElement>) => {
    const canvas = canvasRef.current;
    const z = zoomRef.current;
    if (!canvas || !z) return;
    const step = 80 / transform.current.k;
    const sel = select(canvas);
    switch (e.key) {
      case "ArrowLeft":
        sel.call(z.translateBy, step, 0);
        break;
      case "ArrowRight":
        sel.call(z.translateBy, -step, 0);
        break;
      case "ArrowUp":
        sel.call(z.translateBy, 0, step);
        break;
      case "ArrowDown":
        sel.call(z.translateBy, 0, -step);
        break;
      case "+":
      case "=":
        sel.call(z.scaleBy, 1.25);
        break;
      case "-":
        sel.call(z.scaleBy, 0.8);
        break;
      case "0":
        fit();
        return;
      case "n":
      case "p": {
        // The keyboard's way to a node: step through the boxes in the order they are laid out, the view
        // following, and open each one's panel as a click on its box would.
        const list = layoutRef.current.nodes;
        if (list.length === 0) return;
        const at = scene.selected ? (layoutRef.current.byName.place(scene.selected) ?? -1) : -1;
        const next =
          at < 0
            ? e.key === "n"
              ? 0
              : list.length - 1
            : (at + (e.key === "n" ? 1 : -1) + list.length) % list.length;
        const name = list[next]!.name;
        zoomTo([name]);
        onSelect(name);
        e.preventDefault();
        return;
      }
      case "Enter":
        // Into the open panel, to read it and close it from the keyboard.
        if (scene.selected) document.querySelector<HTMLElement>('[data-testid="node-panel"]')?.focus();
        return;
      default:
        return;
    }
    e.preventDefault();
    viewChange.current({ ...transform.current });
  };

  return (
    <div className="cluster-view" ref={wrap}>
      <canvas
        ref={canvasRef}
        className="cluster-canvas"
        tabIndex={0}
        aria-label={t("map.label")}
        data-testid="cluster-canvas"
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerLeave={onLeave}
        onClick={onClick}
        onKeyDown={onKey}
      />
      {hover && <Tooltip hit={hover.hit} x={hover.x} y={hover.y} pods={pods} cooling={scene.cooling} />}
    </div>
  );
}
