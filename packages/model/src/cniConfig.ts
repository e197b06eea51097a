// The VPC CNI's settings from the aws-node container's environment, with the CNI's own defaults.
import type { CniConfig } from "./types.ts";

/** The aws-node env variables eni-view reads; every other variable (and any value) is left alone. */
export const CNI_ENV_KNOBS = [
  "ENABLE_PREFIX_DELEGATION",
  "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
  "ENABLE_POD_ENI",
  "WARM_ENI_TARGET",
  "WARM_IP_TARGET",
  "MINIMUM_IP_TARGET",
  "WARM_PREFIX_TARGET",
  "MAX_ENI",
  "IP_COOLDOWN_PERIOD",
  "AWS_VPC_K8S_CNI_EXTERNALSNAT",
  "ENI_CONFIG_LABEL_DEF",
  "ENI_CONFIG_ANNOTATION_DEF",
  "ENABLE_MULTI_NIC",
  "ENABLE_IPv6",
] as const;

export type CniEnvKnob = (typeof CNI_ENV_KNOBS)[number];

export function defaultCniConfig(): CniConfig {
  return {
    prefixDelegation: false,
    customNetworking: false,
    podEni: false,
    warmEniTarget: 1,
    warmIpTarget: null,
    minimumIpTarget: null,
    warmPrefixTarget: null,
    maxEni: null,
    ipCooldownSeconds: 30,
    externalSnat: false,
    version: null,
    detected: false,
  };
}

// The CNI parses booleans with Go's strconv.ParseBool and ignores values it cannot parse.
function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (["1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(value)) return false;
  return fallback;
}

// The CNI reads counts with Go's strconv.Atoi (an optional sign, digits, nothing else) and keeps its
// default for a value it cannot parse or a negative one (ipamd.go getWarmENITarget and the like).
function count(value: string | undefined, fallback: number | null): number | null {
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return fallback;
  const n = Number(value);
  return n < 0 ? fallback : n;
}

/** CniConfig from the aws-node env (only CNI_ENV_KNOBS are read) and image tag. */
export function cniConfigFromEnv(
  env: Partial<Record<string, string>>,
  version: string | null = null,
): CniConfig {
  const d = defaultCniConfig();
  const maxEni = count(env.MAX_ENI, null);
  const config: CniConfig = {
    prefixDelegation: bool(env.ENABLE_PREFIX_DELEGATION, d.prefixDelegation),
    customNetworking: bool(env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG, d.customNetworking),
    podEni: bool(env.ENABLE_POD_ENI, d.podEni),
    warmEniTarget: count(env.WARM_ENI_TARGET, d.warmEniTarget),
    warmIpTarget: count(env.WARM_IP_TARGET, d.warmIpTarget),
    minimumIpTarget: count(env.MINIMUM_IP_TARGET, d.minimumIpTarget),
    warmPrefixTarget: count(env.WARM_PREFIX_TARGET, d.warmPrefixTarget),
    // MAX_ENI below 1 means "no limit" to the CNI.
    maxEni: maxEni !== null && maxEni >= 1 ? maxEni : null,
    ipCooldownSeconds: count(env.IP_COOLDOWN_PERIOD, d.ipCooldownSeconds) ?? d.ipCooldownSeconds,
    externalSnat: bool(env.AWS_VPC_K8S_CNI_EXTERNALSNAT, d.externalSnat),
    version,
    detected: true,
  };
  // Only set when on, so configs without them read as before.
  if (bool(env.ENABLE_MULTI_NIC, false)) config.multiNic = true;
  if (bool(env.ENABLE_IPv6, false)) config.ipv6 = true;
  // Only set when aws-node overrides the key, so configs without them read as before.
  if (env.ENI_CONFIG_LABEL_DEF) config.eniConfigLabelDef = env.ENI_CONFIG_LABEL_DEF;
  if (env.ENI_CONFIG_ANNOTATION_DEF) config.eniConfigAnnotationDef = env.ENI_CONFIG_ANNOTATION_DEF;
  return config;
}
