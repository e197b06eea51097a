// Optional access control for a shared URL: one bearer token, configured by the operator, that every data
// route needs. It protects the data, not the page's static files (the bundle holds nothing about the
// cluster): a page opened without the token loads, and its data requests are refused with a message that
// says how to get in. The token is taken from, in this order: the Authorization header (scripts,
// Prometheus), the `token` query parameter (a shared link), or a cookie the server sets after a visit
// with a valid `?token=` (so the page's own fetches and EventSource, which cannot add headers, work).

import crypto from "node:crypto";
import { serverMessage } from "@eni-view/model";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SaidError } from "./saidError.ts";

export const AUTH_COOKIE = "eni_view_token";
/** Marks a browser whose page was opened with a wrong ?token=, so the page's data requests (which carry
 * no token of their own) are told the link's token is wrong rather than missing. Holds no secret. */
export const REJECTED_COOKIE = "eni_view_token_rejected";
export const AUTH_TOKEN_ENV = "ENI_VIEW_AUTH_TOKEN";

/** Probes stay open: the kubelet cannot carry a token, and they reveal nothing about the cluster. */
const openPaths = new Set(["/livez", "/readyz"]);

/** Routes whose answers are cluster data and need the token, and the page's source maps (its source
 * code, comments included). Everything else is the page's static files. */
function isProtected(path: string): boolean {
  return path === "/api" || path.startsWith("/api/") || path === "/metrics" || path.endsWith(".map");
}

/** The path a request is judged by: the pattern of the route Fastify matched ("/metrics" for "/metrics/"
 * and "/%6Detrics" alike: the router ignores trailing slashes and decodes escapes, so the raw URL cannot
 * be trusted), or, when nothing matched, the decoded URL path (an unknown /api/ path is refused like a
 * real one, so the 401 does not tell them apart). */
function judgedPath(request: FastifyRequest): string {
  const route = request.routeOptions.url;
  if (route !== undefined && route !== "") return route;
  const raw = request.url.split("?")[0] ?? "/";
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    path = raw;
  }
  return path.replace(/\/{2,}/g, "/").replace(/(.)\/$/, "$1");
}

const minLength = 16;
const maxLength = 256;

/** Checks an operator-given token: long enough not to be guessed, and only characters that travel in a
 * URL, a header and a cookie unchanged. */
export function parseAuthToken(value: string, where = "--auth-token", nth?: number): string {
  const which: Record<string, string | number> = nth === undefined ? { where } : { where, n: nth };
  if (value.length < minLength || value.length > maxLength) {
    throw new SaidError(nth === undefined ? "token.length" : "token.lengthNth", {
      ...which,
      min: minLength,
      max: maxLength,
      got: value.length,
    });
  }
  if (!/^[A-Za-z0-9._~-]+$/.test(value))
    throw new SaidError(nth === undefined ? "token.chars" : "token.charsNth", which);
  return value;
}

/** The server's access token, or several (one per team or shared link, each with its own share of the
 * live streams: routes/viewerSlots.ts). */
export type AuthTokens = string | readonly string[];

export const tokenList = (tokens: AuthTokens): readonly string[] =>
  typeof tokens === "string" ? [tokens] : tokens;

/** Several tokens given as one comma-separated value (`--auth-token a,b`, or the environment variable). */
export function parseAuthTokens(value: string, where = "--auth-token"): AuthTokens {
  const tokens = value
    .split(",")
    .map((t, i, all) => parseAuthToken(t, where, all.length > 1 ? i + 1 : undefined));
  if (new Set(tokens).size !== tokens.length) throw new SaidError("token.twice", { where });
  return tokens.length === 1 ? tokens[0]! : tokens;
}

/** Which token a request was let in with: "token N" by its place in the list (a label for logs and the
 * per-token stream limit; the token itself is never kept), or null when none is configured. */
const tokenUsed = new WeakMap<object, string>();
export function tokenLabel(request: FastifyRequest): string | null {
  return tokenUsed.get(request.raw) ?? null;
}

/** Equal in constant time: both sides are hashed first, so the comparison never depends on where they
 * differ nor on the length of the guess (timingSafeEqual needs equal lengths; digests always are). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function bearer(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m ? m[1]! : null;
}

function queryToken(request: FastifyRequest): string | null {
  const query = request.query as Record<string, unknown> | undefined;
  const t = query?.token;
  if (t === undefined) return null;
  // Given twice (?token=a&token=b) it is an array: never a match, but still taken out of the query.
  return typeof t === "string" ? t : "";
}

/** Whether a request carries the right token (header, query or cookie): the probes, open to all, give
 * their details only to such a request. */
export function carriesToken(request: FastifyRequest, tokens: AuthTokens): boolean {
  const given = [
    bearer(request.headers.authorization),
    queryToken(request),
    cookieValue(request.headers.cookie, AUTH_COOKIE),
  ];
  return given.some((g) => g !== null && matching(g, tokenList(tokens)) >= 0);
}

/** The place of `given` among the tokens, or -1; every token is compared, so the time does not tell which. */
function matching(given: string, tokens: readonly string[]): number {
  let found = -1;
  tokens.forEach((t, i) => {
    if (tokensEqual(given, t) && found < 0) found = i;
  });
  return found;
}

