// serve --leader-elect: several replicas behind one Service, one of them (the Lease holder) polling EC2.
import { existsSync, readFileSync } from "node:fs";
import { parseAuthToken } from "../auth.ts";
import { defaultTiming, timingProblem } from "../ha/leaderElector.ts";
import { type ReplicaSettings, replicaIdentity } from "../ha/replica.ts";
import { UsageError } from "./command.ts";
import { positiveNumber } from "./sourceOptions.ts";

export const PEER_TOKEN_ENV = "ENI_VIEW_PEER_TOKEN";
const serviceAccountNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

export const haOptionSpec = {
  "leader-elect": { type: "boolean" },
  "lease-name": { type: "string" },
  "lease-namespace": { type: "string" },
  "lease-duration": { type: "string" },
  "renew-deadline": { type: "string" },
  "retry-period": { type: "string" },
  "advertise-url": { type: "string" },
} as const;

export const haOptionHelp = `Several replicas (with --source cluster):
  --leader-elect          run as one of several replicas behind one Service: each watches Kubernetes, and
                          only the holder of a coordination.k8s.io Lease polls EC2; the others read EC2 from
                          it (GET /internal/ec2 with the token in ${PEER_TOKEN_ENV}, shared by the replicas)
                          and one takes over within a lease duration when it stops. Needs create, get and
                          update on that one Lease (deploy/overlays/ha)
  --lease-name NAME       the Lease (default eni-view)
  --lease-namespace NS    its namespace (default: the pod's own, else default)
  --lease-duration S      followers take over this long after the last renewal they saw (default 15)
  --renew-deadline S      a leader that could not renew for this long stops polling (default 10)
  --retry-period S        how often replicas try and the leader renews (default 2)
  --advertise-url URL     how the other replicas reach this one (default http://$POD_IP:PORT)`;

type Values = Partial<Record<Exclude<keyof typeof haOptionSpec, "leader-elect">, string>> & {
  "leader-elect"?: boolean;
};

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The replica's settings, or null without --leader-elect (then every other option here is refused). */
export function haFromOptions(
  values: Values,
  port: number,
  ec2IntervalMs: number,
  env: NodeJS.ProcessEnv = process.env,
): (Omit<ReplicaSettings, "advertiseUrl"> & { advertiseUrl: string | undefined }) | null {
  const given = (Object.keys(haOptionSpec) as (keyof typeof haOptionSpec)[]).filter(
    (k) => k !== "leader-elect" && values[k] !== undefined,
  );
  if (!values["leader-elect"]) {
    if (given.length > 0) throw new UsageError(`--${given[0]} applies only with --leader-elect`);
    return null;
  }
  const seconds = (name: "lease-duration" | "renew-deadline" | "retry-period", fallback: number) =>
    (positiveNumber(name, values[name], 0.1, 3600) ?? fallback / 1000) * 1000;
  const timing = {
    leaseDurationMs: seconds("lease-duration", defaultTiming.leaseDurationMs),
    renewDeadlineMs: seconds("renew-deadline", defaultTiming.renewDeadlineMs),
    retryPeriodMs: seconds("retry-period", defaultTiming.retryPeriodMs),
  };
  const problem = timingProblem(timing);
  if (problem) throw new UsageError(`--lease-duration, --renew-deadline, --retry-period: ${problem}`);
  const namespace =
    values["lease-namespace"] ??
    (existsSync(serviceAccountNamespace) ? readFileSync(serviceAccountNamespace, "utf8").trim() : "default");
  const leaseName = values["lease-name"] ?? "eni-view";
  for (const [flag, value] of [
    ["lease-namespace", namespace],
    ["lease-name", leaseName],
  ] as const)
    if (!dns1123.test(value) || value.length > 253)
      throw new UsageError(
        `--${flag} must be a Kubernetes object name (a-z, 0-9, '-', '.'), got "${value.slice(0, 40)}"`,
      );
  const raw = env[PEER_TOKEN_ENV];
  if (!raw)
    throw new UsageError(`--leader-elect needs ${PEER_TOKEN_ENV}: a token the replicas share (a Secret)`);
  let peerToken: string;
  try {
    peerToken = parseAuthToken(raw, PEER_TOKEN_ENV);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let advertiseUrl = values["advertise-url"];
  if (advertiseUrl !== undefined) {
    try {
      new URL(advertiseUrl);
    } catch {
      throw new UsageError(
        `--advertise-url must be a URL such as http://10.0.1.5:8080, got "${advertiseUrl.slice(0, 60)}"`,
      );
    }
  } else if (env.POD_IP) {
    advertiseUrl = `http://${env.POD_IP.includes(":") ? `[${env.POD_IP}]` : env.POD_IP}:${port}`;
  }
  return {
    namespace,
    leaseName,
    identity: replicaIdentity(env),
    timing,
    peerToken,
    advertiseUrl,
    ec2IntervalMs,
  };
}
