// Validation of created and updated objects with the API server's field paths and wording
// (k8s.io/kubernetes pkg/apis/*/validation), answered as 422 Invalid:
// `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
import type { ResourceDef } from "./resources.ts";
import { labelSelectorMatches } from "./selectors.ts";
import { ApiError } from "./status.ts";
import type { KubeObject } from "./types.ts";

// biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended JSON
type Json = any;

export interface FieldError {
  field: string;
  type: "FieldValueInvalid" | "FieldValueRequired" | "FieldValueForbidden";
  text: string;
}

const required = (field: string): FieldError => ({
  field,
  type: "FieldValueRequired",
  text: "Required value",
});
const invalidValue = (field: string, value: string, why: string): FieldError => ({
  field,
  type: "FieldValueInvalid",
  text: `Invalid value: ${value}: ${why}`,
});

/** Go's %#v of a value, as field errors print it. */
function goString(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

function goStringMap(m: Record<string, string> | undefined): string {
  if (!m) return "map[string]string(nil)";
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`);
  return `map[string]string{${entries.join(", ")}}`;
}

function goLabelSelector(s: Json): string {
  const exprs = s?.matchExpressions?.length
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map(
          (e: Json) =>
            `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:[]string{${(e.values ?? []).map((v: string) => JSON.stringify(v)).join(", ")}}}`,
        )
        .join(", ")}}`
    : "[]v1.LabelSelectorRequirement(nil)";
  return `v1.LabelSelector{MatchLabels:${goStringMap(s?.matchLabels)}, MatchExpressions:${exprs}}`;
}

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const label1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const subdomainText =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const label1123Text =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const label1035Text =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

function nameErrors(resource: string, name: string | undefined): FieldError[] {
  if (!name)
    return [
      {
        field: "metadata.name",
        type: "FieldValueRequired",
        text: "Required value: name or generateName is required",
      },
    ];
  const [re, text, max] =
    resource === "namespaces"
      ? [label1123, label1123Text, 63]
      : resource === "services"
        ? [label1035, label1035Text, 63]
        : [subdomain, subdomainText, 253];
  if (name.length > max)
    return [invalidValue("metadata.name", goString(name), `must be no more than ${max} characters`)];
  return re.test(name) ? [] : [invalidValue("metadata.name", goString(name), text)];
}

function podSpecErrors(spec: Json, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const containers = spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) return [required(`${path}.containers`)];
  containers.forEach((c: Json, i: number) => {
    const at = `${path}.containers[${i}]`;
    if (!c?.name) errs.push(required(`${at}.name`));
    if (!c?.image) errs.push(required(`${at}.image`));
  });
  return errs;
}

function workloadErrors(obj: KubeObject, old: KubeObject | undefined, withReplicas: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj.spec ?? {};
  if (withReplicas && typeof spec.replicas === "number" && spec.replicas < 0) {
    errs.push(invalidValue("spec.replicas", String(spec.replicas), "must be greater than or equal to 0"));
  }
  if (!spec.selector) errs.push(required("spec.selector"));
  else if (
    Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions?.length ?? 0) ===
    0
  ) {
    errs.push(
      invalidValue(
        "spec.selector",
        goLabelSelector(spec.selector),
        "empty selector is invalid for deployment",
      ),
    );
  }
  const labels = spec.template?.metadata?.labels;
  if (spec.selector && !labelSelectorMatches(spec.selector, labels)) {
    errs.push(
      invalidValue(
        "spec.template.metadata.labels",
        goStringMap(labels),
        "`selector` does not match template `labels`",
      ),
    );
  }
  errs.push(...podSpecErrors(spec.template?.spec, "spec.template.spec"));
  if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(spec.selector)) {
    errs.push(invalidValue("spec.selector", goLabelSelector(spec.selector), "field is immutable"));
  }
  return errs;
}

function serviceErrors(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const ports = obj.spec?.ports;
  if (
    obj.spec?.type !== "ExternalName" &&
    obj.spec?.clusterIP !== "None" &&
    (!Array.isArray(ports) || ports.length === 0)
  ) {
    errs.push(required("spec.ports"));
  }
  for (const [i, p] of (Array.isArray(ports) ? ports : []).entries()) {
    if (typeof p?.port !== "number" || p.port < 1 || p.port > 65535) {
      errs.push(
        invalidValue(
          `spec.ports[${i}].port`,
          goString(p?.port ?? 0),
          "must be between 1 and 65535, inclusive",
        ),
      );
    }
  }
  if (old?.spec?.clusterIP && obj.spec?.clusterIP && old.spec.clusterIP !== obj.spec.clusterIP) {
    errs.push(
      invalidValue(
        "spec.clusterIPs[0]",
        `[]string{${JSON.stringify(obj.spec.clusterIP)}}`,
        "may not change once set",
      ),
    );
  }
  return errs;
}

/** Fields a pod update may change (everything else in spec is immutable once the pod exists). */
function podUpdateErrors(obj: KubeObject, old: KubeObject): FieldError[] {
  const strip = (spec: Json) => {
    const copy = structuredClone(spec ?? {});
    for (const c of [...(copy.containers ?? []), ...(copy.initContainers ?? [])]) delete c.image;
    delete copy.activeDeadlineSeconds;
    delete copy.tolerations;
    delete copy.terminationGracePeriodSeconds;
    return JSON.stringify(copy);
  };
  if (strip(obj.spec) === strip(old.spec)) return [];
  return [
    {
      field: "spec",
      type: "FieldValueForbidden",
      text: "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    },
  ];
}

/** pkg/apis/coordination/validation: a lease lasts a positive time and its transitions never go below 0. */
function leaseErrors(obj: KubeObject): FieldError[] {
  const spec = (obj as Json).spec ?? {};
  const errs: FieldError[] = [];
  const duration = spec.leaseDurationSeconds;
  if (duration !== undefined && duration !== null && !(duration > 0))
    errs.push(invalidValue("spec.leaseDurationSeconds", goString(duration), "must be greater than 0"));
  const transitions = spec.leaseTransitions;
  if (transitions !== undefined && transitions !== null && !(transitions >= 0))
    errs.push(
      invalidValue("spec.leaseTransitions", goString(transitions), "must be greater than or equal to 0"),
    );
  return errs;
}

export function validationErrors(def: ResourceDef, obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old ? [] : nameErrors(def.name, obj.metadata?.name);
  switch (def.name) {
    case "deployments":
      return [...errs, ...workloadErrors(obj, old, true)];
    case "daemonsets":
      return [...errs, ...workloadErrors(obj, old, false)];
    case "pods":
      return [...errs, ...(old ? podUpdateErrors(obj, old) : podSpecErrors(obj.spec, "spec"))];
    case "services":
      return [...errs, ...serviceErrors(obj, old)];
    case "leases":
      return [...errs, ...leaseErrors(obj)];
    default:
      return errs;
  }
}

/** The 422 the API server answers: one error inline, several in brackets. */
export function invalidError(def: ResourceDef, name: string, errs: FieldError[]): ApiError {
  const kind = def.group === "" ? def.kind : `${def.kind}.${def.group}`;
  const texts = errs.map((e) => `${e.field}: ${e.text}`);
  const detail = texts.length === 1 ? texts[0] : `[${texts.join(", ")}]`;
  return new ApiError(422, "Invalid", `${kind} "${name}" is invalid: ${detail}`, {
    name,
    ...(def.group ? { group: def.group } : {}),
    kind: def.kind,
    causes: errs.map((e) => ({ reason: e.type, message: e.text, field: e.field })),
  });
}
