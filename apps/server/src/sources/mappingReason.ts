// Why an object from the Kubernetes or EC2 API (or a capture of one) cannot be read, as a form of sentence
// and its parts, beside the English message: a CLI in another language says it from its catalogue
// (captureReason.*), naming the JSON path and values as they are.

export interface MappingReason {
  form:
    | "missing"
    | "missing-got"
    | "not-object"
    | "not-kind-object"
    | "other-kind"
    | "not-reservation-type"
    | "not-cidr";
  values: Record<string, string>;
}

/** What a value is, as the reason's `got` part: its type (null, array, number, …) or, for a string, the
 * string itself, quoted and cut at 40 characters. */
export function gotOf(value: unknown): Record<string, string> {
  if (typeof value === "string") return { got: "string", text: JSON.stringify(value.slice(0, 40)) };
  return { got: value === null ? "null" : Array.isArray(value) ? "array" : typeof value, text: "" };
}
