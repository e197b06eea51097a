// fieldSelector and labelSelector as the API server parses them: `a=b,c!=d` for fields; equality and
// set-based (`in`, `notin`, `key`, `!key`) for labels. Bad syntax throws SelectorError (HTTP 400).

export class SelectorError extends Error {
  readonly code = "BadRequest";
}

export type Matcher = (values: Record<string, string>) => boolean;

interface Requirement {
  key: string;
  op: "=" | "!=" | "in" | "notin" | "exists" | "!exists";
  values: string[];
}

function matches(req: Requirement, values: Record<string, string>): boolean {
  const has = Object.hasOwn(values, req.key);
  const value = values[req.key];
  switch (req.op) {
    case "=":
      return has && value === req.values[0];
    case "!=":
      return !has || value !== req.values[0];
    case "in":
      return has && req.values.includes(value as string);
    case "notin":
      return !has || !req.values.includes(value as string);
    case "exists":
      return has;
    case "!exists":
      return !has;
  }
}

/** Splits on commas outside parentheses: `app in (a,b),tier=web`. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== "");
}

function parseEquality(term: string, kind: string): Requirement | null {
  const m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
  if (!m) return null;
  const [, key, op, value] = m as unknown as [string, string, string, string];
  if (/[=!,()\s]/.test(value)) throw new SelectorError(`invalid ${kind} selector term "${term}"`);
  return { key, op: op === "!=" ? "!=" : "=", values: [value] };
}

export function parseLabelSelector(selector: string | null): Matcher {
  if (!selector) return () => true;
  const reqs = splitTerms(selector).map((term): Requirement => {
    const set = /^([^\s!=()]+)\s+(in|notin)\s+\(([^()]*)\)$/.exec(term);
    if (set) {
      const values = (set[3] as string).split(",").map((v) => v.trim());
      return { key: set[1] as string, op: set[2] as "in" | "notin", values };
    }
    const eq = parseEquality(term, "label");
    if (eq) return eq;
    const exists = /^(!?)([A-Za-z0-9][-A-Za-z0-9_./]*)$/.exec(term);
    if (exists) return { key: exists[2] as string, op: exists[1] ? "!exists" : "exists", values: [] };
    throw new SelectorError(`unable to parse requirement: invalid label selector term "${term}"`);
  });
  return (labels) => reqs.every((r) => matches(r, labels));
}

/** `supported` are the field labels the resource knows; any other is refused as the API server does. */
export function parseFieldSelector(selector: string | null, supported: ReadonlySet<string>): Matcher {
  if (!selector) return () => true;
  const reqs = splitTerms(selector).map((term) => {
    const req = parseEquality(term, "field");
    if (!req)
      throw new SelectorError(`invalid field selector term "${term}": expected key=value or key!=value`);
    if (!supported.has(req.key)) throw new SelectorError(`field label not supported: ${req.key}`);
    return req;
  });
  return (fields) => reqs.every((r) => matches(r, fields));
}

/** A LabelSelector object (matchLabels, matchExpressions) against an object's labels. */
export function labelSelectorMatches(
  // biome-ignore lint/suspicious/noExplicitAny: a LabelSelector from a client's JSON
  selector: any,
  labels: Record<string, string> | undefined,
): boolean {
  for (const [k, v] of Object.entries<string>(selector?.matchLabels ?? {}))
    if (labels?.[k] !== v) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = labels !== undefined && e.key in labels;
    const value = labels?.[e.key];
    if (e.operator === "In" && !(has && e.values?.includes(value))) return false;
    if (e.operator === "NotIn" && has && e.values?.includes(value)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}
