// The Lab button and the list of labs it opens: every lab with a line on what it shows, the ones written
// for the simulator's running scenario marked and focused first, and for the others the scenario they need
// and the command that starts it. A modal <dialog>: Escape closes it, Tab stays in it, focus goes back to
// the button.
import { isServerKey } from "@eni-view/model";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import "./labChooser.css";
import { labQuery } from "../api/lab.ts";
import { errorText, serverText } from "../i18n/serverText.ts";
import { labFit, suggestedLabs } from "../lab/labChoice.ts";
import { labs } from "../lab/labs.ts";
import type { Lab, SimulatorInfo } from "../lab/labTypes.ts";
import { type Translate, useLabText } from "./LabPanel.tsx";

function Standing({
  sim,
  error,
  text,
}: {
  sim: SimulatorInfo | null | undefined;
  error: Error | null;
  text: Translate;
}) {
  if (error) return <p className="lab-note">{text("chooser.failed", { error: errorText(error) })}</p>;
  if (sim === undefined) return <p className="lab-chooser-standing">{text("chooser.loading")}</p>;
  if (sim === null)
    return (
      <p className="lab-note" data-testid="lab-chooser-read-only">
        {text("chooser.realCluster")}
      </p>
    );
  const suggested = suggestedLabs(labs, sim);
  return (
    <p className="lab-chooser-standing" data-testid="lab-chooser-standing">
      {text("chooser.running", { scenario: sim.scenario })}{" "}
      {suggested.length > 0
        ? text("chooser.suggested", { labs: suggested.map((l) => text(l.title.key)).join(", ") })
        : text("chooser.noneFits")}
      {/* A built-in scenario's description, in the page's language (a scenario file's is not sent). */}
      {isServerKey(`scenario.about.${sim.scenario}`) && (
        <span className="lab-chooser-scenario" data-testid="lab-chooser-scenario">
          {" "}
          {serverText({ key: `scenario.about.${sim.scenario}` })}
        </span>
      )}
    </p>
  );
}

function Choice({
  lab,
  sim,
  current,
  onPick,
  text,
}: {
  lab: Lab;
  sim: SimulatorInfo | null | undefined;
  current: boolean;
  onPick: () => void;
  text: Translate;
}) {
  const fit = labFit(lab, sim);
  const about = `lab-choice-about-${lab.id}`;
  return (
    <li className={`lab-choice${fit.kind === "fits" ? " fits" : ""}`} data-fit={fit.kind}>
      <button
        type="button"
        data-testid="lab-choice"
        data-lab={lab.id}
        aria-current={current ? "true" : undefined}
        aria-describedby={about}
        onClick={onPick}
      >
        {text(lab.title.key)}
      </button>
      {fit.kind === "fits" && <span className="lab-choice-fits">{text("chooser.fits")}</span>}
      {current && <span className="lab-choice-current">{text("chooser.current")}</span>}
      <div id={about}>
        <p className="lab-choice-summary">{text(lab.summary.key)}</p>
        {(fit.kind === "switch" || fit.kind === "watch") && (
          <p className="lab-choice-needs" data-testid="lab-choice-needs">
            {fit.kind === "switch"
              ? text("chooser.switch", { scenario: fit.scenario })
              : text("chooser.watch")}{" "}
            <code data-i18n-data="">{fit.command}</code>
          </p>
        )}
      </div>
    </li>
  );
}

export function LabChooser({ current, onPick }: { current: string | null; onPick: (lab: string) => void }) {
  const text = useLabText();
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const simulator = useQuery({ ...labQuery, enabled: open });
  const sim = simulator.isSuccess ? simulator.data : undefined;

  // Focus the lab that fits the running simulator (else the open one, else the first) once it is known.
  const focusId = suggestedLabs(labs, sim)[0]?.id ?? current ?? labs[0]?.id;
  useEffect(() => {
    if (!open) return;
    dialog.current?.querySelector<HTMLButtonElement>(`[data-lab="${focusId}"]`)?.focus();
  }, [open, focusId]);

  // The dialog opens and closes in the event handlers themselves, not after a render: a close event still
  // on its way from an Escape must not undo an opening that came after it (a fast Escape, then Enter).
  const show = () => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    setOpen(true);
  };
  const close = () => {
    dialog.current?.close();
    setOpen(false);
    button.current?.focus();
  };
  return (
    <>
      <button
        ref={button}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-pressed={current !== null}
        onClick={show}
        data-testid="lab-toggle"
      >
        {text("panel.open")}
      </button>
      <dialog
        ref={dialog}
        className="lab-chooser"
        aria-labelledby="lab-chooser-title"
        data-testid="lab-chooser"
        onClose={() => {
          if (!dialog.current?.open) setOpen(false);
        }}
      >
        {open && (
          <>
            <div className="lab-head">
              <h2 id="lab-chooser-title">{text("chooser.title")}</h2>
              <button
                type="button"
                onClick={close}
                aria-label={text("chooser.close")}
                data-testid="lab-chooser-close"
              >
                ×
              </button>
            </div>
            <p className="lab-intro">{text("chooser.intro")}</p>
            <Standing sim={sim} error={simulator.error} text={text} />
            <ul className="lab-choices">
              {labs.map((l) => (
                <Choice
                  key={l.id}
                  lab={l}
                  sim={sim}
                  current={current === l.id}
                  text={text}
                  onPick={() => {
                    // The open lab stays at its step; another starts at its first.
                    if (current !== l.id) onPick(l.id);
                    close();
                  }}
                />
              ))}
            </ul>
          </>
        )}
      </dialog>
    </>
  );
}
