// What is under the pointer, in words. Everything is rendered as React text nodes.

import type { CoolingIp } from "../layout/cooling.ts";
import { clampName, shortNodeName } from "../layout/format.ts";
import type { Hit } from "../layout/hitTest.ts";
import { describeHit } from "../layout/nodeText.ts";
import type { PodIndex } from "../layout/podIndex.ts";

export function Tooltip({
  hit,
  x,
  y,
  pods,
  cooling,
}: {
  hit: Hit;
  x: number;
  y: number;
  pods: PodIndex;
  cooling?: ReadonlyMap<string, CoolingIp>;
}) {
  const n = hit.node.layout.node;
  const c = hit.cell;
  const lines = describeHit(hit, pods, cooling);
  const left = x + 360 > window.innerWidth ? Math.max(0, x - 340) : x + 16;
  const top = y + 16;
  return (
    <div className="tooltip" role="tooltip" data-testid="tooltip" style={{ left, top }}>
      <div className="tooltip-title" data-i18n-data>
        {clampName(c?.pod ?? (hit.hostPod ? hit.hostPod.pod.name : shortNodeName(n.name)))}
      </div>
      <dl>
        {lines.map(([k, v, data], i) => (
          // A label can repeat (several warnings), so the line's place keys it.
          // biome-ignore lint/suspicious/noArrayIndexKey: the lines are rebuilt whole for each hit
          <div key={i}>
            <dt>{k}</dt>
            <dd data-i18n-data={data ? "" : undefined}>{clampName(v)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
