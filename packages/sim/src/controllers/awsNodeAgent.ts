// The aws-node container on each node, as far as its settings go: when an aws-node pod starts, its env
// decides how that node's IPAMD carries on (new targets, prefix delegation ...) or, for a value
// validateEnvVars refuses, the container exits and the pod crash-loops (kubelet's back-off from 10 s,
// doubling to 5 min) while IPAMD stays down. While no aws-node runs on a node, its IPAMD is stopped and
// CNI ADD gets no IP; pods that have one keep it.

import { awsNodeStartup } from "@eni-view/model";
import type { SimClock, SimCniSettings } from "../contracts.ts";
import type { SimPodNetwork } from "../ipamd/podNetwork.ts";
import { kubeTime, type ObjectStore } from "../kube/store.ts";
import type { KubeObject, StoreChange } from "../kube/types.ts";
import { cniNodeFeatures, cniNodeObject, ENI_CONFIG_LABEL } from "../scenarios/nodes.ts";
import type { EventRecorder } from "./events.ts";

const container = "aws-node";

export function isAwsNodePod(pod: KubeObject): boolean {
  return pod.metadata.namespace === "kube-system" && pod.metadata.labels?.["k8s-app"] === "aws-node";
}

function envOf(pod: KubeObject): Record<string, string> {
  const c = (pod.spec?.containers ?? []).find((x: { name: string }) => x.name === container);
  const env: Record<string, string> = {};
  for (const e of c?.env ?? []) if (typeof e.value === "string") env[e.name] = e.value;
  return env;
}

export interface AwsNodeAgentOptions {
  store: ObjectStore;
  clock: SimClock;
  events: EventRecorder;
  network: SimPodNetwork;
  /** Serves a custom resource's kind from now on (the CNINode CRD, when aws-node first writes one). */
  installCrd: (resource: string) => void;
}

export class AwsNodeAgents {
  private readonly o: AwsNodeAgentOptions;
  private readonly backoffs = new Map<string, () => void>();
  private readonly unsubscribe: () => void;
  /** The env and settings aws-node runs with, by node, while it runs. */
  private readonly running = new Map<string, { env: Record<string, string>; settings: SimCniSettings }>();

  constructor(options: AwsNodeAgentOptions) {
    this.o = options;
    this.unsubscribe = options.store.subscribe((change) => this.observe(change));
  }

  stop(): void {
    this.unsubscribe();
    for (const cancel of this.backoffs.values()) cancel();
    this.backoffs.clear();
  }

  private observe(change: StoreChange): void {
    if (change.resource === "eniconfigs") {
      this.eniConfigChanged();
      return;
    }
    if (change.resource !== "pods" || !isAwsNodePod(change.object)) return;
    const pod = change.object;
    const node: string | undefined = pod.spec?.nodeName;
    if (!node) return;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (change.type === "DELETED" || pod.metadata.deletionTimestamp) {
      this.backoffs.get(key)?.();
      this.backoffs.delete(key);
      this.running.delete(node);
      if (this.o.network.ipamd(node)) this.o.network.pauseNode(node);
      return;
    }
    const started = pod.status?.phase === "Running" && change.previous?.status?.phase !== "Running";
    if (started) this.start(pod, node, 0);
  }

  private start(pod: KubeObject, node: string, restarts: number): void {
    const { network } = this.o;
    const env = envOf(pod);
    const result = awsNodeStartup(env);
    if (result.ok) {
      this.running.set(node, { env, settings: result.settings });
      if (network.ipamd(node))
        network.resumeNode(node, result.settings, this.eniConfigSubnet(node, env, result.settings));
      this.addCniNodeFeatures(node, result.settings);
      return;
    }
    if (network.ipamd(node)) network.pauseNode(node);
    this.crash(pod, node, restarts, result.error);
  }

  /** IPAMD reads the node's ENIConfig each time it allocates an ENI: an ENIConfig created or changed
   * sends the next ENIs of every node running custom networking that names it to its subnet. */
  private eniConfigChanged(): void {
    for (const [node, { env, settings }] of this.running) {
      const subnet = this.eniConfigSubnet(node, env, settings);
      if (typeof subnet === "string" && this.o.network.ipamd(node)) this.o.network.useEniSubnet(node, subnet);
    }
  }

