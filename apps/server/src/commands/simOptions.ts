// The simulator's options, the same for `sim`, `start` and `serve --source sim`, so one command runs any
// scenario at any size.
import type { StartSimOptions } from "@eni-view/sim";
import { cliLanguageNow, saidText, t } from "../i18n/cliText.ts";
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
  const names = scenarios ? scenarios.join(", ") : t("options.simScenarioUnnamed");
  return t("options.sim", { scenarios: names });
}

function number(value: string | undefined, flag: string, min: number, max: number, whole: boolean) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < min || n > max) {
    throw new UsageError(
      t(whole ? "sim.errors.wholeNumber" : "sim.errors.number", { flag, min, max, value }),
    );
  }
  return n;
}

/** The options for startSim, checked; bad values are usage errors naming the flag. */
export async function simSettings(values: SimOptionValues): Promise<StartSimOptions> {
  // The admin endpoint answers curl in the CLI's language unless a request asks for another.
  const out: StartSimOptions = { language: cliLanguageNow() };
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
      if (err instanceof SyntaxError)
        throw new UsageError(t("sim.errors.faultsJson", { error: err.message }));
      if (err instanceof FaultSettingsError)
        throw new UsageError(t("sim.errors.faults", { error: saidText(err) }));
      throw err;
    }
  }
  return out;
}
