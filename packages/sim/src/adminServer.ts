// The admin endpoint on its own 127.0.0.1 port: GET /faults shows the fault settings, PUT /faults changes
// the fields it is given, POST /reset starts the scenario again. Plain HTTP with no token: it listens on
// loopback only and holds nothing secret. A browser may reset the simulator only from an origin the
// simulator was told about (eni-view's own page, for lab mode); any other page's request is refused.
// Every refusal says why in `error`, in the request's language (adminWords.ts), with its catalogue key.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerLanguage, ServerValues } from "@eni-view/model";
import { answerIn, requestLanguage } from "./adminWords.ts";
import type { NodeGroupChange, NodeGroupView } from "./controllers/nodeGroups.ts";
import { NodeGroupError } from "./controllers/nodeGroups.ts";
import { type FaultControl, FaultSettingsError } from "./faults.ts";
import { ScenarioError } from "./scenarios/scenario.ts";

/** How one request is answered: its status, its words in the request's language. */
interface Reply {
  lang: ServerLanguage;
  send(status: number, body: unknown): void;
  refuse(status: number, key: string, values?: ServerValues): void;
}

function replyTo(req: IncomingMessage, res: ServerResponse, language: ServerLanguage): Reply {
  const lang = requestLanguage(req.headers["accept-language"], language);
  return {
    lang,
    send: (status, body) => send(res, status, body),
    refuse: (status, key, values = {}) => send(res, status, answerIn(lang, key, values)),
  };
}

/** What the admin endpoint may do to the node groups (controllers/nodeGroups.ts). */
export interface NodeGroupControl {
  list(): NodeGroupView[];
  update(name: string, change: NodeGroupChange): NodeGroupView;
  rollingUpdate(name: string | null, force: boolean): NodeGroupView[];
}

/** What POST /reset does: the scenario again from its start (or the one named); resolves to its name. */
export interface LabControl {
  reset(scenario?: string): Promise<string>;
}

export interface AdminServer {
  url: string;
  /** Lets pages from this origin (scheme://host:port) call POST /reset. */
  allowOrigin(origin: string): void;
  close(): Promise<void>;
}

const maxBody = 64 * 1024;

