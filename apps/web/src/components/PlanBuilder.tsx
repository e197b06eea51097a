// Builds a plan's change from the live cluster's own names: a workload and its replicas, a node group's
// size or instance type, an aws-node setting, a roll-over, and how many seeds. The change is the plan
// query (model planQuery.ts), checked here as the server will check it, so a bad value is named at once.
import {
  formatPlanQuery,
  PLAN_QUERY_LIMITS,
  PLAN_SETTINGS,
  PlanQueryError,
  parsePlanQuery,
  type Topology,
} from "@eni-view/model";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { nodeGroupChoices, workloadChoices } from "../layout/planText.ts";

type Part = [key: string, value: string];

function partsOf(query: string | null): Part[] {
  return query ? [...new URLSearchParams(query)].map(([k, v]) => [k, v] as Part) : [];
}

function queryOf(parts: Part[]): string {
  return parts
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%(2F|3D|3A)/g, (m) => decodeURIComponent(m))}`)
    .join("&");
}

export function PlanBuilder({
  live,
  query,
  onPlan,
}: {
  live: Topology;
  /** The plan in the link, to start from. */
  query: string | null;
  onPlan: (query: string) => void;
}) {
  const { t } = useTranslation("plan");
  const workloads = useMemo(() => workloadChoices(live), [live]);
  const groups = useMemo(() => nodeGroupChoices(live), [live]);
  const [parts, setParts] = useState<Part[]>(() => partsOf(query));
  // The replicas a workload is planned at already, else 10 more than it has.
  const replicasFor = (ref: string) =>
    parts.find(([k, v]) => k === "scale" && v.startsWith(`${ref}=`))?.[1].slice(ref.length + 1) ??
    String((workloads.find((w) => w.ref === ref)?.pods ?? 0) + 10);
  const [workload, setWorkload] = useState(() => {
    const scaled = parts.find(([k]) => k === "scale")?.[1];
    return scaled ? scaled.slice(0, scaled.lastIndexOf("=")) : (workloads[0]?.ref ?? "");
  });
  const [replicas, setReplicas] = useState(() => replicasFor(workload));
  const [group, setGroup] = useState(groups[0]?.name ?? "");
  const picked = groups.find((g) => g.name === group);
  const [size, setSize] = useState(String(picked?.nodes ?? 0));
  const [type, setType] = useState(picked?.types[0] ?? "");
  const [setting, setSetting] = useState<string>(PLAN_SETTINGS[0]);
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);

  const add = (...more: Part[]) => {
    const next = [
      ...parts.filter(([k, v]) => !more.some(([mk, mv]) => mk === k && sameTarget(k, v, mv))),
      ...more,
    ];
    try {
      if (next.length > 0) parsePlanQuery(queryOf(next));
      setParts(next);
      setError(null);
    } catch (e) {
      setError(e instanceof PlanQueryError ? e.message : (e as Error).message);
    }
  };
  const seeds = Number(parts.find(([k]) => k === "seeds")?.[1] ?? 5);
  const roll = parts.some(([k]) => k === "roll");
  const changes = parts.filter(([k]) => k !== "seeds" && k !== "roll");

  const plan = () => {
    try {
      onPlan(formatPlanQuery(parsePlanQuery(queryOf(parts))));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="plan-builder" data-testid="plan-builder">
      <div className="plan-row">
        <label>
          {t("builder.workload")}
          <select
            value={workload}
            onChange={(e) => {
              setWorkload(e.target.value);
              setReplicas(replicasFor(e.target.value));
            }}
            data-testid="plan-workload"
          >
            {workloads.map((w) => (
              <option key={w.ref} value={w.ref}>
                {t("builder.workloadOption", { name: w.label, count: w.pods })}
              </option>
            ))}
          </select>
        </label>
        <Field
          label={t("builder.replicas")}
          value={replicas}
          onChange={setReplicas}
          max={PLAN_QUERY_LIMITS.replicas}
          testid="plan-replicas"
        />
        <button
          type="button"
          disabled={!workload}
          onClick={() => add(["scale", `${workload}=${replicas.trim()}`])}
          data-testid="plan-add-scale"
        >
          {t("builder.add")}
        </button>
      </div>
      <div className="plan-row">
        <label>
          {t("builder.nodeGroup")}
          <select
            value={group}
            onChange={(e) => {
              const g = groups.find((x) => x.name === e.target.value);
              setGroup(e.target.value);
              setSize(String(g?.nodes ?? 0));
              setType(g?.types[0] ?? "");
            }}
            data-testid="plan-group"
          >
            {groups.map((g) => (
              <option key={g.name} value={g.name}>
                {t("builder.groupOption", { name: g.name, count: g.nodes, types: g.types.join(", ") })}
              </option>
            ))}
          </select>
        </label>
        <Field
          label={t("builder.size")}
          value={size}
          onChange={setSize}
          max={PLAN_QUERY_LIMITS.nodes}
          testid="plan-size"
        />
        <Field
          label={t("builder.instanceType")}
          value={type}
          onChange={(v) => setType(v.trim())}
          size={12}
          testid="plan-type"
        />
        <button
          type="button"
          disabled={!picked}
          onClick={() => {
            if (!picked) return;
            const more: Part[] = [];
            const n = Number(size);
            if (!Number.isInteger(n) || n < 0) {
              setError(t("builder.badSize", { size }));
              return;
            }
            if (n > picked.nodes) more.push(["add", `${group}=${n - picked.nodes}`]);
            if (n < picked.nodes) more.push(["remove", `${group}=${picked.nodes - n}`]);
            if (type && type !== picked.types[0]) more.push(["type", `${group}=${type}`]);
            if (more.length === 0) setError(t("builder.sameGroup", { group }));
            else add(...more);
          }}
          data-testid="plan-add-nodes"
        >
          {t("builder.add")}
        </button>
      </div>
      <div className="plan-row">
        <label>
          {t("builder.setting")}
          <select value={setting} onChange={(e) => setSetting(e.target.value)} data-testid="plan-setting">
            {PLAN_SETTINGS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <Field label={t("builder.value")} value={value} onChange={setValue} size={8} testid="plan-value" />
        <button
          type="button"
          onClick={() => add(["set", `${setting}=${value.trim()}`])}
          data-testid="plan-add-set"
        >
          {t("builder.add")}
        </button>
      </div>
      <div className="plan-row">
        <label>
          <input
            type="checkbox"
            checked={roll}
            onChange={(e) =>
              setParts(e.target.checked ? [...parts, ["roll", "*"]] : parts.filter(([k]) => k !== "roll"))
            }
            data-testid="plan-roll"
          />
          {t("builder.roll")}
        </label>
        <Field
          label={t("builder.seeds")}
          value={seeds}
          onChange={(v) => setParts([...parts.filter(([k]) => k !== "seeds"), ["seeds", v]])}
          min={1}
          max={PLAN_QUERY_LIMITS.seeds}
          testid="plan-seeds"
        />
      </div>
      {changes.length > 0 && (
        <ul className="plan-parts" data-testid="plan-parts">
          {changes.map(([k, v]) => (
            <li key={`${k}=${v}`}>
              <code data-i18n-data>
                {k} {v}
              </code>
              {/* Its label names the change as typed: cluster data for the language check. */}
              <button
                type="button"
                data-i18n-data
                aria-label={t("builder.remove", { change: `${k} ${v}` })}
                onClick={() => setParts(parts.filter(([pk, pv]) => !(pk === k && pv === v)))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="plan-error" role="alert" data-testid="plan-builder-error" data-i18n-data>
          {error}
        </p>
      )}
      <button
        type="button"
        className="plan-go"
        disabled={changes.length === 0}
        onClick={plan}
        data-testid="plan-go"
      >
        {t("builder.plan")}
      </button>
    </div>
  );
}

/** A labelled input: a count when `max` is given, else text. */
function Field({
  label,
  value,
  onChange,
  max,
  min = 0,
  size,
  testid,
}: {
  label: string;
  value: string | number;
  onChange: (value: string) => void;
  max?: number;
  min?: number;
  size?: number;
  testid: string;
}) {
  return (
    <label>
      {label}
      <input
        {...(max === undefined ? { size } : { type: "number", min, max })}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testid}
      />
    </label>
  );
}

/** Two parts of one key that a new one replaces: the same workload, group or setting. */
function sameTarget(key: string, a: string, b: string): boolean {
  const target = (v: string) => (key === "set" ? v.slice(0, v.indexOf("=")) : v.slice(0, v.lastIndexOf("=")));
  return target(a) === target(b);
}
