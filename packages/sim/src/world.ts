// One run of a scenario: its Kubernetes objects, its EC2 state, the IPAMDs and every controller, settled on
// its own clock. startSim serves a world; a reset builds a new one and serves that on the same ports.

import { type ControlledClock, createClock } from "./clock.ts";
import type { Ec2State, SimRandom } from "./contracts.ts";
import { AwsNodeAgents } from "./controllers/awsNodeAgent.ts";
import { EventRecorder } from "./controllers/events.ts";
import { FargateScheduler, setFargateProfiles } from "./controllers/fargate.ts";
import { GarbageCollector } from "./controllers/garbageCollector.ts";
import { Kubelets } from "./controllers/kubelet.ts";
import { LoadBalancers } from "./controllers/loadBalancers.ts";
import { NodeGroups } from "./controllers/nodeGroups.ts";
import { renewNodeLeases } from "./controllers/nodeLeases.ts";
import { PodIndex } from "./controllers/podIndex.ts";
import { Scheduler } from "./controllers/scheduler.ts";
import { ServiceAccounts } from "./controllers/serviceAccounts.ts";
import { VpcResourceController } from "./controllers/vpcResources.ts";
import { WindowsIpam } from "./controllers/windowsIpam.ts";
import { WorkloadControllers } from "./controllers/workloads.ts";
import type { FaultControl } from "./faults.ts";
import { createPodNetwork, type SimPodNetwork } from "./ipamd/podNetwork.ts";
import { ObjectStore } from "./kube/store.ts";
import { createRandom } from "./random.ts";
import { buildDeclared } from "./scenarios/declared.ts";
import { cniSetupFor, ec2StateFor } from "./scenarios/ec2Setup.ts";
import { type AdoptedPod, buildGenerated } from "./scenarios/generated.ts";
import { placeNeighbours } from "./scenarios/neighbours.ts";
import { loadScenario, type Scenario, ScenarioError } from "./scenarios/scenario.ts";

// IPAMD timings of the real CNI (domain section 2): ~5 s reconcile loop, ENI usable a few seconds after attach.
const ipamdCycleMs = 5_000;
const attachDelayMs = 3_000;

export interface WorldOptions {
  scenario: string;
  speed?: number;
  seed?: number;
  nodes?: number;
  podsPerNode?: number;
  clock?: "real" | "manual";
  settleMs?: number;
  /** The store's first resourceVersion: a reset starts past the old store's, so a watch resuming from an
   * old one is told 410 Gone and lists again. */
  firstResourceVersion?: number;
}

export interface World {
  scenario: Scenario;
  clock: ControlledClock;
  store: ObjectStore;
  state: Ec2State;
  network: SimPodNetwork;
  random: SimRandom;
  nodeGroups: NodeGroups;
  /** Custom resources served: read at each request, so a CRD can appear while the simulator runs. */
  crds: string[];
  stop(): void;
}