export async function startAdminServer(
  faults: FaultControl,
  host = "127.0.0.1",
  nodeGroups?: NodeGroupControl,
  lab?: LabControl,
  /** The language of a request that names none (Accept-Language): the one the CLI runs in. */
  language: ServerLanguage = "en",
): Promise<AdminServer> {
  const origins = new Set<string>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://admin").pathname;
    const reply = replyTo(req, res, language);
    const routed =
      lab && path === "/reset"
        ? handleReset(lab, origins, req, res, reply)
        : nodeGroups && isNodeGroupPath(req.url)
          ? handleNodeGroups(nodeGroups, req, res, reply)
          : handle(faults, req, res, reply);
    routed.catch((err: unknown) => send(res, 500, { error: (err as Error).message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    allowOrigin: (origin) => {
      origins.add(origin);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  faults: FaultControl,
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply,
): Promise<void> {
  const path = new URL(req.url ?? "/", "http://admin").pathname;
  if (path === "/") {
    send(res, 200, {
      endpoints: {
        "/faults": "GET the fault settings; PUT a JSON object with the fields to change",
        "/nodegroups": "GET the node groups and their nodes",
        "/nodegroups/NAME":
          'PUT {"instanceType", "size", "maxPods"}: the launch configuration of new nodes, and the size',
        "/nodegroups/NAME/rolling-update":
          "POST: replace the group's outdated nodes one at a time (?force=true: every node)",
        "/rolling-update": "POST: the same for every group (kops rolling-update cluster --yes)",
        "/reset":
          'POST: the scenario again from its start, on the same URLs; {"scenario": "kops-lab"} switches',
      },
    });
    return;
  }
  if (path !== "/faults") return reply.refuse(404, "admin.notFound", { path, hint: "/faults" });
  if (req.method === "GET") {
    send(res, 200, faults.settings);
    return;
  }
  if (req.method !== "PUT") {
    res.setHeader("Allow", "GET, PUT");
    return reply.refuse(405, "admin.method", { method: req.method ?? "", path, allowed: "GET, PUT" });
  }
  const body = await readBody(req);
  if (body === null) return reply.refuse(413, "admin.tooLarge", { max: maxBody });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return reply.refuse(400, "admin.faultsNotJson");
  }
  try {
    send(res, 200, faults.update(parsed as object));
  } catch (err) {
    if (err instanceof FaultSettingsError) reply.refuse(400, err.said.key, err.said.values);
    else throw err;
  }
}

function isNodeGroupPath(url: string | undefined): boolean {
  const path = new URL(url ?? "/", "http://admin").pathname;
  return path === "/rolling-update" || path === "/nodegroups" || path.startsWith("/nodegroups/");
}

async function handleNodeGroups(
  groups: NodeGroupControl,
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://admin");
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const force = ["true", "1"].includes(url.searchParams.get("force") ?? "");
  const method = req.method ?? "GET";
  const allow = (allowed: string) => {
    res.setHeader("Allow", allowed);
    reply.refuse(405, "admin.method", { method, path: url.pathname, allowed });
  };
  try {
    if (parts[0] === "rolling-update") {
      if (method !== "POST") return allow("POST");
      return send(res, 202, groups.rollingUpdate(null, force));
    }
    if (parts.length === 1) {
      if (method !== "GET") return allow("GET");
      return send(res, 200, groups.list());
    }
    const name = parts[1] as string;
    if (parts.length === 3 && parts[2] === "rolling-update") {
      if (method !== "POST") return allow("POST");
      return send(res, 202, groups.rollingUpdate(name, force)[0]);
    }
    if (parts.length !== 2)
      return reply.refuse(404, "admin.notFound", { path: url.pathname, hint: "/nodegroups" });
    if (method === "GET") {
      const all = groups.list();
      const group = all.find((g) => g.name === name);
      if (group) return send(res, 200, group);
      return reply.refuse(404, "admin.noGroup", { name, groups: all.map((g) => g.name).join(", ") });
    }
    if (method !== "PUT") return allow("GET, PUT");
    const body = await readBody(req);
    if (body === null) return reply.refuse(413, "admin.tooLarge", { max: maxBody });
    let change: unknown;
    try {
      change = JSON.parse(body);
    } catch {
      return reply.refuse(400, "admin.groupNotJson");
    }
    if (typeof change !== "object" || change === null || Array.isArray(change))
      return reply.refuse(400, "admin.groupNotObject");
    return send(res, 200, groups.update(name, change as NodeGroupChange));
  } catch (err) {
    if (err instanceof NodeGroupError) return reply.refuse(err.status, err.said.key, err.said.values);
    throw err;
  }
}

async function handleReset(
  lab: LabControl,
  origins: ReadonlySet<string>,
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply,
): Promise<void> {
  const refusal = (status: number, key: string, values: ServerValues = {}) =>
    reply.refuse(status, `labReset.${key}`, values);
  // Browsers name the page's origin on every cross-origin request (and on a POST from any page): only
  // eni-view's own page may reset. curl sends no Origin.
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (!origins.has(origin)) return refusal(403, "forbidden", { origin: origin.slice(0, 100) });
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Vary", "Origin");
  }
  if (req.method === "OPTIONS" && origin !== undefined) {
    res.writeHead(204, {
      "Access-Control-Allow-Methods": "POST",
      "Access-Control-Allow-Headers": "content-type",
      "Access-Control-Max-Age": "600",
    });
    res.end();
    return;
  }
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    return refusal(405, "method", { method: req.method ?? "" });
  }
  const body = await readBody(req);
  if (body === null) return refusal(413, "tooLarge", { max: maxBody });
  let scenario: string | undefined;
  if (body.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return refusal(400, "notJson");
    }
    const named = (parsed as { scenario?: unknown } | null)?.scenario;
    if (typeof parsed !== "object" || parsed === null || (named !== undefined && typeof named !== "string"))
      return refusal(400, "notObject");
    scenario = named as string | undefined;
  }
  try {
    return send(res, 200, { scenario: await lab.reset(scenario) });
  } catch (err) {
    // The catalogue key beside the words, so eni-view's page says it in its language (lab mode's reset).
    if (err instanceof ScenarioError)
      return err.said
        ? reply.refuse(400, err.said.key, err.said.values ?? {})
        : send(res, 400, { error: err.message });
    throw err;
  }
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBody) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(`${JSON.stringify(body)}\n`);
}
