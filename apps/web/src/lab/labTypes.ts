// The shapes of a lab: its steps, what each asks the user to type, what the map lights and why, and the
// state of the cluster the step expects. Texts are message keys of the `lab` translations with their
// values, so the same step reads in English and Korean with the cluster's own numbers.
import type { Report } from "@eni-view/model";
import type { ParseKeys } from "i18next";

/** A key of the `lab` translations (apps/web/src/i18n/lab.en.json): a key missing there does not compile. */
export type LabKey = ParseKeys<"lab">;

/** A message of the `lab` translations and the values it is filled with. */
export interface Msg {
  key: LabKey;
  values?: Record<string, string | number>;
}

/** What the page knows of the simulator it runs on (GET /api/lab); null on a real cluster or a capture. */
export interface SimulatorInfo {
  kubeconfig: string;
  ec2Url: string;
  adminUrl: string;
  region: string;
  scenario: string;
}

export interface LabEnv {
  sim: SimulatorInfo | null;
}

/** One line to type, with what it does beside it. */
export interface Command {
  text: string;
  note?: Msg;
}

/** What the map and the Pending tray light for a step: nodes (every cell), ENIs (their addresses), single
 * IPs and pods by key, and Pending pods by key. */
export interface Highlight {
  nodes: string[];
  enis: string[];
  ips: string[];
  pods: string[];
  pending: string[];
}

/** A step's expectation checked on one topology. */
export interface Observation {
  /** Nothing is still on its way (pods starting, ENIs attaching, nodes draining). */
  settled: boolean;
  /** The state in a few figures; a change tells that the user did something since the step opened. */
  fingerprint: string;
  /** The cluster is in the state the step expects. */
  reached: boolean;
  /** When settled elsewhere: what the cluster did instead and why. */
  other: Msg | null;
}

export interface StepView {
  /** The lines to type; stepView puts the simulator's KUBECONFIG line before them. */
  commands: Command[];
  lookFor: Msg;
  highlight: Highlight;
  /** Two or three sentences, the formula filled in with the cluster's numbers. */
  why: Msg[];
}

export interface LabStep {
  id: string;
  title: Msg;
  view(topo: Report, env: LabEnv): StepView;
  /** Absent for a step that only reads (describe, get): the user moves on with "Next". */
  observe?: (topo: Report) => Observation;
}

export interface Lab {
  id: string;
  /** The simulator scenario the lab is written for (npx eni-view start --scenario ...). */
  scenario: string;
  title: Msg;
  /** One line for the lab chooser. */
  summary: Msg;
  intro: Msg;
  steps: LabStep[];
}

export const noHighlight: Highlight = { nodes: [], enis: [], ips: [], pods: [], pending: [] };

/** A highlight naming only what it lights. */
export function lit(h: Partial<Highlight>): Highlight {
  return { ...noHighlight, ...h };
}
