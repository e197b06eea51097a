// What the lab chooser says of each lab against what the server runs: a lab written for the simulator's
// running scenario fits; on the simulator another lab needs a switch (its panel's "Reset the lab" does it,
// or a fresh start); on a real cluster or a capture every lab only watches, and its scenario is where to try
// it on the simulator.
import type { Lab, SimulatorInfo } from "./labTypes.ts";

export type LabFit =
  /** Not known yet (the server has not said what it runs). */
  | { kind: "unknown" }
  /** The simulator runs the lab's scenario: the lab can start at once. */
  | { kind: "fits" }
  /** The simulator runs another scenario: a reset switches it, or a start with this command. */
  | { kind: "switch"; scenario: string; running: string; command: string }
  /** Not a simulator: lab mode only watches; the command starts the lab's scenario on the simulator. */
  | { kind: "watch"; scenario: string; command: string };

/** The command that starts the simulator on a scenario, as the README and `eni-view start --help` give it. */
export function startCommand(scenario: string): string {
  return `npx eni-view start --scenario ${scenario}`;
}

export function labFit(lab: Lab, sim: SimulatorInfo | null | undefined): LabFit {
  if (sim === undefined) return { kind: "unknown" };
  const command = startCommand(lab.scenario);
  if (sim === null) return { kind: "watch", scenario: lab.scenario, command };
  if (sim.scenario === lab.scenario) return { kind: "fits" };
  return { kind: "switch", scenario: lab.scenario, running: sim.scenario, command };
}

/** The labs the running simulator's scenario was made for, in the order people take them; none on a real
 * cluster, or when the simulator runs a scenario no lab is written for (efa-lab, large). */
export function suggestedLabs(all: readonly Lab[], sim: SimulatorInfo | null | undefined): Lab[] {
  return all.filter((l) => labFit(l, sim).kind === "fits");
}
