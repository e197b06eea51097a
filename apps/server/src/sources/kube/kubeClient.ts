// The Kubernetes API over HTTPS with @kubernetes/client-node's config and authentication (kubeconfig,
// in-cluster service account, exec plugins, --context), but our own list and watch: eni-view needs the
// raw JSON (the same documents `kubectl get -o json` prints) and full control over restarts.
import http from "node:http";
import https from "node:https";
import { KubeConfig } from "@kubernetes/client-node";
import { SourceConfigError } from "../source.ts";

/** An error from the API server (with its Status reason) or from reaching it. */
export class KubeApiError extends Error {
  readonly statusCode: number | null;
  readonly reason: string;

  constructor(message: string, statusCode: number | null, reason: string) {
    super(message);
    this.name = "KubeApiError";
    this.statusCode = statusCode;
    this.reason = reason;
  }
}

/** No usable kubeconfig or context. */
export class KubeConfigError extends SourceConfigError {
  override readonly code = "kubeconfig";
}

export interface KubeConfigChoice {
  /** A kubeconfig context name; the current context when absent. */
  context?: string;
  /** A kubeconfig file; KUBECONFIG, then ~/.kube/config, then in-cluster when absent. */
  kubeconfigPath?: string;
}

/** Loads the kubeconfig the way kubectl does, with a clear error when there is none or the context is unknown. */
export function loadKubeConfig(choice: KubeConfigChoice = {}): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (choice.kubeconfigPath) kc.loadFromFile(choice.kubeconfigPath);
    else kc.loadFromDefault();
  } catch (err) {
    throw new KubeConfigError({ key: "kubeconfig.unreadable", values: { error: (err as Error).message } });
  }
  if (choice.context) {
    if (!kc.getContexts().some((c) => c.name === choice.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new KubeConfigError(
        known.length
          ? { key: "kubeconfig.noContext", values: { context: choice.context, known: known.join(", ") } }
          : { key: "kubeconfig.noContextNone", values: { context: choice.context } },
      );
    }
    kc.setCurrentContext(choice.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new KubeConfigError({ key: "kubeconfig.noCluster" });
  }
  return kc;
}

/** The cluster's short name from the kubeconfig: EKS ARNs and eksctl names reduced to the cluster name. */
export function clusterNameOf(kc: KubeConfig): string | null {
  const name = kc.getCurrentCluster()?.name ?? null;
  if (name === null) return null;
  // In a pod, client-node names the service-account config "inCluster": that says nothing about which
  // cluster it is, so leave the name to --cluster-name or aws-node's CLUSTER_NAME.
  if (name === "inCluster" && kc.getCurrentUser()?.name === "inClusterUser") return null;
  const arn = /^arn:aws[\w-]*:eks:[^:]+:\d+:cluster\/(.+)$/.exec(name);
  if (arn) return arn[1]!;
  const eksctl = /^([^.]+)\.[a-z0-9-]+\.eksctl\.io$/.exec(name);
  if (eksctl) return eksctl[1]!;
  return name;
}

export interface WatchEvent {
  type: string;
  object: Record<string, unknown>;
}

export class KubeClient {
  readonly kc: KubeConfig;
  readonly server: URL;
  private readonly agentless: boolean;

  constructor(kc: KubeConfig) {
    this.kc = kc;
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error("no current cluster in the kubeconfig");
    this.server = new URL(cluster.server);
    this.agentless = this.server.protocol === "http:";
  }

  /** GET a path and parse the JSON body; throws KubeApiError for non-2xx answers and network failures. */
  async getJson(path: string, signal?: AbortSignal, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const res = await this.open(path, signal, timeoutMs);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      throw new KubeApiError(
        `the API server answered ${path} with something that is not JSON`,
        res.statusCode ?? null,
        "BadResponse",
      );
    }
  }

  /**
   * Streams a watch: calls `onEvent` per event until the stream ends (resolves: the server closed it,
   * the connection dropped mid-stream, or `signal` aborted) or `onEvent` throws (rejects with that).
   * Failing to open the watch rejects with a KubeApiError. `onBytes` fires on any traffic.
   */
  async watch(
    path: string,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
    onBytes: () => void,
  ): Promise<void> {
    const res = await this.open(path, signal, 30_000, true);
    res.setEncoding("utf8");
    await new Promise<void>((resolve, reject) => {
      let buffer = "";
      let done = false;
      const finish = (err?: unknown) => {
        if (done) return;
        done = true;
        res.destroy();
        if (err === undefined) resolve();
        else reject(err);
      };
      res.on("data", (chunk: string) => {
        onBytes();
        buffer += chunk;
        let newline = buffer.indexOf("\n");
        while (newline >= 0 && !done) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf("\n");
          if (line === "") continue;
          let event: WatchEvent;
          try {
            event = JSON.parse(line) as WatchEvent;
          } catch {
            finish(new KubeApiError(`a watch on ${path} sent a line that is not JSON`, null, "BadResponse"));
            return;
          }
          try {
            onEvent(event);
          } catch (err) {
            finish(err);
            return;
          }
        }
      });
      res.on("end", () => finish());
      // A watch cut mid-stream (a proxy or the API server dropping it) is a closed watch: the caller resumes.
      res.on("error", () => finish());
      res.on("close", () => finish());
    });
  }

  /** `timeoutMs` bounds silence until the answer starts, and for a list also while it is read; a watch's
   * silence afterwards is the reflector's to judge (quietMs), as a quiet cluster sends nothing for minutes. */
  private async open(
    path: string,
    signal: AbortSignal | undefined,
    timeoutMs: number,
    streaming = false,
  ): Promise<http.IncomingMessage> {
    const url = new URL(path, this.server);
    const options: https.RequestOptions = {
      method: "GET",
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: `${this.server.pathname.replace(/\/$/, "")}${url.pathname}${url.search}`,
      headers: { accept: "application/json", "user-agent": "eni-view" },
    };
    await this.kc.applyToHTTPSOptions(options);
    // client-node builds an https (or proxy) agent carrying the TLS settings; a plain-HTTP server cannot use it.
    if (this.agentless) delete (options as { agent?: unknown }).agent;
    const transport = this.agentless ? http : https;
    return await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = transport.request({ ...options, signal, timeout: timeoutMs }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          if (streaming) req.setTimeout(0);
          resolve(res);
          return;
        }
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => reject(statusError(path, status, Buffer.concat(chunks).toString("utf8"))));
        res.on("error", reject);
      });
      req.on("timeout", () =>
        req.destroy(
          new KubeApiError(
            `no answer from ${this.server.origin} within ${timeoutMs / 1000} s`,
            null,
            "Timeout",
          ),
        ),
      );
      req.on("error", (err: NodeJS.ErrnoException) => {
        if (err instanceof KubeApiError) reject(err);
        else if (err.name === "AbortError") reject(err);
        else
          reject(
            new KubeApiError(
              `cannot reach the Kubernetes API at ${this.server.origin}: ${err.code ?? err.message}`,
              null,
              err.code ?? "Unreachable",
            ),
          );
      });
      req.end();
    });
  }
}

function statusError(path: string, status: number, body: string): KubeApiError {
  let reason = http.STATUS_CODES[status] ?? `HTTP ${status}`;
  let message = "";
  try {
    const parsed = JSON.parse(body) as { reason?: string; message?: string };
    if (parsed.reason) reason = parsed.reason;
    if (parsed.message) message = parsed.message;
  } catch {
    // Not a Status object: the HTTP status says enough.
  }
  return new KubeApiError(`${reason} (${status}) on ${path}${message ? `: ${message}` : ""}`, status, reason);
}
