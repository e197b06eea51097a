// Lab mode: a walk through one lab of the domain page, step by step. Each step shows the command to type
// (with the simulator's KUBECONFIG line), what the map lights, and why, with the formula filled in from
// the cluster; the step moves on by itself when the cluster gets there (useLabRun).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import "./lab.css";
import { labs } from "../lab/labs.ts";
import type { Msg, SimulatorInfo } from "../lab/labTypes.ts";
import type { StepState } from "../lab/stepEngine.ts";
import type { LabRun } from "./useLabRun.ts";

export type Translate = (key: Msg["key"], values?: Msg["values"]) => string;

export function useLabText(): Translate {
  const { t } = useTranslation("lab");
  return (key, values) => t(key, values ?? {}) as string;
}

function StateLine({ state, text }: { state: StepState; text: Translate }) {
  return (
    <div
      className={`lab-state lab-state-${state.kind}`}
      data-testid="lab-state"
      data-state={state.kind}
      role="status"
    >
      <span>{text(`panel.state.${state.kind}`)}</span>
      {state.kind === "other" && (
        <span data-testid="lab-other"> {text(state.why.key, state.why.values)}</span>
      )}
    </div>
  );
}

function Commands({ run, copy, text }: { run: LabRun; copy: (s: string) => Promise<void>; text: Translate }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const lines = run.view.commands;
  return (
    <div className="lab-commands">
      <ol className="lab-lines" data-testid="lab-commands">
        {lines.map((c) => (
          <li key={c.text}>
            <code data-i18n-data="" data-testid="lab-command">
              {c.text}
            </code>
            {c.note && <span className="lab-line-note">{text(c.note.key, c.note.values)}</span>}
          </li>
        ))}
      </ol>
      <button
        type="button"
        data-testid="lab-copy"
        onClick={() => {
          copy(lines.map((c) => c.text).join("\n")).then(
            () => setCopied("yes"),
            () => setCopied("failed"),
          );
        }}
      >
        {copied === "yes" ? text("panel.copied") : text("panel.copy")}
      </button>
      {copied === "failed" && <span className="lab-copy-failed">{text("panel.copyFailed")}</span>}
    </div>
  );
}

function ResetButton({ onReset, text }: { onReset: () => Promise<string>; text: Translate }) {
  const [status, setStatus] = useState<{ kind: "busy" | "done" | "failed"; detail: string } | null>(null);
  return (
    <>
      <button
        type="button"
        className="lab-reset"
        disabled={status?.kind === "busy"}
        data-testid="lab-reset"
        onClick={() => {
          setStatus({ kind: "busy", detail: "" });
          onReset().then(
            (scenario) => setStatus({ kind: "done", detail: scenario }),
            (e: Error) => setStatus({ kind: "failed", detail: e.message }),
          );
        }}
      >
        {status?.kind === "busy" ? text("panel.resetting") : text("panel.reset")}
      </button>
      {status && status.kind !== "busy" && (
        <span className="lab-reset-status" data-testid="lab-reset-status" role="status">
          {status.kind === "done"
            ? text("panel.resetDone", { scenario: status.detail })
            : text("panel.resetFailed", { error: status.detail })}
        </span>
      )}
    </>
  );
}

/** What the step lights, counted as the map and the tray show it: only the kinds it lights, each in
 * its plural, joined as the page's language lists things. */
function litSentence(run: LabRun, text: Translate, language: string): string {
  const parts = (
    [
      ["panel.litNodes", run.lit.touched.size],
      ["panel.litEnis", run.lit.enis.size],
      ["panel.litCells", run.lit.pods.size + run.lit.ips.size],
      ["panel.litPending", run.lit.pending.size],
    ] as const
  )
    .filter(([, count]) => count > 0)
    .map(([key, count]) => text(key, { count }));
  if (parts.length === 0) return text("panel.litNone");
  return text("panel.lit", { parts: new Intl.ListFormat(language, { type: "conjunction" }).format(parts) });
}

