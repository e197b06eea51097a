// What the scheduler reads of a pod's spec (a Kubernetes Pod's `spec`, as JSON): requests summed over the
// containers, the node selector, required node affinity, tolerations and priority.
import { parseCpuMilli, parseQuantity } from "../quantity.ts";
import type { NodeSelectorTerm, PodScheduling } from "../types.ts";
import { tolerationsFromSpec } from "./taints.ts";

/** The scheduler's non-zero request defaults for scoring (DefaultMilliCPURequest, DefaultMemoryRequest). */
const DEFAULT_CPU_SCORE_MILLI = 100;
const DEFAULT_MEMORY_SCORE_BYTES = 200 * 1024 * 1024;

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

function quantity(value: unknown, parse: (text: string | number) => number | null): number {
  return typeof value === "string" || typeof value === "number" ? (parse(value) ?? 0) : 0;
}

export function podSchedulingFromSpec(spec: unknown): PodScheduling {
  const s = record(spec) ?? {};
  let cpuMilli = 0;
  let memoryBytes = 0;
  let podEni = 0;
  let privateIpv4 = 0;
  let cpuScoreMilli = 0;
  let memoryScoreBytes = 0;
  for (const c of Array.isArray(s.containers) ? s.containers : []) {
    const requests = record(record(record(c)?.resources)?.requests) ?? {};
    podEni += Number(requests["vpc.amazonaws.com/pod-eni"] ?? 0) || 0;
    privateIpv4 += Number(requests["vpc.amazonaws.com/PrivateIPv4Address"] ?? 0) || 0;
    const cpu = quantity(requests.cpu, parseCpuMilli);
    const memory = quantity(requests.memory, parseQuantity);
    cpuMilli += cpu;
    memoryBytes += memory;
    cpuScoreMilli += cpu || DEFAULT_CPU_SCORE_MILLI;
    memoryScoreBytes += memory || DEFAULT_MEMORY_SCORE_BYTES;
  }
  const selector = record(s.nodeSelector);
  const nodeAffinity = record(record(s.affinity)?.nodeAffinity);
  const terms = record(nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution)?.nodeSelectorTerms;
  const preferred = nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  const preferredTerms = (Array.isArray(preferred) ? preferred : [])
    .map(record)
    .filter(
      (p): p is Json => p !== undefined && typeof p.weight === "number" && record(p.preference) !== undefined,
    )
    .map((p) => ({ weight: p.weight as number, preference: p.preference as NodeSelectorTerm }));
  return {
    cpuMilli,
    memoryBytes,
    podEni,
    ...(privateIpv4 > 0 ? { privateIpv4 } : {}),
    cpuScoreMilli,
    memoryScoreBytes,
    nodeSelector: selector && Object.keys(selector).length > 0 ? (selector as Record<string, string>) : null,
    nodeAffinity: Array.isArray(terms) && terms.length > 0 ? (terms as NodeSelectorTerm[]) : null,
    preferredAffinity: preferredTerms.length > 0 ? preferredTerms : null,
    tolerations: tolerationsFromSpec(s.tolerations),
    priority: typeof s.priority === "number" ? s.priority : 0,
  };
}

/** A key equal for pods the scheduler cannot tell apart (same requests, selector, affinity, tolerations). */
export function schedulingKey(p: PodScheduling): string {
  return `${p.cpuMilli}|${p.memoryBytes}|${p.podEni}|${p.privateIpv4 ?? 0}|${p.cpuScoreMilli}|${p.memoryScoreBytes}|${p.priority}|${JSON.stringify(p.nodeSelector)}|${JSON.stringify(p.nodeAffinity)}|${JSON.stringify(p.preferredAffinity)}|${JSON.stringify(p.tolerations)}`;
}
