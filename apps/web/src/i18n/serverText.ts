// What the server tells the page, in the page's language: its loading steps, why a live stream was refused
// or dropped, and its API errors, each sent as a key of the model's server catalogue with its values (the
// server's English text rides along for API clients). A key this page does not know (a newer server) is
// shown in the server's own words. Called while rendering, so a language switch says it again.
import {
  isServerKey,
  type LoadingState,
  loadingMessage,
  type ServerMessage,
  type ServerSay,
  type ServerValues,
  sourceErrorText,
} from "@eni-view/model";
import { ApiError } from "../api/http.ts";
import { plannerSentence } from "../layout/plannerWords.ts";
import { t } from "./i18n.ts";

const tr = t as unknown as (k: string, v?: object) => string;

/** A key of the "server" namespace; a Kubernetes resource in its values ("pods") named in the language. */
const say: ServerSay = (key, values) => {
  const r = values.resource;
  const resource = typeof r === "string" && isServerKey(`resource.${r}`) ? tr(`server:resource.${r}`) : r;
  return tr(`server:${key}`, resource === undefined ? values : { ...values, resource });
};

/** A message of the server, possibly wrapping another one as its `reason` (a refusal and why). */
export interface ServerWords extends ServerMessage {
  reason?: ServerMessage | string;
}

export function serverText(m: ServerWords): string {
  const values: ServerValues = { ...m.values };
  if (m.reason !== undefined) values.reason = typeof m.reason === "string" ? m.reason : serverText(m.reason);
  return say(m.key, values);
}

/** A timeline event's line after its kind, in the page's language (events recorded before labels existed,
 * or with a key this page lacks, keep the words they were recorded with). */
export function eventText(e: { text: string; label?: ServerMessage }): string {
  return e.label && isServerKey(e.label.key) ? serverText(e.label) : e.text;
}

/** A refusal's body (`{ error, message, key?, values? }`) in the page's language: by its catalogue key when
 * it has one this page knows, else a planner's sentence said again (a plan refused inside a Freeze), else
 * its own words; an answer without words by its HTTP status. */
export function refusalText(body: unknown, status: number): string {
  const b = body as { message?: unknown; key?: unknown; values?: unknown } | null;
  if (typeof b?.key === "string" && isServerKey(b.key))
    return serverText({ key: b.key, values: (b.values ?? {}) as ServerValues });
  if (typeof b?.message === "string") return plannerSentence(b.message);
  return `HTTP ${status}`;
}

/** Why a source is stale (SourceStatus.error) in the page's language: each reason the server wrote from
 * the model's source catalogue said again; the API's and AWS's own words inside, and a reason it does not
 * know, as written. */
export function sourceReasonText(error: string): string {
  return sourceErrorText(error, (key, values) => tr(`source:${key}`, values));
}

/** The loading line from the server's steps ("listing pods: 40,000 of 153,000") in the page's language. */
export function loadingText(loading: LoadingState): string {
  return loadingMessage(loading.steps, say);
}

/** An error to show: by the key the server sent with it, or, for the page's own failures to reach or read
 * it and the server's one fixed 500 answer, by its code; any other error in its own words. */
export function errorText(e: unknown): string {
  // The page's own shape checks name what is missing by its JSON names, which no language changes.
  if (e instanceof ApiError && e.code === "bad-answer") return say("api.badAnswer", { fields: e.detail });
  if (e instanceof ApiError && e.path !== "") {
    if (e.said) return serverText(e.said);
    const values = { path: e.path, status: e.status, error: e.detail };
    if (e.code === "unreachable") return say("api.unreachable", values);
    if (e.code === "bad-json") return say("api.badJson", values);
    if (e.code === "http") return say("api.status", values);
    if (e.code === "internal") return say("api.internal", values);
  }
  return e instanceof Error ? e.message : String(e);
}
