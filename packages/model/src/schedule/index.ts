// The scheduler's rules, pure: the simulator's scheduler and the planner both place pods with them.
export { chooseNode, failureMessage, leastAllocated, type Placement, schedulingOrder } from "./chooseNode.ts";
export {
  addToUsage,
  effectiveTaints,
  emptyUsage,
  misfit,
  NO_AFFINITY,
  NOT_READY,
  NOT_SCHEDULABLE,
  type NodeUsage,
  preferredAffinityScore,
  requiredAffinityMatches,
  type ScheduleNode,
  TOO_MANY_PODS,
} from "./nodeFit.ts";
export { podSchedulingFromSpec, schedulingKey } from "./podScheduling.ts";
export {
  NOT_READY_TAINT,
  taintReason,
  taintsFromSpec,
  tolerates,
  tolerationsFromSpec,
  UNSCHEDULABLE_TAINT,
  untoleratedPreferNoSchedule,
  untoleratedTaint,
} from "./taints.ts";
