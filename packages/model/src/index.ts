// The public API of @eni-view/model.
export type * from "./api.ts";
export {
  type AwsNodeStartup,
  awsNodeEnvError,
  awsNodeStartup,
  cniSettingsFromEnv,
  type IpamdSettings,
} from "./awsNodeEnv.ts";
export {
  capacityFor,
  HOST_NETWORK_SYSTEM_PODS,
  IPS_PER_PREFIX,
  prefixDelegationCap,
  supportsPrefixDelegation,
} from "./capacity.ts";
export { CNI_ENV_KNOBS, type CniEnvKnob, cniConfigFromEnv, defaultCniConfig } from "./cniConfig.ts";
export { applyDelta, DeltaSequenceError, diffTopology, lowerBound, podKey, sameJson } from "./delta.ts";
export {
  diagnosePending,
  NOT_SCHEDULED_MESSAGE,
  type PendingDiagnosis,
  startingMessage,
} from "./diagnosis.ts";
export { eniRole, groupEnisByInstance } from "./enis.ts";
export {
  describeForecast,
  forecastExhaustion,
  formatDuration,
  type SpaceSample,
} from "./forecast.ts";
export * from "./ipam/index.ts";
export { formatIpv4, parseIpv4, parseIpv4Cidr, subnetUsableIps } from "./ipv4.ts";
export { formatIpv6, parseIpv6, parseIpv6Cidr } from "./ipv6.ts";
export { allInstanceTypes, lookupInstanceType, resolveInstanceType } from "./limits/lookup.ts";
export { loadingMessage, stepLabel } from "./loading.ts";
export { randomIndex, shuffled } from "./mapOrder.ts";
export { type Catalogue, compareCatalogues, englishWords, flatten } from "./messages/catalogue.ts";
export { plannerEnglish, plannerMessages, plannerText } from "./messages/plannerText.ts";
export {
  durationText,
  forecastText,
  type ReportTranslate,
  reportMessages,
  reportText,
} from "./messages/reportText.ts";
export {
  eventWords,
  isServerKey,
  type ServerLanguage,
  type ServerMessage,
  type ServerSay,
  type ServerValues,
  serverAnswer,
  serverEnglish,
  serverMessage,
  serverMessages,
  serverWords,
} from "./messages/serverText.ts";
export { sourceEnglish, sourceErrorText, sourceMessages } from "./messages/sourceText.ts";
export {
  AUTO_MODE_MAX_PODS,
  COMPUTE_TYPE_LABEL,
  enisAllowed,
  KIND_LABELS,
  kindCapacity,
  nodeEniCounts,
  nodeEniText,
  nodeKindOf,
} from "./nodeKinds.ts";
export { ENI_CONFIG_KEY, eniConfigNameOf } from "./nodeReports.ts";
export { type NodeShape, NodeShapeError, nodeShape } from "./nodeShape.ts";
export {
  advanceOverview,
  eniCount,
  eniSubnets,
  type GroupTotals,
  groupTotals,
  type NodeDetail,
  nodeDetail,
  type OverviewTopology,
  overviewOf,
  prepareNodeDetail,
  type ThinCache,
  thinNode,
} from "./overview.ts";
export { groupPendingPods, type PendingGroup, pendingMessageKey } from "./pendingGroups.ts";
export { EC2_BUCKETS, EC2_CATEGORY } from "./plan/ec2Throttling.ts";
export { PlanInputError, type PlanInputErrorCode } from "./plan/errors.ts";
export {
  ATTACH_DELAY_MS,
  DEFAULT_SEEDS,
  IPAMD_CYCLE_MS,
  nodeFigures,
  planCluster,
} from "./plan/planCluster.ts";
export type { NodeFigures } from "./plan/runSeed.ts";
export type * from "./plan/types.ts";
export { PLAN_SETTINGS } from "./plan/types.ts";
export { applyPlanDelta, type PlanDelta, planDelta } from "./planDelta.ts";
export {
  formatPlanQuery,
  PLAN_QUERY_KEYS,
  PLAN_QUERY_LIMITS,
  type PlanQuery,
  PlanQueryError,
  type PlanReply,
  parsePlanQuery,
} from "./planQuery.ts";
export * from "./problems.ts";
export { parseCpuMilli, parseQuantity } from "./quantity.ts";
export {
  changeEvents,
  type LatencyStats,
  OwnerCounts,
  ownerPodCounts,
  type RecordedMoment,
  type RecordedTopology,
  type RecordingInfo,
  type RecordingSummary,
  type StepSummary,
  type Timeline,
  type TimelineEvent,
  type TimelineEventKind,
  type TimelinePoint,
  timelinePoint,
} from "./recording.ts";
export { buildReport } from "./report.ts";
export { sandboxFailureMessage } from "./sandboxFailure.ts";
export { type ScaleInCandidate, scaleInVictims } from "./scaleIn.ts";
export * from "./schedule/index.ts";
export {
  cellMatches,
  ipToNumber,
  parseQuery,
  type SearchAnswer,
  type SearchCounts,
  type SearchErrorKey,
  SearchQueryError,
  type SearchResult,
  search,
  searchCounts,
  type Term,
  tokenize,
} from "./search.ts";
export { type Random, seeded } from "./seeded.ts";
export { type AddressDraw, InsufficientAddressesError, SubnetAddresses } from "./subnetAddresses.ts";
export {
  ADDRESS_KINDS,
  type AddressHolder,
  type AddressKind,
  addressAt,
  addressOf,
  foreignEniLabel,
  LARGEST_MAPPED_PREFIX,
  type NodeEni,
  nodeEnisBySubnet,
  type SubnetAddressMap,
  subnetAddressMap,
  summariseAddressMap,
} from "./subnetMap.ts";
export {
  decodeMatches,
  decodeSubnetMap,
  decodeSubnetMapWithPods,
  encodeSubnetMap,
  type HolderTuple,
  type MapPod,
  type SubnetMapWire,
  type SubnetMatchesWire,
  subnetMapById,
  subnetMapOf,
  subnetMapWireOf,
  subnetMatches,
} from "./subnetMapWire.ts";
export { withZoneSpace } from "./subnetSpace.ts";
export { eniTotal, knownTotal } from "./totals.ts";
export type * from "./types.ts";
export { COMPACT_FORMAT, type CompactTopology, decodeTopology, encodeTopology } from "./wire.ts";
