// Admission of new pods: the LimitRanger plugin fills container requests and limits from the namespace's
// LimitRanges (type Container: defaultRequest, default) and notes it in the kubernetes.io/limit-ranger
// annotation, so a default CPU request (kOps's `limits` LimitRange) counts in scheduling; the VPC resource
// controller's webhook gives a pod that a SecurityGroupPolicy selects a `vpc.amazonaws.com/pod-eni` request,
// and a Windows pod a `vpc.amazonaws.com/PrivateIPv4Address` request when Windows IPAM is on.
import { fargateProfileWebhook } from "../controllers/fargate.ts";
import { windowsIpamWebhook } from "../controllers/windowsIpam.ts";
import { labelSelectorMatches } from "./selectors.ts";
import type { ObjectStore } from "./store.ts";

// biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended JSON
type Json = any;

export function admitPod(store: ObjectStore, pod: Json): void {
  limitRanger(store, pod);
  securityGroupPolicyWebhook(store, pod);
  fargateProfileWebhook(store, pod);
  windowsIpamWebhook(store, pod);
}

/** A SecurityGroupPolicy in the pod's namespace selects it, as the VPC resource controller's webhook
 * does (filterPodSecurityGroups): a policy needs security groups and a podSelector, a
 * serviceAccountSelector (matched against the labels of the ServiceAccount the pod runs as) or both, and
 * each selector it has must match. A selected pod's first container then requests and limits one branch
 * ENI. */
function securityGroupPolicyWebhook(store: ObjectStore, pod: Json): void {
  const ns = pod.metadata?.namespace;
  const labels: Record<string, string> = pod.metadata?.labels ?? {};
  const account = store.get("serviceaccounts", ns, pod.spec?.serviceAccountName ?? "default");
  const accountLabels: Record<string, string> = account?.metadata.labels ?? {};
  const selected = [...store.all("securitygrouppolicies")].some((sgp) => {
    if (sgp.metadata.namespace !== ns) return false;
    const { podSelector, serviceAccountSelector, securityGroups } = sgp.spec ?? {};
    if ((!podSelector && !serviceAccountSelector) || !(securityGroups?.groupIds?.length > 0)) return false;
    if (podSelector && !labelSelectorMatches(podSelector, labels)) return false;
    return !serviceAccountSelector || labelSelectorMatches(serviceAccountSelector, accountLabels);
  });
  const first = pod.spec?.containers?.[0];
  if (!selected || !first) return;
  pod.spec = { ...pod.spec, containers: structuredClone(pod.spec.containers) };
  const c = pod.spec.containers[0];
  c.resources ??= {};
  c.resources.requests = { ...c.resources.requests, "vpc.amazonaws.com/pod-eni": "1" };
  c.resources.limits = { ...c.resources.limits, "vpc.amazonaws.com/pod-eni": "1" };
}

function limitRanger(store: ObjectStore, pod: Json): void {
  const ns = pod.metadata?.namespace;
  const notes: string[] = [];
  const ranges = [...store.all("limitranges")].filter((r) => r.metadata.namespace === ns);
  if (ranges.length === 0) return;
  // Controllers' pods share their template's containers: change a copy.
  pod.spec = { ...pod.spec, containers: structuredClone(pod.spec?.containers ?? []) };
  for (const range of ranges) {
    for (const item of range.spec?.limits ?? []) {
      if (item.type !== "Container") continue;
      for (const c of pod.spec?.containers ?? []) {
        c.resources ??= {};
        for (const [field, what] of [
          ["defaultRequest", "requests"],
          ["default", "limits"],
        ] as const) {
          for (const [resource, value] of Object.entries<string>(item[field] ?? {})) {
            if (c.resources[what]?.[resource] !== undefined) continue;
            c.resources[what] = { ...c.resources[what], [resource]: value };
            notes.push(`${resource} ${what === "requests" ? "request" : "limit"} for container ${c.name}`);
          }
        }
      }
    }
  }
  if (notes.length) {
    pod.metadata.annotations = {
      ...pod.metadata.annotations,
      "kubernetes.io/limit-ranger": `LimitRanger plugin set: ${notes.join("; ")}`,
    };
  }
}
