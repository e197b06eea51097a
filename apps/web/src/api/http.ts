// GET a JSON endpoint of the eni-view server; failures carry the server's own message (English), and
// its code, the path and the cause, from which the page says it in its language (i18n/serverText.ts).
import { isServerKey, type ServerMessage } from "@eni-view/model";

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** The endpoint asked, "" when the error is not an answer of one. */
  readonly path: string;
  /** The cause in its own words (a network error), "" when none. */
  readonly detail: string;
  /** The server's message as a key of the model's server catalogue and its values, when it sent one. */
  readonly said: ServerMessage | null;
  constructor(
    status: number,
    code: string,
    message: string,
    where: { path?: string; detail?: string; said?: ServerMessage | null } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.path = where.path ?? "";
    this.detail = where.detail ?? "";
    this.said = where.said ?? null;
  }
}

/** An answer the page cannot draw from (a server of another version, a damaged file): its English names
 * where and what is missing; `fields` (JSON names, the same in every language) lets the page say it in
 * its own. */
export function badAnswer(message: string, fields: readonly string[]): ApiError {
  return new ApiError(200, "bad-answer", message, { detail: fields.join(", ") });
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal: signal ?? null, headers: { accept: "application/json" } });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    const detail = (e as Error).message;
    throw new ApiError(0, "unreachable", `cannot reach the eni-view server (${detail})`, { path, detail });
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(
      res.status,
      "bad-json",
      `${path} answered ${res.status} with something that is not JSON`,
      { path },
    );
  }
  if (!res.ok) {
    const b = body as ({ error?: string; message?: string } & Partial<ServerMessage>) | null;
    const said =
      typeof b?.key === "string" && isServerKey(b.key) ? { key: b.key, values: b.values ?? {} } : null;
    throw new ApiError(res.status, b?.error ?? "http", `${path}: ${b?.message ?? `HTTP ${res.status}`}`, {
      path,
      said,
    });
  }
  return body as T;
}
