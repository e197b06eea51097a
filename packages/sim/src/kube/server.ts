// The simulated Kubernetes API server: HTTPS with a bearer token, discovery, list/watch/get for the
// served resources, the deployments' scale subresource and pod deletion. Anything else gets a
// Kubernetes Status error (404, 405 ...), never a crash.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { FaultControl } from "../faults.ts";
import type { SimCertificates } from "../tls.ts";
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, versionInfo } from "./discovery.ts";
import { managerName } from "./fieldManagers.ts";
import { objectJson } from "./json.ts";
import { listPage } from "./list.ts";
import { patchNode } from "./nodePatch.ts";
import { openApiV2Document, openApiV3Document, openApiV3Index } from "./openapi/documents.ts";
import { openApiV2Protobuf } from "./openapi/protobufV2.ts";
import { evictPod } from "./podDeletion.ts";
import { parseListQuery, validateStreamingOptions } from "./query.ts";
import { groupVersion, servedWith } from "./resources.ts";
import { resolveRoute } from "./routes.ts";
import { getScale, updateScale } from "./scale.ts";
import { ApiError, badRequest, forbidden, methodNotAllowed, notFound, pathNotFound } from "./status.ts";
import type { ObjectStore } from "./store.ts";
import { toTable } from "./table.ts";
import type { KubeObject } from "./types.ts";
import { type OpenWatch, startWatch } from "./watch.ts";
import { createObject, deleteObject, patchObject, replaceObject, type WriteResult } from "./writes.ts";

export interface KubeApiServerOptions {
  store: ObjectStore;
  faults: FaultControl;
  certs: SimCertificates;
  token: string;
  host?: string;
  /** 0 (the default) picks a free port; a reset serves the new cluster on the old one. */
  port?: number;
  /** The user name in 403 messages. */
  user?: string;
  bookmarkIntervalMs?: number;
  watchTimeoutMs?: number;
  /** Custom resources whose CRD the scenario installs ("eniconfigs", "cninodes"); others answer 404. Read at
   * each request. */
  crds?: readonly string[];
}

export interface KubeApiServer {
  url: string;
  close(): Promise<void>;
}

const maxBody = 1024 * 1024;