export function buildWorld(options: WorldOptions, faults: FaultControl): World {
  const scenario = loadScenario(options.scenario);
  if (scenario.generate) {
    if (options.nodes !== undefined) scenario.generate.nodes = positive(options.nodes, "nodes");
    if (options.podsPerNode !== undefined)
      scenario.generate.podsPerNode = positive(options.podsPerNode, "podsPerNode", 0);
  } else if (options.nodes !== undefined || options.podsPerNode !== undefined) {
    throw new ScenarioError({ key: "scenario.fixedSize", values: { name: scenario.name } });
  }
  const random = createRandom(options.seed ?? 1);
  const settleMs = options.settleMs ?? (scenario.generate ? 0 : 120_000);
  // Start in the past by the settling time, so after settling simulated time meets the wall clock and the
  // ages kubectl computes from timestamps are right (at speed 1).
  const clock = createClock({
    mode: options.clock ?? "real",
    speed: options.speed ?? 1,
    startAt: Date.now() - settleMs,
  });
  const store = new ObjectStore({ clock, random, firstResourceVersion: options.firstResourceVersion });
  if (scenario.fargateProfiles) setFargateProfiles(store, scenario.fargateProfiles);
  const state = ec2StateFor(scenario, random);
  placeNeighbours(scenario, state, random);
  const cni = cniSetupFor(scenario);
  const network = createPodNetwork({
    state,
    clock,
    random,
    faults: faults.settings,
    cni: cni.settings,
    attachDelayMs,
    cycleMs: ipamdCycleMs,
  });
  const events = new EventRecorder(store);
  const ctx = { scenario, store, state, network, random, cni, events };
  let adopted: AdoptedPod[] = [];
  if (scenario.generate) adopted = buildGenerated(ctx, scenario.generate);
  else buildDeclared(ctx);

  const pods = new PodIndex(store);
  const workloads = new WorkloadControllers({ store, clock, random, events, pods });
  const garbage = new GarbageCollector(store, clock, pods);
  const accounts = new ServiceAccounts(store, systemServiceAccounts(store));
  const crds: string[] = [
    ...(scenario.eniConfigs ? ["eniconfigs"] : []),
    ...(scenario.cniNodes ? ["cninodes"] : []),
    // EKS installs the SecurityGroupPolicy CRD on every cluster.
    ...(scenario.provisioner === "kops" ? [] : ["securitygrouppolicies"]),
  ];
  const installCrd = (name: string) => {
    if (!crds.includes(name)) crds.push(name);
  };
  const awsNodes = new AwsNodeAgents({ store, clock, events, network, installCrd });
  const loadBalancers = new LoadBalancers({
    store,
    state,
    random,
    clock,
    events,
    clusterName: scenario.clusterName,
  });
  const vpcResources = new VpcResourceController({
    store,
    state,
    network,
    random,
    clock,
    clusterName: scenario.clusterName,
  });
  // EKS runs the VPC resource controller's Windows IPAM in the control plane; it matters only with Windows nodes.
  const windowsIpam = scenario.nodeGroups.some((g) => g.os === "windows")
    ? new WindowsIpam({ store, state, random, clock })
    : null;
  const nodeGroups = new NodeGroups({ ...ctx, clock, pods, cni: cni.settings });
  const scheduler = new Scheduler({ store, clock, random, events });
  const kubelets = new Kubelets({ store, clock, random, events, network });
  const fargate = scenario.fargateProfiles
    ? new FargateScheduler({
        store,
        state,
        clock,
        random,
        events,
        region: scenario.region,
        // Fargate profiles take the cluster's subnets the nodes use (private ones, in a real VPC).
        subnetIds: [...state.subnets.values()]
          .filter((s) => scenario.subnets.some((d) => d.cidr === s.cidr && d.zone === s.zone))
          .map((s) => s.id),
      })
    : null;
  for (const pod of adopted) kubelets.adopt(pod);
  const stopEventExpiry = clock.every(60_000, () => events.expire());
  const stopLeases = renewNodeLeases(store, clock);

  // Step through the settling time so each IPAMD cycle sees the kubelets' previous changes.
  for (let t = 0; t < settleMs; t += 1_000) clock.advance(Math.min(1_000, settleMs - t));

  return {
    scenario,
    clock,
    store,
    state,
    network,
    random,
    nodeGroups,
    crds,
    stop() {
      stopEventExpiry();
      stopLeases();
      workloads.stop();
      garbage.stop();
      accounts.stop();
      awsNodes.stop();
      vpcResources.stop();
      windowsIpam?.stop();
      loadBalancers.stop();
      nodeGroups.stop();
      scheduler.stop();
      kubelets.stop();
      fargate?.stop();
      pods.unsubscribe();
      clock.stop();
    },
  };
}

function positive(n: number, name: string, min = 1): number {
  if (!Number.isInteger(n) || n < min)
    throw new ScenarioError({ key: "scenario.optionNumber", values: { name, min, got: n } });
  return n;
}

/** The accounts the system workloads' pod templates name (aws-node, kube-proxy, coredns ...). */
function systemServiceAccounts(store: ObjectStore): { namespace: string; name: string }[] {
  const out = new Map<string, { namespace: string; name: string }>();
  for (const resource of ["daemonsets", "deployments"])
    for (const o of store.all(resource)) {
      const name = o.spec?.template?.spec?.serviceAccountName;
      const namespace = o.metadata.namespace;
      if (typeof name === "string" && name !== "default" && namespace)
        out.set(`${namespace}/${name}`, { namespace, name });
    }
  return [...out.values()];
}
