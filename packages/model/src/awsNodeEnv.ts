// What the aws-node container does with its env when it starts (cmd/aws-vpc-cni main.go validateEnvVars,
// then ipamd's getters): some bad values stop it (exit 1, so the pod crash-loops), the rest fall back to
// the defaults with a log line, through cniConfigFromEnv. The simulator starts aws-node with it and the
// planner checks a planned setting with it.
import { cniConfigFromEnv } from "./cniConfig.ts";
import type { WarmPoolSettings } from "./ipam/targets.ts";

/** The settings IPAMD runs with: the warm-pool rules' plus CLUSTER_NAME for its ENI tags. */
export type IpamdSettings = WarmPoolSettings & { clusterName?: string };

export type AwsNodeStartup = { ok: true; settings: IpamdSettings } | { ok: false; error: string };

const goInt = /^[+-]?\d+$/;

function parseBool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (["1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(value)) return false;
  return fallback;
}

function mtuError(name: string, value: string | undefined, ipv6: boolean): string | null {
  if (value === undefined) return null;
  if (!goInt.test(value)) return `${name} MUST be a valid integer. ${value} is invalid`;
  const mtu = Number(value);
  if (ipv6 && (mtu < 1280 || mtu > 9001)) {
    return `${name} cannot be less than 1280 or greater than 9001 in IPv6. ${value} is invalid`;
  }
  if (!ipv6 && (mtu < 576 || mtu > 9001)) {
    return `${name} cannot be less than 576 or greater than 9001 in IPv4. ${value} is invalid`;
  }
  return null;
}

/** The first reason aws-node refuses to start, as it logs it, or null. */
export function awsNodeEnvError(env: Record<string, string | undefined>): string | null {
  if ((env.AWS_VPC_K8S_PLUGIN_LOG_FILE ?? "/var/log/aws-routed-eni/plugin.log") === "stdout") {
    return "AWS_VPC_K8S_PLUGIN_LOG_FILE cannot be set to stdout";
  }
  const veth = env.AWS_VPC_K8S_CNI_VETHPREFIX ?? "eni";
  if (veth.length > 4) return "AWS_VPC_K8S_CNI_VETHPREFIX cannot be longer than 4 characters";
  if (veth === "eth" || veth === "lo" || veth === "vlan") {
    return "AWS_VPC_K8S_CNI_VETHPREFIX cannot be set to reserved values 'eth', 'vlan', or 'lo'";
  }
  if (parseBool(env.ENABLE_POD_ENI, false)) {
    const mode = env.POD_SECURITY_GROUP_ENFORCING_MODE ?? "strict";
    if (mode !== "strict" && mode !== "standard") {
      return "POD_SECURITY_GROUP_ENFORCING_MODE must be set to either 'strict' or 'standard'";
    }
  }
  const cooldown = env.IP_COOLDOWN_PERIOD;
  if (cooldown !== undefined && (!goInt.test(cooldown) || Number(cooldown) < 0)) {
    return `IP_COOLDOWN_PERIOD MUST be a valid positive integer. ${cooldown} is invalid`;
  }
  const ipv6 = parseBool(env.ENABLE_IPv6, false);
  const mtu =
    mtuError("AWS_VPC_ENI_MTU", env.AWS_VPC_ENI_MTU, ipv6) ?? mtuError("POD_MTU", env.POD_MTU, ipv6);
  if (mtu) return mtu;
  // Upstream compares the raw strings with "0" (so "-1" and "" count as unset, "abc" as set).
  const pd = parseBool(env.ENABLE_PREFIX_DELEGATION, false);
  const atMostZero = (v: string | undefined) => (v ?? "0") <= "0";
  if (
    pd &&
    atMostZero(env.WARM_IP_TARGET) &&
    atMostZero(env.WARM_PREFIX_TARGET) &&
    atMostZero(env.MINIMUM_IP_TARGET)
  ) {
    return "Setting WARM_PREFIX_TARGET = 0 is not supported while WARM_IP_TARGET/MINIMUM_IP_TARGET is not set. Please configure either one of the WARM_{PREFIX/IP}_TARGET or MINIMUM_IP_TARGET env variables";
  }
  return null;
}

/** The settings IPAMD takes from aws-node's env (no validation: see awsNodeEnvError). */
export function cniSettingsFromEnv(env: Record<string, string | undefined>): IpamdSettings {
  const c = cniConfigFromEnv(env);
  return {
    prefixDelegation: c.prefixDelegation,
    warmEniTarget: c.warmEniTarget,
    warmIpTarget: c.warmIpTarget,
    minimumIpTarget: c.minimumIpTarget,
    warmPrefixTarget: c.warmPrefixTarget,
    maxEni: c.maxEni,
    ipCooldownSeconds: c.ipCooldownSeconds,
    customNetworking: c.customNetworking,
    ...(c.podEni ? { podEni: true } : {}),
    ...(env.CLUSTER_NAME ? { clusterName: env.CLUSTER_NAME } : {}),
  };
}

export function awsNodeStartup(env: Record<string, string | undefined>): AwsNodeStartup {
  const error = awsNodeEnvError(env);
  return error ? { ok: false, error } : { ok: true, settings: cniSettingsFromEnv(env) };
}
