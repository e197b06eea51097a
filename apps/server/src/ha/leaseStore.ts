// One coordination.k8s.io/v1 Lease, read and written the way client-go's resourcelock.LeaseLock does it:
// get, create, and update with the resourceVersion last read (the API server answers 409 Conflict when
// another replica wrote in between). This is the one place eni-view writes to the cluster, and it writes
// only the Lease it is told to use (deploy/overlays/ha grants create/get/update on leases in its own
// namespace, nothing else).
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { KubeApiError } from "../sources/kube/kubeClient.ts";

/** The Lease's spec as leader election reads it, plus the annotations the holder publishes. */
export interface LeaseRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** RFC 3339 with microseconds (a MicroTime), or null. */
  acquireTime: string | null;
  renewTime: string | null;
  leaseTransitions: number;
  annotations: Record<string, string>;
}

export interface StoredLease {
  record: LeaseRecord;
  resourceVersion: string;
}

/** Where the Lease lives: the API server, or a map in tests. */
export interface LeaseStore {
  /** Null when the Lease does not exist yet. */
  get(): Promise<StoredLease | null>;
  create(record: LeaseRecord): Promise<StoredLease>;
  /** Rejects with a KubeApiError of status 409 when the Lease changed since `resourceVersion`. */
  update(record: LeaseRecord, resourceVersion: string): Promise<StoredLease>;
}

/** Time.toISOString() has milliseconds; a MicroTime has six digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

interface LeaseObject {
  metadata?: { resourceVersion?: string; annotations?: Record<string, string> };
  spec?: Partial<Omit<LeaseRecord, "annotations">>;
}

function fromObject(o: LeaseObject): StoredLease {
  const spec = o.spec ?? {};
  return {
    resourceVersion: o.metadata?.resourceVersion ?? "",
    record: {
      holderIdentity: spec.holderIdentity ?? "",
      leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
      acquireTime: spec.acquireTime ?? null,
      renewTime: spec.renewTime ?? null,
      leaseTransitions: spec.leaseTransitions ?? 0,
      annotations: o.metadata?.annotations ?? {},
    },
  };
}

export class KubeLeaseStore implements LeaseStore {
  private readonly kc: KubeConfig;
  private readonly namespace: string;
  private readonly name: string;

  constructor(kc: KubeConfig, namespace: string, name: string) {
    this.kc = kc;
    this.namespace = namespace;
    this.name = name;
  }

  private get collection(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.namespace)}/leases`;
  }

  private body(record: LeaseRecord, resourceVersion?: string): string {
    const { annotations, ...spec } = record;
    return JSON.stringify({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: this.name,
        namespace: this.namespace,
        annotations,
        ...(resourceVersion ? { resourceVersion } : {}),
      },
      spec,
    });
  }

  async get(): Promise<StoredLease | null> {
    try {
      return fromObject(await this.send("GET", `${this.collection}/${encodeURIComponent(this.name)}`));
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 404) return null;
      throw err;
    }
  }

  async create(record: LeaseRecord): Promise<StoredLease> {
    return fromObject(await this.send("POST", this.collection, this.body(record)));
  }

  async update(record: LeaseRecord, resourceVersion: string): Promise<StoredLease> {
    const path = `${this.collection}/${encodeURIComponent(this.name)}`;
    return fromObject(await this.send("PUT", path, this.body(record, resourceVersion)));
  }

  private async send(method: "GET" | "POST" | "PUT", path: string, body?: string): Promise<LeaseObject> {
    const server = new URL(this.kc.getCurrentCluster()?.server ?? "");
    const options: https.RequestOptions = {
      method,
      protocol: server.protocol,
      hostname: server.hostname,
      port: server.port,
      path: `${server.pathname.replace(/\/$/, "")}${path}`,
      headers: {
        accept: "application/json",
        "user-agent": "eni-view",
        ...(body ? { "content-type": "application/json" } : {}),
      },
    };
    await this.kc.applyToHTTPSOptions(options);
    const plain = server.protocol === "http:";
    if (plain) delete (options as { agent?: unknown }).agent;
    return await new Promise<LeaseObject>((resolve, reject) => {
      // A renewal must finish well within the renew deadline; a hung request would hold it.
      const req = (plain ? http : https).request({ ...options, timeout: 5_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: { reason?: string; message?: string } & LeaseObject = {};
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON: the status says enough.
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(parsed);
          else
            reject(
              new KubeApiError(
                `${parsed.reason ?? `HTTP ${status}`} (${status}) on ${method} lease ${this.namespace}/${this.name}${parsed.message ? `: ${parsed.message}` : ""}`,
                status,
                parsed.reason ?? String(status),
              ),
            );
        });
      });
      req.on("timeout", () => req.destroy(new KubeApiError("no answer within 5 s", null, "Timeout")));
      req.on("error", (err) =>
        reject(err instanceof KubeApiError ? err : new KubeApiError(err.message, null, "Unreachable")),
      );
      req.end(body);
    });
  }
}
