// Errors the way the API server sends them: a v1 Status with reason and code, so kubectl prints
// `Error from server (NotFound): pods "x" not found` and clients can branch on the reason.
import type { ResourceDef } from "./resources.ts";

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: number, reason: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus() {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export function notFound(def: ResourceDef, name: string): ApiError {
  const plural = def.group === "" ? def.name : `${def.name}.${def.group}`;
  return new ApiError(404, "NotFound", `${plural} "${name}" not found`, {
    name,
    ...(def.group ? { group: def.group } : {}),
    kind: def.name,
  });
}

export function forbidden(
  def: ResourceDef,
  verb: string,
  user: string,
  namespace: string | undefined,
): ApiError {
  const scope = namespace === undefined ? "at the cluster scope" : `in the namespace "${namespace}"`;
  const plural = def.group === "" ? def.name : `${def.name}.${def.group}`;
  return new ApiError(
    403,
    "Forbidden",
    `${plural} is forbidden: User "${user}" cannot ${verb} resource "${def.name}" in API group "${def.group}" ${scope}`,
    { ...(def.group ? { group: def.group } : {}), kind: def.name },
  );
}

export function methodNotAllowed(method: string, path: string, hint?: string): ApiError {
  return new ApiError(
    405,
    "MethodNotAllowed",
    `the server does not allow this method on the requested resource (${method} ${path})${hint ? `: ${hint}` : ""}`,
  );
}

export function pathNotFound(path: string): ApiError {
  return new ApiError(404, "NotFound", `the server could not find the requested resource (${path})`);
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message);
}

export function gone(message: string): ApiError {
  return new ApiError(410, "Expired", message);
}

export function invalid(kind: string, name: string, field: string, message: string): ApiError {
  return new ApiError(422, "Invalid", `${kind} "${name}" is invalid: ${field}: ${message}`, {
    name,
    kind,
    causes: [{ reason: "FieldValueInvalid", message, field }],
  });
}

/** 422 for ListOptions, worded as the API server's field.ErrorList aggregate: one cause as is, several in
 * brackets. */
export function invalidListOptions(causes: { field: string; reason: string; message: string }[]): ApiError {
  const texts = causes.map((c) => `${c.field}: ${c.message}`);
  const list = texts.length === 1 ? texts[0] : `[${texts.join(", ")}]`;
  return new ApiError(422, "Invalid", `ListOptions.meta.k8s.io "" is invalid: ${list}`, {
    group: "meta.k8s.io",
    kind: "ListOptions",
    causes,
  });
}
