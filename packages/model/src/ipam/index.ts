// The VPC CNI's warm-pool rules (IPAMD), pure: no I/O and no clock, time is an input.
export { type AddressAllocator, applyWarmPoolAction, syntheticAllocator } from "./applyAction.ts";
export { MIN_ENI_AGE_MS, reasonToKeepEni } from "./freeEni.ts";
export { freeAddressInCidr } from "./podAddress.ts";
export { createPodIps, type PodIpOptions, type PodIps } from "./podIps.ts";
export {
  assignedInCidr,
  cidrSize,
  isCooling,
  managedEnis,
  modeCidrs,
  type NodePool,
  type PoolAddress,
  type PoolCidr,
  type PoolEni,
  type PoolStats,
  poolStats,
} from "./pool.ts";
export { type SettleSteps, settleOneByOne } from "./settle.ts";
export { type SteadyState, steadyState } from "./steadyState.ts";
export { ipTargetShortOver, type ResolvedTargets, resolveTargets, type WarmPoolSettings } from "./targets.ts";
export {
  DECREASE_INTERVAL_MS,
  decideWarmPoolAction,
  INSUFFICIENT_CIDR_PAUSE_MS,
  type PoolUnit,
  type WarmPoolAction,
  type WarmPoolDecision,
  type WarmPoolInput,
  type WarmPoolLimits,
} from "./warmPool.ts";