export async function startKubeApiServer(options: KubeApiServerOptions): Promise<KubeApiServer> {
  const { store, faults } = options;
  const host = options.host ?? "127.0.0.1";
  const user = options.user ?? "eni-view";
  const watches = new Set<OpenWatch>();
  const served = servedWith(options.crds ?? []);
  let address = "";

  const offFaults = faults.onChange((settings) => {
    if (settings.dropWatches) for (const w of [...watches]) w.close();
  });

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };
  const sendError = (res: ServerResponse, err: ApiError) => send(res, err.code, err.toStatus());

  const readBody = async (req: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBody) throw new ApiError(413, "RequestEntityTooLarge", "request body too large");
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "https://kube");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path === "/healthz" || path === "/livez" || path === "/readyz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      sendError(res, new ApiError(401, "Unauthorized", "Unauthorized"));
      return;
    }
    if (faults.settings.kubeLatencyMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, faults.settings.kubeLatencyMs));
    }
    const method = req.method ?? "GET";

    if (path === "/version") return send(res, 200, versionInfo());
    if (path === "/api") return send(res, 200, apiVersions(address));
    if (path === "/apis") return send(res, 200, apiGroupList(served));
    if (path === "/openapi/v2") {
      const doc = openApiV2Document(served);
      if (!req.headers.accept?.includes("protobuf")) return send(res, 200, doc);
      const bytes = openApiV2Protobuf(doc);
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": bytes.length });
      res.end(bytes);
      return;
    }
    if (path === "/openapi/v3") return send(res, 200, openApiV3Index(served));
    if (path.startsWith("/openapi/v3/")) {
      const doc = openApiV3Document(path.slice("/openapi/v3/".length), served);
      return doc ? send(res, 200, doc) : sendError(res, pathNotFound(path));
    }
    const segments = path.split("/").filter(Boolean);
    if (segments[0] === "apis" && segments.length === 2) {
      const doc = apiGroupDoc(segments[1] as string, served);
      return doc ? send(res, 200, doc) : sendError(res, pathNotFound(path));
    }
    const route = resolveRoute(segments, served);
    if (route === "discovery") {
      const list =
        segments[0] === "api"
          ? apiResourceList("", "v1", served)
          : apiResourceList(segments[1] ?? "", segments[2] ?? "", served);
      return list ? send(res, 200, list) : sendError(res, pathNotFound(path));
    }
    if (route === null) return sendError(res, pathNotFound(path));

    const { def, namespace, name, subresource } = route;
    const verb =
      method === "GET"
        ? name
          ? "get"
          : ["1", "t", "T", "true", "TRUE", "True"].includes(url.searchParams.get("watch") ?? "")
            ? "watch"
            : "list"
        : method.toLowerCase();
    if (faults.settings.forbidden.includes(def.name)) {
      return sendError(res, forbidden(def, verb, user, namespace));
    }

    if (def.name === "pods" && subresource === "eviction" && name !== undefined) {
      if (method !== "POST") return sendError(res, methodNotAllowed(method, path));
      const body = await readBody(req);
      const dryRun = url.searchParams.get("dryRun") === "All";
      return send(res, 201, evictPod(store, namespace as string, name, body, dryRun));
    }
    if (subresource !== undefined) {
      if (def.name !== "deployments" || subresource !== "scale" || name === undefined) {
        return sendError(res, pathNotFound(path));
      }
      if (method === "GET") return send(res, 200, getScale(store, namespace as string, name));
      if (method === "PUT" || method === "PATCH") {
        const body = await readBody(req);
        const dryRun = url.searchParams.get("dryRun") === "All";
        return send(
          res,
          200,
          updateScale(
            store,
            namespace as string,
            name,
            method,
            req.headers["content-type"],
            body,
            dryRun,
            managerName(url.searchParams, req.headers["user-agent"]),
          ),
        );
      }
      return sendError(res, methodNotAllowed(method, path));
    }

    if (method === "GET" && name !== undefined) {
      const obj = store.get(def.name, namespace, name);
      if (!obj) return sendError(res, notFound(def, name));
      const query = parseListQuery(def, namespace, url.searchParams, req.headers.accept);
      if (query.table) {
        return send(
          res,
          200,
          toTable(
            def.name,
            [obj],
            { resourceVersion: obj.metadata.resourceVersion },
            store.clock.now(),
            query.includeObject,
          ),
        );
      }
      return sendText(res, 200, objectJson(obj));
    }
    if (method === "GET") {
      const query = parseListQuery(def, namespace, url.searchParams, req.headers.accept);
      validateStreamingOptions(query, !faults.settings.watchListDisabled);
      if (query.watch) {
        // onClose may run before startWatch returns (a watch answered with 410 at once).
        let watch: OpenWatch | undefined;
        watch = startWatch({
          store,
          def,
          query,
          res,
          faults: faults.settings,
          bookmarkIntervalMs: options.bookmarkIntervalMs ?? 15_000,
          defaultTimeoutMs: options.watchTimeoutMs ?? 30 * 60_000,
          onClose: () => {
            if (watch) watches.delete(watch);
          },
        });
        if (!watch.isClosed()) watches.add(watch);
        return;
      }
      const page = listPage(store, def, query);
      const meta = {
        resourceVersion: page.resourceVersion,
        ...(page.continue ? { continue: page.continue } : {}),
        ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
      };
      if (query.table)
        return send(res, 200, toTable(def.name, page.items, meta, store.clock.now(), query.includeObject));
      return sendList(
        res,
        { kind: `${def.kind}List`, apiVersion: groupVersion(def), metadata: meta },
        page.items,
      );
    }
    if (method === "PATCH" && def.name === "nodes" && name !== undefined) {
      const body = await readBody(req);
      const dryRun = url.searchParams.get("dryRun") === "All";
      return send(res, 200, patchNode(store, name, req.headers["content-type"], body, dryRun));
    }
    const write = { def, namespace, params: url.searchParams, userAgent: req.headers["user-agent"] };
    const allowed = (v: string) => def.verbs.includes(v);
    let result: WriteResult | undefined;
    if (method === "POST" && name === undefined && allowed("create")) {
      result = createObject(store, write, await readBody(req));
    } else if (method === "PUT" && name !== undefined && allowed("update")) {
      result = replaceObject(store, write, name, await readBody(req));
    } else if (method === "PATCH" && name !== undefined && allowed("patch")) {
      result = patchObject(store, write, name, req.headers["content-type"], await readBody(req));
    } else if (method === "DELETE" && name !== undefined && allowed("delete")) {
      result = deleteObject(store, write, name, await readBody(req));
    }
    if (!result) return sendError(res, methodNotAllowed(method, path));
    for (const warning of result.warnings) res.appendHeader("Warning", `299 - ${JSON.stringify(warning)}`);
    return sendText(res, result.status, objectJson(result.object));
  };

  const server = createServer(
    { cert: options.certs.serverCertPem, key: options.certs.serverKeyPem },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (err instanceof ApiError) sendError(res, err);
        else if (err instanceof SyntaxError) sendError(res, badRequest(err.message));
        else {
          console.error("sim: kube API request failed:", err);
          sendError(
            res,
            new ApiError(
              500,
              "InternalError",
              "an error on the server has prevented the request from succeeding",
            ),
          );
        }
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  address = `${host}:${port}`;
  return {
    url: `https://${address}`,
    close: () =>
      new Promise<void>((resolve) => {
        offFaults();
        for (const w of [...watches]) w.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Lists are written item by item: a 150,000-pod list as one string would pass V8's string limit. */
async function sendList(
  res: ServerResponse,
  head: Record<string, unknown>,
  items: KubeObject[],
): Promise<void> {
  res.writeHead(200, { "content-type": "application/json" });
  const prefix = JSON.stringify(head);
  res.write(`${prefix.slice(0, -1)},"items":[`);
  const batch = 500;
  for (let i = 0; i < items.length; i += batch) {
    const chunk = items
      .slice(i, i + batch)
      .map(objectJson)
      .join(",");
    const ok = res.write(i === 0 ? chunk : `,${chunk}`);
    if (!ok) {
      await new Promise((resolve) => {
        res.once("drain", resolve);
        res.once("close", resolve);
      });
    }
    if (res.destroyed) return;
  }
  res.end("]}");
}
