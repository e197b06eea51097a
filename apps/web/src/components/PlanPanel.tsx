// The Plan panel: builds a change (PlanBuilder), and once the server has planned it, says what the map
// now shows: always labelled a plan, with the moment it was planned on, the first limit hit, what the map
// marks, the new Pending pods, the EC2 calls IPAMD would make against its buckets, the time to settle,
// the subnets afterwards and where the seeds disagree. The planner's own sentences (English in the reply)
// are said in the page's language (layout/plannerWords.ts); the scheduler's messages stay verbatim.
import type { PlanReply, Range, Topology } from "@eni-view/model";
import { useTranslation } from "react-i18next";
import type { Theme } from "../draw/theme.ts";
import { formatTime } from "../i18n/format.ts";
import { reasonText } from "../layout/pendingSummary.ts";
import { plannerSentence } from "../layout/plannerWords.ts";
import { newPendingLines, seedRanges } from "../layout/planText.ts";
import type { PlanView } from "../state/viewState.ts";
import { PlanBuilder } from "./PlanBuilder.tsx";
import type { PlanState } from "./usePlan.ts";
import "./plan.css";

/** The button beside the view tabs that opens the Plan panel. */
export function PlanTabButton({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const { t } = useTranslation("plan");
  return (
    <button
      type="button"
      aria-pressed={open}
      title={t("openTitle")}
      onClick={onToggle}
      data-testid="tab-plan"
    >
      {t("open")}
    </button>
  );
}

/** Over the map while a plan is shown: which cluster it draws. */
export function PlanBanner({ view }: { view: PlanView }) {
  const { t } = useTranslation("plan");
  return (
    <div className="plan-banner" role="status" data-testid="plan-banner">
      {t(`mapLabel.${view}`)}
    </div>
  );
}

/** The title line an export of a plan starts with. */
export function usePlanTitle(): (view: PlanView, plan: string) => string {
  const { t } = useTranslation("plan");
  return (view, plan) => t(`exportTitle.${view}`, { plan });
}

function Ranged({ r }: { r: Range }) {
  const { t } = useTranslation("plan");
  return <>{r.min === r.max ? r.min : t("range", { min: r.min, max: r.max })}</>;
}

function SubnetsAfter({ reply }: { reply: PlanReply }) {
  const { t } = useTranslation("plan");
  if (reply.subnets.length === 0) return null;
  return (
    <section data-testid="plan-subnets">
      <h3>{t("subnets.title")}</h3>
      <table className="plan-table">
        <thead>
          <tr>
            <th>{t("subnets.subnet")}</th>
            <th>{t("subnets.free")}</th>
            <th>{t("subnets.blocks")}</th>
          </tr>
        </thead>
        <tbody>
          {reply.subnets.map((s) => {
            const total = Math.max(1, s.freeBefore, s.freeAfter.max);
            return (
              <tr key={s.id} className={s.runsOut ? "plan-bad" : undefined}>
                <td data-i18n-data>
                  {s.zone ? `${s.zone.slice(-2)} ` : ""}
                  {s.cidr}
                </td>
                <td>
                  <span className="bar" title={t("subnets.barTitle", { before: s.freeBefore })}>
                    <span
                      className="bar-fill"
                      style={{ width: `${Math.round((1 - s.freeAfter.min / total) * 100)}%` }}
                    />
                  </span>{" "}
                  {s.freeBefore} → <Ranged r={s.freeAfter} />
                </td>
                <td>
                  {s.freeBlocks28Before} → <Ranged r={s.freeBlocks28After} />
                  {s.error && (
                    <span className="plan-bad-word" data-i18n-data>
                      {" "}
                      {s.error}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function Ec2Budget({ reply }: { reply: PlanReply }) {
  const { t } = useTranslation("plan");
  return (
    <section data-testid="plan-ec2">
      <h3>{t("ec2.title")}</h3>
      <p className={reply.ec2.fits ? undefined : "plan-bad"}>{plannerSentence(reply.ec2.summary)}</p>
      {reply.ec2.calls.length > 0 && (
        <table className="plan-table">
          <thead>
            <tr>
              <th>{t("ec2.action")}</th>
              <th>{t("ec2.calls")}</th>
              <th>{t("ec2.bucket")}</th>
            </tr>
          </thead>
          <tbody>
            {reply.ec2.calls.map((c) => (
              <tr key={c.action} className={c.fits ? undefined : "plan-bad"}>
                <td data-i18n-data>{c.action}</td>
                <td>
                  <Ranged r={c.count} />
                </td>
                <td>
                  {t("ec2.bucketText", { size: c.bucket.size, rate: c.bucket.refillPerSecond })}
                  {!c.fits && ` · ${t("ec2.throttled", { seconds: Math.ceil(c.secondsAtRefill) })}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function PlanPanel({
  theme,
  live,
  query,
  plan,
  view,
  frozen,
  onPlan,
  onView,
  onClose,
  onPick,
}: {
  /** The map's colours: the key beside each count is the mark the map draws. */
  theme: Theme;
  /** The cluster the plan starts from (the live view, or the frozen one). */
  live: Topology | undefined;
  query: string | null;
  plan: PlanState & { refetch: () => void; fetching: boolean };
  view: PlanView;
  frozen: boolean;
  onPlan: (query: string) => void;
  onView: (view: PlanView) => void;
  onClose: () => void;
  onPick: (node: string) => void;
}) {
  const { t } = useTranslation("plan");
  const ready = plan.state === "ready" ? plan : null;
  const reply = ready?.plan.reply;
  const diff = ready?.diff;
  return (
    <aside className="tray plan-panel" aria-label={t("title")} data-testid="plan-panel">
      <header>
        <h2>{t("title")}</h2>
        <span className="plan-badge" data-testid="plan-label">
          {ready ? (frozen ? t("label.frozen") : t("label.planned")) : t("label.notLive")}
        </span>
        <button type="button" onClick={onClose} data-testid="plan-close" aria-label={t("close")}>
          ×
        </button>
      </header>
      {!frozen && live && <PlanBuilder key={query ?? ""} live={live} query={query} onPlan={onPlan} />}
      {plan.state === "loading" && (
        <p className="plan-status" role="status" data-testid="plan-loading">
          {t("loading")}
        </p>
      )}
      {plan.state === "error" && (
        <p className="plan-error" role="alert" data-testid="plan-error">
          {t("error")} <span>{plannerSentence(plan.message)}</span>{" "}
          {!frozen && (
            <button type="button" onClick={plan.refetch} disabled={plan.fetching} data-testid="plan-retry">
              {plan.fetching ? t("planning") : t("again")}
            </button>
          )}
        </p>
      )}
      {reply && diff && (
        <div className="plan-result" data-testid="plan-result">
          <p className="plan-status" data-testid="plan-when">
            {t("when", {
              planned: formatTime(reply.plannedAt),
              base: formatTime(reply.basedOn.generatedAt),
              count: reply.seeds.length,
            })}
            {!frozen && (
              <button type="button" onClick={plan.refetch} disabled={plan.fetching} data-testid="plan-again">
                {plan.fetching ? t("planning") : t("again")}
              </button>
            )}
          </p>
          <fieldset className="plan-toggle" aria-label={t("toggle")}>
            {(["before", "after"] as const).map((v) => (
              <button
                key={v}
                type="button"
                aria-pressed={view === v}
                onClick={() => onView(v)}
                data-testid={`plan-view-${v}`}
              >
                {t(`view.${v}`)}
              </button>
            ))}
          </fieldset>
          <p className={reply.firstLimit ? "plan-limit" : "plan-status"} data-testid="plan-first-limit">
            {reply.firstLimit ? <span>{plannerSentence(reply.firstLimit)}</span> : t("noLimit")}
          </p>
          <ul className="plan-marks" data-testid="plan-marks">
            <li>
              <span className="plan-key plan-key-new" style={{ borderColor: theme.planNew }} />{" "}
              {t("marks.newEnis", { count: diff.newEnis })}
            </li>
            <li>
              <span className="plan-key plan-key-new" style={{ borderColor: theme.planNew }} />{" "}
              {t("marks.newPods", { count: diff.newPods })}
            </li>
            <li>
              <span className="plan-key plan-key-moved" style={{ borderColor: theme.planMoved }} />{" "}
              {t("marks.movedPods", { count: diff.movedPods })}
            </li>
            <li>{t("marks.newPending", { count: diff.newPending.size })}</li>
            <li>
              <span className="plan-key plan-key-replaced" style={{ borderColor: theme.planReplaced }} />{" "}
              {t("marks.replaced", { count: diff.replacedNodes.length })}
            </li>
            <li>
              <span className="plan-key plan-key-new" style={{ borderColor: theme.planNew }} />{" "}
              {t("marks.added", { count: diff.addedNodes.length })}
            </li>
          </ul>
          <section>
            <h3>{t("changes")}</h3>
            <ul data-testid="plan-changes">
              {reply.changes.map((c) => (
                <li key={c.text}>
                  <span>{plannerSentence(c.text)}</span> · {t(`effect.${c.effect}`)}
                  {c.note && <span> ({plannerSentence(c.note)})</span>}
                </li>
              ))}
            </ul>
          </section>
          <NewPending reply={reply} />
          <Ec2Budget reply={reply} />
          <section data-testid="plan-settle">
            <h3>{t("settle")}</h3>
            <p>
              {/* A pool IPAMD keeps undoing has no time to settle: the sentence says "never" and why. */}
              {reply.settle.loop === undefined && (
                <>
                  {t("seconds", {
                    time:
                      reply.settle.seconds.min === reply.settle.seconds.max
                        ? reply.settle.seconds.min
                        : t("range", { min: reply.settle.seconds.min, max: reply.settle.seconds.max }),
                  })}{" "}
                  ·{" "}
                </>
              )}
              <span>{plannerSentence(reply.settle.summary)}</span>
            </p>
          </section>
          <SubnetsAfter reply={reply} />
          <SeedRanges reply={reply} onPick={onPick} />
          {reply.warnings.length > 0 && (
            <section>
              <h3>{t("warnings")}</h3>
              <ul>
                {reply.warnings.map((w) => (
                  <li key={w}>{plannerSentence(w)}</li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
    </aside>
  );
}

function NewPending({ reply }: { reply: PlanReply }) {
  const { t } = useTranslation("plan");
  const lines = newPendingLines(reply);
  return (
    <section data-testid="plan-pending">
      <h3>{t("pending.title")}</h3>
      {lines.length === 0 ? (
        <p>{t("pending.none")}</p>
      ) : (
        <ul>
          {lines.map((l) => (
            <li key={`${l.owner}|${l.reason}|${l.message}|${l.seeds}`}>
              {t("pending.line", { count: l.count, owner: l.owner, reason: reasonText(l.reason) })}
              {l.seeds < reply.seeds.length &&
                ` ${t("pending.seeds", { n: l.seeds, of: reply.seeds.length })}`}
              <div className="plan-message" data-i18n-data>
                {l.message}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SeedRanges({ reply, onPick }: { reply: PlanReply; onPick: (node: string) => void }) {
  const { t } = useTranslation("plan");
  const ranges = seedRanges(reply.nodes);
  return (
    <section data-testid="plan-seeds">
      <h3>{t("seeds.title", { count: reply.seeds.length })}</h3>
      {ranges.length === 0 ? (
        <p>{t("seeds.same")}</p>
      ) : (
        <ul>
          {ranges.slice(0, 50).map((r) => (
            <li key={r.node}>
              <button type="button" className="plan-node" onClick={() => onPick(r.node)} data-i18n-data>
                {r.node}
              </button>{" "}
              {r.figures
                .map(([what, range]) => t(`seeds.${what}`, { min: range.min, max: range.max }))
                .join(", ")}
            </li>
          ))}
          {ranges.length > 50 && <li>{t("seeds.more", { count: ranges.length - 50 })}</li>}
        </ul>
      )}
    </section>
  );
}