  /** The subnet new ENIs go to from this start on. Upstream IPAMD reads the node's ENIConfig whenever it
   * allocates an ENI (eniconfig.MyENIConfig in tryAllocateENI) and skips the primary ENI when topping up
   * IPs under custom networking (GetAllocatableENIs), so a restarted aws-node applies a custom-networking
   * switch to the nodes already there as well, for the ENIs it attaches from then on; the ENIs and IPs it
   * has stay, and kubelet's max pods changes only on new nodes (AWS says to replace the nodes for the
   * change to take full effect). No ENIConfig found: the node keeps what it had (upstream attaches no
   * ENI then, which the simulator does not model). */
  private eniConfigSubnet(
    nodeName: string,
    env: Record<string, string>,
    settings: SimCniSettings,
  ): string | null | undefined {
    if (!settings.customNetworking) return null;
    const node = this.o.store.get("nodes", undefined, nodeName);
    const name = node?.metadata.labels?.[env.ENI_CONFIG_LABEL_DEF ?? ENI_CONFIG_LABEL] ?? "default";
    const config = this.o.store.get("eniconfigs", undefined, name);
    const subnet = config?.spec?.subnet;
    return typeof subnet === "string" ? subnet : undefined;
  }

  /** nodeInit's AddFeatureToCNINode: features are added if missing, never taken away. */
  private addCniNodeFeatures(nodeName: string, settings: SimCniSettings): void {
    const { store, network } = this.o;
    const node = store.get("nodes", undefined, nodeName);
    const ipamd = network.ipamd(nodeName);
    if (!node || !ipamd || !settings.podEni) return;
    const instance = ipamd.facts;
    const managed = ipamd.pool.enis.filter((e) => !e.noManage).length;
    const unmanaged = ipamd.pool.enis.length - managed;
    const room = ipamd.pool.enis.length < instance.maxEnis - unmanaged;
    const eniConfig = node.metadata.labels?.[ENI_CONFIG_LABEL] ?? null;
    const wanted = cniNodeFeatures(settings, eniConfig, room);
    const current = store.get("cninodes", undefined, nodeName);
    if (!current) {
      this.o.installCrd("cninodes");
      store.create("cninodes", cniNodeObject(nodeName, wanted));
      return;
    }
    const have: { name: string }[] = current.spec?.features ?? [];
    const missing = wanted.filter((f) => !have.some((h) => h.name === f.name));
    if (missing.length === 0) return;
    store.update("cninodes", undefined, nodeName, (c) => {
      c.spec = { ...c.spec, features: [...have, ...missing] };
    });
  }

  private crash(pod: KubeObject, node: string, restarts: number, error: string): void {
    const { store, clock, events } = this.o;
    const ns = pod.metadata.namespace as string;
    const name = pod.metadata.name;
    const current = store.get("pods", ns, name);
    if (!current || current.metadata.deletionTimestamp) return;
    const now = kubeTime(clock.now());
    const backoffSeconds = Math.min(10 * 2 ** restarts, 300);
    const updated = store.update("pods", ns, name, (p) => {
      p.status = {
        ...p.status,
        conditions: (p.status?.conditions ?? []).map((c: { type: string }) =>
          c.type === "Ready" || c.type === "ContainersReady"
            ? {
                ...c,
                status: "False",
                lastTransitionTime: now,
                reason: "ContainersNotReady",
                message: `containers with unready status: [${container}]`,
              }
            : c,
        ),
        containerStatuses: (p.status?.containerStatuses ?? []).map((s: { name: string }) =>
          s.name === container
            ? {
                ...s,
                ready: false,
                started: false,
                restartCount: restarts + 1,
                state: {
                  waiting: {
                    reason: "CrashLoopBackOff",
                    message: `back-off ${backoffSeconds}s restarting failed container=${container} pod=${name}_${ns}(${p.metadata.uid})`,
                  },
                },
                lastState: {
                  terminated: {
                    exitCode: 1,
                    reason: "Error",
                    message: error,
                    startedAt: now,
                    finishedAt: now,
                  },
                },
              }
            : s,
        ),
      };
    });
    events.record(
      updated,
      "Warning",
      "BackOff",
      `Back-off restarting failed container ${container} in pod ${name}_${ns}(${updated.metadata.uid})`,
      { component: "kubelet", host: node },
      `spec.containers{${container}}`,
    );
    const key = `${ns}/${name}`;
    this.backoffs.set(
      key,
      clock.after(backoffSeconds * 1000, () => this.start(updated, node, restarts + 1)),
    );
  }
}
