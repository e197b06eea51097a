// Every warning the report has, on the page: a banner with their count that opens into the list (each
// naming its nodes and pods in the model's own words), and the nodes a warning concerns, each a link that
// selects it. The same warnings are on those nodes' boxes and panels.
import type { Topology } from "@eni-view/model";
import { memo } from "react";
import { shortNodeName } from "../layout/format.ts";

const NODES_SHOWN = 50;

function ReportWarningsInner({ topology, onPick }: { topology: Topology; onPick: (node: string) => void }) {
  // Reports kept from before node warnings existed (frozen or recorded moments) have none.
  const warned = topology.nodes.filter((n) => (n.warnings?.length ?? 0) > 0);
  const warnings = topology.warnings ?? [];
  const count = warnings.length;
  if (count === 0 && warned.length === 0) return null;
  return (
    <details className="banner banner-warn report-warnings" data-testid="report-warnings">
      <summary>
        <strong data-testid="report-warnings-count">{count}</strong> warning{count === 1 ? "" : "s"} from the
        report{warned.length > 0 ? ` · ${warned.length} node${warned.length === 1 ? "" : "s"} concerned` : ""}
      </summary>
      <ul data-testid="report-warnings-list">
        {warnings.map((w) => (
          <li key={w} data-testid="report-warning">
            {w}
          </li>
        ))}
      </ul>
      {warned.length > 0 && (
        <ul className="report-warning-nodes">
          {warned.slice(0, NODES_SHOWN).map((n) => (
            <li key={n.name}>
              <button
                type="button"
                className="link"
                data-testid="report-warning-node"
                data-node={n.name}
                title={n.name}
                onClick={() => onPick(n.name)}
              >
                {shortNodeName(n.name)}
              </button>
              : {n.warnings.join("; ")}
            </li>
          ))}
          {warned.length > NODES_SHOWN && <li>and {warned.length - NODES_SHOWN} more nodes</li>}
        </ul>
      )}
    </details>
  );
}

// A live update that leaves the warnings and nodes as they were redraws nothing here.
export const ReportWarnings = memo(ReportWarningsInner);
