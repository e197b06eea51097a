// The marks a node box wears in a plan (layout/planDiff.ts): an outline round each ENI the plan attaches
// and round each pod it places (new ones in one colour, pods moved from another node in another), a band
// and a word on a node the plan adds or replaces. Zoomed out (no text) a new or replaced node is tinted
// whole, so the change reads on a cluster of thousands.

import { t as translate } from "../i18n/i18n.ts";
import { CELL, ROW_LABEL_H } from "../layout/metrics.ts";
import type { NodeLayout } from "../layout/nodeLayout.ts";
import type { NodePlanMarks } from "../layout/planDiff.ts";
import type { Font, Painter } from "./painter.ts";
import type { Theme } from "./theme.ts";

const labelFont: Font = { size: 8, weight: 600 };

/** The colour a pod's cell is marked in, or null when the plan leaves it where it is. */
export function planPodColour(m: NodePlanMarks, pod: string | null, t: Theme): string | null {
  if (pod === null) return null;
  return m.newPods.has(pod) ? t.planNew : m.movedPods.has(pod) ? t.planMoved : null;
}

/** The colour a whole node is marked in (replaced or added), or null. */
export function planNodeColour(m: NodePlanMarks, t: Theme): string | null {
  return m.replaced ? t.planReplaced : m.added ? t.planNew : null;
}

export function drawPlanMarks(p: Painter, l: NodeLayout, m: NodePlanMarks, t: Theme, text: boolean): void {
  const whole = planNodeColour(m, t);
  if (whole !== null && !text) {
    p.rect(0, 0, l.width, l.height, whole, 0.35);
    return;
  }
  for (const row of l.rows) {
    if (row.eni === null || !m.newEnis.has(row.eni.id)) continue;
    p.strokeRect(1.5, row.y + 0.5, l.width - 3, row.height - 1, t.planNew, text ? 1.5 : 3);
    if (text) {
      // On a plate of the box's own colour: the ENI's caption runs under it.
      const w = p.measure(translate("plan:canvas.newEni"), labelFont) + 6;
      p.rect(l.width - w - 3, row.y + 1, w, 9, t.boxFill);
      p.text(l.width - 6, row.y + 8, translate("plan:canvas.newEni"), labelFont, t.planNew, "right");
    }
  }
  if (m.newPods.size > 0 || m.movedPods.size > 0) {
    for (const row of l.rows) {
      const first = row.y + ROW_LABEL_H;
      row.forEachCell((_kind, x, y, _ip, pod) => {
        const colour = planPodColour(m, pod, t);
        if (colour === null) return;
        if (text) p.strokeRect(x - 1, y - 1, CELL + 2, CELL + 2, colour, 1.5);
        else p.rect(x, y === first ? y - ROW_LABEL_H + 2 : y, CELL, CELL, colour, 0.9);
      });
    }
  }
  if (whole !== null) {
    p.strokeRect(1, 1, l.width - 2, l.height - 2, whole, 2.5);
    // Over the status word in the top-right corner: in a plan, what happens to the node matters more.
    const label = m.replaced ? translate("plan:canvas.replaced") : translate("plan:canvas.added");
    const w = p.measure(label, labelFont) + 8;
    p.rect(l.width - w - 3, 3, w, 12, whole, 1);
    p.text(l.width - 7, 12, label, labelFont, t.badgeText, "right");
  }
}