export function LabPanel({
  run,
  simulator,
  live,
  copy,
  onPick,
  onStep,
  onClose,
  onShowNodes,
  onReset,
}: {
  run: LabRun;
  /** The simulator the server runs; null on a real cluster (lab mode only watches); undefined until known. */
  simulator: SimulatorInfo | null | undefined;
  live: boolean;
  copy: (text: string) => Promise<void>;
  onPick: (lab: string) => void;
  onStep: (step: number) => void;
  onClose: () => void;
  onShowNodes: (nodes: string[]) => void;
  /** Starts the lab's scenario again on the simulator; resolves to the scenario it runs. */
  onReset: () => Promise<string>;
}) {
  const text = useLabText();
  const { i18n } = useTranslation();
  const { lab, step, view } = run;
  const touched = [...run.lit.touched];
  return (
    <aside
      className="lab"
      data-testid="lab-panel"
      data-lab={lab.id}
      data-step={step}
      aria-label={text("panel.title")}
    >
      <div className="lab-head">
        <h2>{text("panel.title")}</h2>
        <label>
          {text("panel.choose")}
          <select value={lab.id} onChange={(e) => onPick(e.target.value)} data-testid="lab-select">
            {labs.map((l) => (
              <option key={l.id} value={l.id}>
                {text(l.title.key)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={onClose} aria-label={text("panel.close")} data-testid="lab-close">
          ×
        </button>
      </div>
      <p className="lab-intro">{text(lab.intro.key)}</p>
      {!live && <p className="lab-note">{text("panel.capture")}</p>}
      {live && simulator === null && (
        <p className="lab-note" data-testid="lab-read-only">
          {text("panel.readOnly")}
        </p>
      )}
      {live && simulator && simulator.scenario !== lab.scenario && (
        <p className="lab-note" data-testid="lab-scenario">
          {text("panel.otherScenario", { scenario: lab.scenario, running: simulator.scenario })}
        </p>
      )}
      <ol className="lab-steps">
        {lab.steps.map((s, i) => (
          <li key={s.id} className={i + 1 === step ? "current" : i + 1 < step ? "past" : ""}>
            <button
              type="button"
              onClick={() => onStep(i + 1)}
              aria-current={i + 1 === step ? "step" : undefined}
            >
              {text(s.title.key, s.title.values)}
            </button>
          </li>
        ))}
      </ol>
      <section className="lab-step" data-testid="lab-step">
        <h3>
          <span className="lab-step-n">{text("panel.step", { n: step, total: lab.steps.length })}</span>{" "}
          <span data-testid="lab-step-title">{text(run.current.title.key, run.current.title.values)}</span>
        </h3>
        {run.done ? (
          <p className="lab-state lab-state-reached" data-testid="lab-done" role="status">
            {text("panel.done")}
          </p>
        ) : (
          <StateLine state={run.state} text={text} />
        )}
        <h4>{text("panel.do")}</h4>
        <Commands run={run} copy={copy} text={text} />
        <h4>{text("panel.look")}</h4>
        <p data-testid="lab-look">{text(view.lookFor.key, view.lookFor.values)}</p>
        <p className="lab-lit" data-testid="lab-lit">
          {litSentence(run, text, i18n.language)}
          {touched.length > 0 && (
            <button
              type="button"
              className="lab-show"
              onClick={() => onShowNodes(touched)}
              data-testid="lab-show"
            >
              {text("panel.showNodes")}
            </button>
          )}
        </p>
        <h4>{text("panel.why")}</h4>
        {view.why.map((m) => (
          <p key={`${m.key}:${JSON.stringify(m.values ?? {})}`} className="lab-why" data-testid="lab-why">
            {text(m.key, m.values)}
          </p>
        ))}
        <div className="lab-nav">
          {live && simulator && <ResetButton onReset={onReset} text={text} />}
          <button type="button" disabled={step <= 1} onClick={() => onStep(step - 1)} data-testid="lab-back">
            {text("panel.back")}
          </button>
          <button
            type="button"
            disabled={step >= lab.steps.length}
            onClick={() => onStep(step + 1)}
            data-testid="lab-next"
          >
            {text("panel.next")}
          </button>
        </div>
      </section>
    </aside>
  );
}
