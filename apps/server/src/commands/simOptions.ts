// The simulator's options, the same for `sim`, `start` and `serve --source sim`, so one command runs any
// scenario at any size.
import type { StartSimOptions } from "@eni-view/sim";
import { UsageError } from "./command.ts";

export const simOptionSpec = {
  scenario: { type: "string" },
  speed: { type: "string" },
  seed: { type: "string" },
  nodes: { type: "string" },
  "pods-per-node": { type: "string" },
  faults: { type: "string" },
  "state-dir": { type: "string" },
} as const;

export type SimOptionValues = Partial<Record<keyof typeof simOptionSpec, string>>;

export const SIM_OPTION_NAMES = Object.keys(simOptionSpec) as (keyof typeof simOptionSpec)[];

/** The --help lines; `scenarios` lists the built-in ones (without it, `sim --help` is named: listing them
 * means loading the simulator, which `serve` on a real cluster should not pay for). */
export function simOptionHelp(scenarios?: readonly string[]): string {
  const names = scenarios ? scenarios.join(", ") : "a built-in scenario (eni-view sim --help lists them)";
  return `  --scenario NAME|FILE   ${names} (default scale-lab), or a scenario .json file
  --speed N              simulated time runs N times faster than the wall clock (default 1)
  --seed N               seed of the simulation's randomness (default 1): same seed, same cluster
  --nodes N              generated scenarios (large): number of nodes (default 500)
  --pods-per-node N      generated scenarios (large): average pods per node (default 30)
  --faults JSON          faults from the start, e.g. '{"ec2ThrottleRate":0.2,"kubeLatencyMs":100}'
                         (change them later: curl -X PUT ADMIN/faults -d '{"dropWatches":true}')
  --state-dir DIR        where kubeconfig and endpoints.json are written (default: a new temp directory)`;
}

function number(value: string | undefined, flag: string, min: number, max: number, whole: boolean) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < min || n > max) {
    throw new UsageError(
      `--${flag} must be a ${whole ? "whole " : ""}number from ${min} to ${max}, got "${value}"`,
    );
  }
  return n;
}

/** The options for startSim, checked; bad values are usage errors naming the flag. */
export async function simSettings(values: SimOptionValues): Promise<StartSimOptions> {
  const out: StartSimOptions = {};
  if (values.scenario !== undefined) out.scenario = values.scenario;
  if (values["state-dir"] !== undefined) out.stateDir = values["state-dir"];
  const speed = number(values.speed, "speed", 0.01, 1000, false);
  if (speed !== undefined) out.speed = speed;
  const seed = number(values.seed, "seed", 0, 2 ** 31, true);
  if (seed !== undefined) out.seed = seed;
  // 20,000 nodes is past anything the benchmark or the page is built for, and still starts.
  const nodes = number(values.nodes, "nodes", 1, 20_000, true);
  if (nodes !== undefined) out.nodes = nodes;
  // 1,514 is the largest max pods by ENI of any type in the built-in table (secondary IPs).
  const podsPerNode = number(values["pods-per-node"], "pods-per-node", 0, 1514, true);
  if (podsPerNode !== undefined) out.podsPerNode = podsPerNode;
  if (values.faults !== undefined) {
    const { FaultSettingsError, parseFaultSettings } = await import("@eni-view/sim");
    try {
      out.faults = parseFaultSettings(JSON.parse(values.faults));
    } catch (err) {
      if (err instanceof SyntaxError) throw new UsageError(`--faults is not JSON: ${err.message}`);
      if (err instanceof FaultSettingsError) throw new UsageError(`--faults: ${err.message}`);
      throw err;
    }
  }
  return out;
}