/** Sets one of the two cookies (the token after a visit with the right `?token=`, which lets the page's
 * own requests through, or the rejected marker). HttpOnly: page script cannot read them; SameSite=Strict: other sites cannot make the browser send it; Secure when the
 * request came over HTTPS (directly or through a proxy that says so). */
function setCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAge?: number,
): void {
  const https = request.protocol === "https" || request.headers["x-forwarded-proto"] === "https";
  const cookie = `${name}=${value}; Path=/; HttpOnly; SameSite=Strict${maxAge === undefined ? "" : `; Max-Age=${maxAge}`}${https ? "; Secure" : ""}`;
  // Fastify adds to set-cookie rather than replacing it, so each call is one more cookie.
  reply.header("set-cookie", cookie);
}

/** A 401 with the reason in English and as a key of the model's server catalogue (a page says it in its
 * language). */
function refuse(reply: FastifyReply, key: "api.tokenMissing" | "api.tokenWrong"): FastifyReply {
  const said = serverMessage(key);
  return reply
    .code(401)
    .header("www-authenticate", 'Bearer realm="eni-view"')
    .header("cache-control", "no-store")
    .send({ error: "unauthorized", message: said.text, key });
}

/** Registers the token check on every request. Call after the hook that sets the security headers, so a
 * 401 carries them too. */
export function registerAuth(app: FastifyInstance, tokens: AuthTokens): void {
  const list = tokenList(tokens);
  const place = (given: string | null) => (given === null ? -1 : matching(given, list));
  const admit = (request: FastifyRequest, i: number) => {
    tokenUsed.set(request.raw, `token ${i + 1}`);
    return undefined;
  };
  app.addHook("onRequest", async (request, reply) => {
    const path = judgedPath(request);
    if (openPaths.has(path)) return undefined;
    const fromQuery = queryToken(request);
    // The token is not one of the routes' own query parameters; they reject unknown ones.
    if (fromQuery !== null) delete (request.query as Record<string, unknown>).token;

    const fromHeader = bearer(request.headers.authorization);
    const fromCookie = cookieValue(request.headers.cookie, AUTH_COOKIE);
    const queryAt = place(fromQuery);
    const cookieAt = place(fromCookie);
    const rejected = cookieValue(request.headers.cookie, REJECTED_COOKIE) !== null;
    // A page visit with a right ?token= gets the cookie, whatever the path.
    if (queryAt >= 0 && cookieAt !== queryAt) {
      setCookie(request, reply, AUTH_COOKIE, list[queryAt]!);
      if (rejected) setCookie(request, reply, REJECTED_COOKIE, "", 0);
    }
    if (!isProtected(path)) {
      if (fromQuery !== null && queryAt < 0) setCookie(request, reply, REJECTED_COOKIE, "1", 600);
      return undefined;
    }

    const headerAt = place(fromHeader);
    if (headerAt >= 0) return admit(request, headerAt);
    if (queryAt >= 0) return admit(request, queryAt);
    if (cookieAt >= 0) return admit(request, cookieAt);
    if (fromHeader !== null || fromQuery !== null || fromCookie !== null || rejected) {
      return refuse(reply, "api.tokenWrong");
    }
    return refuse(reply, "api.tokenMissing");
  });
  // A response that sets the token cookie must never be kept by a shared cache (a proxy or CDN would
  // hand the cookie to the next visitor), nor may one holding data; the static files plugin sets its own
  // cache-control, so this runs last, on send.
  app.addHook("onSend", async (request, reply, payload) => {
    const cookies = reply.getHeader("set-cookie");
    const list = Array.isArray(cookies) ? cookies : cookies === undefined ? [] : [String(cookies)];
    if (list.some((c) => c.startsWith(`${AUTH_COOKIE}=`))) {
      reply.header("cache-control", "private, no-store");
    } else if (isProtected(judgedPath(request))) {
      // Data answered to one holder of the token is for that browser only.
      const current = String(reply.getHeader("cache-control") ?? "no-cache");
      if (!/\b(private|no-store)\b/.test(current)) reply.header("cache-control", `private, ${current}`);
    }
    return payload;
  });
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** True for a Host header naming this machine: localhost, 127.x.x.x or [::1], with any port. */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  const m = /^(\[::1\]|[^:[\]]+)(?::\d{1,5})?$/.exec(host ?? "");
  if (!m) return false;
  return m[1] === "[::1]" || isLoopback(m[1]!.toLowerCase());
}

/** For a server listening on a loopback address: answers only requests whose Host names this machine.
 * Otherwise any web page the user visits could point a host name of its own at 127.0.0.1 (DNS rebinding)
 * and read the cluster from the user's browser, token or not. */
export function registerLoopbackHostCheck(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    if (isLoopbackHostHeader(request.headers.host)) return undefined;
    return reply.code(403).send({
      error: "forbidden-host",
      message: `eni-view listens on this machine only and answers to localhost or 127.0.0.1, not "${String(request.headers.host ?? "").slice(0, 100)}"; use --host to listen on another address`,
    });
  });
}
