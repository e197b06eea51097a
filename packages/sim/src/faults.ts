// Fault injection: one mutable FaultSettings object shared by the Kubernetes API, the EC2 API and the
// IPAMDs, changed at start (flags) or at run time through the admin endpoint (adminServer.ts).
import { SaidSimError } from "./adminWords.ts";
import type { FaultSettings } from "./contracts.ts";
import { noFaults } from "./contracts.ts";

/** A fault setting refused, by the catalogue's key (admin.faults.*): the admin endpoint and the CLI's
 * --faults say it in their language. */
export class FaultSettingsError extends SaidSimError {
  readonly code = "InvalidFaultSettings";
  constructor(reason: string, values: Record<string, string | number> = {}) {
    super(`admin.faults.${reason}`, values);
  }
}

const kubeResources = [
  "nodes",
  "pods",
  "events",
  "namespaces",
  "daemonsets",
  "deployments",
  "replicasets",
  "leases",
  "eniconfigs",
  "cninodes",
];

/** A value as the request wrote it (JSON), cut to a line. */
function shown(value: unknown): string {
  return String(JSON.stringify(value)).slice(0, 100);
}

/** Checks a partial FaultSettings from JSON or flags; throws FaultSettingsError naming the bad field. */
export function parseFaultSettings(input: unknown): Partial<FaultSettings> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new FaultSettingsError("notObject");
  }
  const out: Partial<FaultSettings> = {};
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case "ec2ThrottleRate":
        if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
          throw new FaultSettingsError("rate", { got: shown(value) });
        }
        out.ec2ThrottleRate = value;
        break;
      case "ec2LatencyMs":
      case "kubeLatencyMs":
        if (typeof value !== "number" || !(value >= 0 && value <= 600_000)) {
          throw new FaultSettingsError("ms", { field: key, got: shown(value) });
        }
        out[key] = value;
        break;
      case "dropWatches":
      case "watchGone":
      case "watchListDisabled":
        if (typeof value !== "boolean") {
          throw new FaultSettingsError("boolean", { field: key, got: shown(value) });
        }
        out[key] = value;
        break;
      case "forbidden":
        if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
          throw new FaultSettingsError("forbiddenList");
        }
        for (const v of value) {
          if (!kubeResources.includes(v)) {
            throw new FaultSettingsError("forbiddenUnknown", {
              resource: v,
              known: kubeResources.join(", "),
            });
          }
        }
        out.forbidden = [...value];
        break;
      default:
        throw new FaultSettingsError("unknown", { field: key, known: Object.keys(noFaults).join(", ") });
    }
  }
  return out;
}

/** The live settings plus change notification, so open watches can be dropped the moment it is asked. */
export interface FaultControl {
  readonly settings: FaultSettings;
  update(change: Partial<FaultSettings>): FaultSettings;
  onChange(listener: (settings: FaultSettings) => void): () => void;
}

export function createFaultControl(initial: Partial<FaultSettings> = {}): FaultControl {
  const settings: FaultSettings = { ...noFaults, forbidden: [], ...parseFaultSettings(initial) };
  const listeners = new Set<(s: FaultSettings) => void>();
  return {
    settings,
    update(change) {
      Object.assign(settings, parseFaultSettings(change));
      for (const l of listeners) l(settings);
      return settings;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
