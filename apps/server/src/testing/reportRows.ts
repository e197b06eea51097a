// What a person compares between `eni-view report` text, `report --json` and /api/topology: every node's
// counts, and the text row that prints them.
import assert from "node:assert/strict";
import { type NodeReport, nodeEniText } from "@eni-view/model";

/** Each node's kind, ENIs, IPs, pods and max pods, in the report's order. */
export function nodeCounts(x: { nodes: readonly NodeReport[] }): unknown[][] {
  return x.nodes.map((n) => [
    n.name,
    n.kind,
    nodeEniText(n),
    n.ipsAssigned,
    n.ipsUsed,
    n.ipsWarm,
    n.pods,
    n.maxPods,
    n.maxPodsByEni,
  ]);
}

/** The report text's row for the node prints the same counts as the JSON (under the name the table prints:
 * the names' shared domain is said once above it), an overcommitted node's max pods marked `*`. */
export function assertTextRow(text: string, n: NodeReport): void {
  const suffix = /^Nodes \(names end in (\S+)\)$/m.exec(text)?.[1];
  const printed = suffix && n.name.endsWith(suffix) ? n.name.slice(0, -suffix.length) : n.name;
  const row = text.split("\n").find((l) => l.startsWith(`${printed} `));
  assert.ok(row, `no row for ${n.name}`);
  const by =
    n.maxPodsByEni === null ? "-" : n.branchEnis ? `${n.maxPodsByEni}\\+${n.branchEnis}br` : n.maxPodsByEni;
  assert.match(
    row,
    new RegExp(
      ` ${n.kind} .* ${nodeEniText(n).replaceAll("+", "\\+")} +${n.ipsAssigned} +${n.ipsUsed} +${n.ipsWarm} +${n.pods}/${n.maxPods}${n.overcommitted ? "\\*" : ""} +${by} `,
    ),
  );
}
