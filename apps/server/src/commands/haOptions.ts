// serve --leader-elect: several replicas behind one Service, one of them (the Lease holder) polling EC2.
import { existsSync, readFileSync } from "node:fs";
import { parseAuthToken } from "../auth.ts";
import { defaultTiming, timingProblem } from "../ha/leaderElector.ts";
import { type ReplicaSettings, replicaIdentity } from "../ha/replica.ts";
import { saidText, t } from "../i18n/cliText.ts";
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

/** The --help lines, in the CLI's language. */
export function haOptionHelp(): string {
  return t("options.ha", { env: PEER_TOKEN_ENV });
}

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
    if (given.length > 0) throw new UsageError(t("args.leaderElectOnly", { flag: given[0] }));
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
  if (problem) throw new UsageError(t("args.leaseTiming", { problem }));
  const namespace =
    values["lease-namespace"] ??
    (existsSync(serviceAccountNamespace) ? readFileSync(serviceAccountNamespace, "utf8").trim() : "default");
  const leaseName = values["lease-name"] ?? "eni-view";
  for (const [flag, value] of [
    ["lease-namespace", namespace],
    ["lease-name", leaseName],
  ] as const)
    if (!dns1123.test(value) || value.length > 253)
      throw new UsageError(t("args.objectName", { flag, value: value.slice(0, 40) }));
  const raw = env[PEER_TOKEN_ENV];
  if (!raw) throw new UsageError(t("args.peerToken", { env: PEER_TOKEN_ENV }));
  let peerToken: string;
  try {
    peerToken = parseAuthToken(raw, PEER_TOKEN_ENV);
  } catch (err) {
    throw new UsageError(saidText(err));
  }
  let advertiseUrl = values["advertise-url"];
  if (advertiseUrl !== undefined) {
    try {
      new URL(advertiseUrl);
    } catch {
      throw new UsageError(t("args.advertiseUrl", { value: advertiseUrl.slice(0, 60) }));
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
