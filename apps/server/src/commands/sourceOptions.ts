// The options `serve` and `capture` share: which source, and how to reach a cluster or start the simulator.
import { serverSay, t } from "../i18n/cliText.ts";
import { parseFrameAncestors } from "../security.ts";
import { ClusterSource, type ClusterSourceOptions } from "../sources/clusterSource.ts";
import { CaptureError, DEFAULT_MAX_FILE_BYTES, LARGEST_FILE_BYTES } from "../sources/dump/index.ts";
import { DumpSource } from "../sources/dumpSource.ts";

import { type Source, SourceConfigError } from "../sources/source.ts";
import { UsageError } from "./command.ts";
import { SIM_OPTION_NAMES, simOptionHelp, simOptionSpec, simSettings } from "./simOptions.ts";

export const sourceOptionSpec = {
  source: { type: "string" },
  dump: { type: "string" },
  "max-file-size": { type: "string" },
  context: { type: "string" },
  kubeconfig: { type: "string" },
  region: { type: "string" },
  "cluster-name": { type: "string" },
  "ec2-endpoint": { type: "string" },
  "ec2-interval": { type: "string" },
  ...simOptionSpec,
} as const;

/** The --help lines, in the CLI's language. */
export function sourceOptionHelp(): string {
  return t("options.source", { sim: simOptionHelp() });
}

type Values = Partial<Record<keyof typeof sourceOptionSpec, string>>;

export function positiveNumber(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(t("args.number", { flag: name, min, max, value }));
  }
  return n;
}

export function parsePort(value: string | undefined, fallback: number, option = "--port"): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new UsageError(t("args.port", { option, value }));
  }
  return Number(value);
}

export function parseHost(value: string | undefined): string {
  const host = value ?? "127.0.0.1";
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) throw new UsageError(t("args.host", { value: host }));
  return host;
}

export function frameAncestorsOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return parseFrameAncestors(value);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const sizeUnits: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** "200M", "1G", "65536" -> bytes, from `min` to `max`; `max` is told in MiB. */
export function sizeOption(name: string, value: string, min: number, max: number): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]?)i?B?$/i.exec(value.trim());
  const bytes = match ? Math.floor(Number(match[1]) * sizeUnits[match[2]!.toUpperCase()]!) : Number.NaN;
  if (!(bytes >= min && bytes <= max)) {
    throw new UsageError(
      t("args.size", {
        flag: name,
        min: min / 1024,
        max: Math.floor(max / 1024 ** 2),
        value: value.slice(0, 40),
      }),
    );
  }
  return bytes;
}

/** The largest capture file read: between 1 KiB and the largest text V8 can parse. */
export function fileSizeOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_FILE_BYTES;
  return sizeOption("max-file-size", value, 1024, LARGEST_FILE_BYTES);
}

/** Builds the source the options describe; `allowed` limits the kinds (capture cannot read a dump);
 * `cluster` adds to a cluster source's options (a replica's shared EC2 half). */
export async function sourceFromOptions(
  values: Values,
  allowed: readonly string[],
  cluster: Pick<ClusterSourceOptions, "ec2Half"> = {},
): Promise<Source> {
  const kind = values.source ?? (values.dump ? "dump" : "cluster");
  if (!allowed.includes(kind)) {
    throw new UsageError(t("args.sourceKind", { kinds: allowed.join(t("args.or")), value: kind }));
  }
  const simOnly = SIM_OPTION_NAMES.filter((k) => values[k] !== undefined);
  if (kind !== "sim" && simOnly.length > 0) {
    throw new UsageError(t("args.simOnly", { flag: simOnly[0] }));
  }
  if (kind === "dump") {
    if (!values.dump) throw new UsageError(t("args.dumpNeedsDir"));
    if (values["cluster-name"] !== undefined) throw new UsageError(t("args.dumpNamesCluster"));
    return new DumpSource(values.dump, { maxFileBytes: fileSizeOption(values["max-file-size"]) });
  }
  if (values.dump) throw new UsageError(t("args.dumpOnly", { kind }));
  if (values["max-file-size"] !== undefined) throw new UsageError(t("args.maxFileSizeDump"));
  const ec2IntervalMs = (positiveNumber("ec2-interval", values["ec2-interval"], 1, 3600) ?? 15) * 1000;
  if (kind === "sim") {
    const clusterOnly = (["context", "kubeconfig", "region", "cluster-name", "ec2-endpoint"] as const).filter(
      (k) => values[k] !== undefined,
    );
    if (clusterOnly.length > 0) throw new UsageError(t("args.clusterOnly", { flag: clusterOnly[0] }));
    const { SimSource } = await import("../sources/simSource.ts");
    return new SimSource({ ...(await simSettings(values)), ec2IntervalMs });
  }
  if (values["ec2-endpoint"]) {
    try {
      new URL(values["ec2-endpoint"]);
    } catch {
      throw new UsageError(t("args.ec2Endpoint", { value: values["ec2-endpoint"] }));
    }
  }
  if (values.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(values.region)) {
    throw new UsageError(t("args.region", { value: values.region }));
  }
  const clusterName = values["cluster-name"];
  if (clusterName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(clusterName)) {
    throw new UsageError(t("args.clusterName", { value: clusterName.slice(0, 40) }));
  }
  return new ClusterSource({
    ...cluster,
    clusterName,
    context: values.context,
    kubeconfigPath: values.kubeconfig,
    region: values.region,
    ec2Endpoint: values["ec2-endpoint"],
    ec2IntervalMs,
  });
}

/** Errors the user fixes (a bad capture folder, no kubeconfig, an unknown scenario) become usage errors:
 * one line, exit 2. */
export function asUsageError(err: unknown): unknown {
  if (err instanceof CaptureError) return new UsageError(captureErrorText(err), err.code);
  if (!(err instanceof SourceConfigError)) return err;
  return new UsageError(err.said ? serverSay(err.said.key, err.said.values ?? {}) : err.message);
}

/** A capture folder's problem in the CLI's language when the reader gave its parts (`form` picks one of
 * a code's sentences, `kind` what a path is instead of a file, `expected` and `holds` a document's shape,
 * `reason` why an object in it cannot be read); otherwise the reader's English. */
export function captureErrorText(err: CaptureError): string {
  if (err.values === undefined) return err.message;
  const { form, kind, expected, expectedValue, holds, holdsValue, reason, got, text, ...values } = err.values;
  const key = form === undefined ? `captureError.${err.code}` : `captureError.${err.code}-${form}`;
  const said: Record<string, string> = { ...values };
  if (kind !== undefined) said.kind = t(`captureKind.${kind}`, { defaultValue: kind });
  if (expected !== undefined)
    said.expected = t(`captureDocument.expected.${expected}`, {
      value: expectedValue ?? "",
      defaultValue: expected,
    });
  if (holds !== undefined)
    said.holds = t(`captureDocument.holds.${holds}`, { value: holdsValue ?? "", defaultValue: holds });
  if (reason !== undefined) {
    // A string value is shown as it is (quoted); any other by its type, in words.
    const gotWords =
      got === undefined
        ? ""
        : got === "string"
          ? (text ?? "")
          : t(`captureGot.${got}`, { defaultValue: got });
    said.reason = t(`captureReason.${reason}`, { ...values, got: gotWords, defaultValue: err.message });
  }
  return t(key, { ...said, defaultValue: err.message });
}
