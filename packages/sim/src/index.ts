// startSim: one process playing an EKS cluster and its AWS account. The Kubernetes API (HTTPS), the EC2
// Query API and the admin endpoint listen on 127.0.0.1; kubeconfig and endpoints.json go to the state dir.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type AdminServer, startAdminServer } from "./adminServer.ts";
import { type ControlledClock, createClock } from "./clock.ts";
import type { FaultSettings } from "./contracts.ts";
import { AwsNodeAgents } from "./controllers/awsNodeAgent.ts";
import { EventRecorder } from "./controllers/events.ts";
import { GarbageCollector } from "./controllers/garbageCollector.ts";
import { Kubelets } from "./controllers/kubelet.ts";
import { LoadBalancers } from "./controllers/loadBalancers.ts";
import { NodeGroups } from "./controllers/nodeGroups.ts";
import { renewNodeLeases } from "./controllers/nodeLeases.ts";
import { PodIndex } from "./controllers/podIndex.ts";
import { Scheduler } from "./controllers/scheduler.ts";
import { VpcResourceController } from "./controllers/vpcResources.ts";
import { WorkloadControllers } from "./controllers/workloads.ts";
import { startEc2Server } from "./ec2/server.ts";
import { createFaultControl, type FaultControl } from "./faults.ts";
import { createPodNetwork, type SimPodNetwork } from "./ipamd/podNetwork.ts";
import { type KubeApiServer, startKubeApiServer } from "./kube/server.ts";
import { ObjectStore } from "./kube/store.ts";
import { clusterArn, kubeconfigYaml } from "./kubeconfig.ts";
import { createRandom } from "./random.ts";
import { buildDeclared } from "./scenarios/declared.ts";
import { cniSetupFor, ec2StateFor, simAccountId } from "./scenarios/ec2Setup.ts";
import { type AdoptedPod, buildGenerated } from "./scenarios/generated.ts";
import { placeNeighbours } from "./scenarios/neighbours.ts";
import { loadScenario, type Scenario, ScenarioError } from "./scenarios/scenario.ts";
import { makeCertificates } from "./tls.ts";

export { FaultSettingsError, parseFaultSettings } from "./faults.ts";
export { builtInScenarios, ScenarioError } from "./scenarios/scenario.ts";

export interface StartSimOptions {
  /** Built-in scenario name (scale-lab, prefix-lab, large) or a path to a scenario .json. */
  scenario?: string;
  /** Simulated time runs this many times faster than the wall clock. */
  speed?: number;
  seed?: number;
  /** Where kubeconfig and endpoints.json are written; a new temporary directory when absent. */
  stateDir?: string;
  faults?: Partial<FaultSettings>;
  /** Generated scenarios (large): node count and average pods per node. */
  nodes?: number;
  podsPerNode?: number;
  /** "manual": time moves only through sim.clock.advance(), for tests. */
  clock?: "real" | "manual";
  /** Simulated ms run at once before serving, so the cluster is up when clients connect. */
  settleMs?: number;
  host?: string;
  /** Wall ms between watch bookmarks (the API server sends one about every minute; default 15 s). */
  bookmarkIntervalMs?: number;
}

export interface Sim {
  kubernetesUrl: string;
  ec2Url: string;
  adminUrl: string;
  region: string;
  clusterName: string;
  kubeconfigPath: string;
  endpointsPath: string;
  stateDir: string;
  scenario: Scenario;
  clock: ControlledClock;
  faults: FaultControl;
  store: ObjectStore;
  network: SimPodNetwork;
  stop(): Promise<void>;
}

// IPAMD timings of the real CNI (domain section 2): ~5 s reconcile loop, ENI usable a few seconds after attach.
const ipamdCycleMs = 5_000;
const attachDelayMs = 3_000;

export async function startSim(options: StartSimOptions = {}): Promise<Sim> {
  const scenario = loadScenario(options.scenario ?? "scale-lab");
  if (scenario.generate) {
    if (options.nodes !== undefined) scenario.generate.nodes = positive(options.nodes, "nodes");
    if (options.podsPerNode !== undefined)
      scenario.generate.podsPerNode = positive(options.podsPerNode, "podsPerNode", 0);
  } else if (options.nodes !== undefined || options.podsPerNode !== undefined) {
    throw new ScenarioError(
      `scenario "${scenario.name}" has a fixed size; --nodes and --pods-per-node apply to generated scenarios such as large`,
    );
  }
  const seed = options.seed ?? 1;
  const random = createRandom(seed);
  const settleMs = options.settleMs ?? (scenario.generate ? 0 : 120_000);
  // Start in the past by the settling time, so after settling simulated time meets the wall clock and the
  // ages kubectl computes from timestamps are right (at speed 1).
  const clock = createClock({
    mode: options.clock ?? "real",
    speed: options.speed ?? 1,
    startAt: Date.now() - settleMs,
  });
  const faults = createFaultControl(options.faults ?? {});
  const store = new ObjectStore({ clock, random });
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
  // Custom resources served: read at each request, so a CRD can appear while the simulator runs.
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
  const nodeGroups = new NodeGroups({ ...ctx, clock, pods, cni: cni.settings });
  const scheduler = new Scheduler({ store, clock, random, events });
  const kubelets = new Kubelets({ store, clock, random, events, network });
  for (const pod of adopted) kubelets.adopt(pod);
  const stopEventExpiry = clock.every(60_000, () => events.expire());
  const stopLeases = renewNodeLeases(store, clock);

  // Step through the settling time so each IPAMD cycle sees the kubelets' previous changes.
  for (let t = 0; t < settleMs; t += 1_000) clock.advance(Math.min(1_000, settleMs - t));

  const host = options.host ?? "127.0.0.1";
  const token = randomBytes(24).toString("hex");
  const certs = makeCertificates({ ips: [host], dnsNames: ["localhost"] });
  const servers: { close(): Promise<void> }[] = [];
  const stopAll = async () => {
    stopEventExpiry();
    stopLeases();
    workloads.stop();
    garbage.stop();
    awsNodes.stop();
    vpcResources.stop();
    loadBalancers.stop();
    nodeGroups.stop();
    scheduler.stop();
    kubelets.stop();
    pods.unsubscribe();
    clock.stop();
    await Promise.all(servers.map((s) => s.close()));
  };
  try {
    const kube: KubeApiServer = await startKubeApiServer({
      store,
      faults,
      certs,
      token,
      host,
      crds,
      ...(options.bookmarkIntervalMs ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
    });
    servers.push(kube);
    const ec2 = await startEc2Server({ state, faults: faults.settings, random, host });
    servers.push(ec2);
    const admin: AdminServer = await startAdminServer(faults, host, nodeGroups);
    servers.push(admin);

    const stateDir = resolve(options.stateDir ?? (await mkdtemp(join(tmpdir(), "eni-view-sim-"))));
    await mkdir(stateDir, { recursive: true });
    const kubeconfigPath = join(stateDir, "kubeconfig");
    const endpointsPath = join(stateDir, "endpoints.json");
    const kubeconfig = kubeconfigYaml({
      server: kube.url,
      caPem: certs.caCertPem,
      token,
      region: scenario.region,
      accountId: simAccountId,
      clusterName: scenario.clusterName,
    });
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    const endpoints = {
      kubernetes: kube.url,
      ec2: ec2.url,
      admin: admin.url,
      region: scenario.region,
      cluster: clusterArn({
        region: scenario.region,
        accountId: simAccountId,
        clusterName: scenario.clusterName,
      }),
      scenario: scenario.name,
    };
    await writeFile(endpointsPath, `${JSON.stringify(endpoints, null, 2)}\n`);
    let stopped = false;
    return {
      kubernetesUrl: kube.url,
      ec2Url: ec2.url,
      adminUrl: admin.url,
      region: scenario.region,
      clusterName: scenario.clusterName,
      kubeconfigPath,
      endpointsPath,
      stateDir,
      scenario,
      clock,
      faults,
      store,
      network,
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function positive(n: number, name: string, min = 1): number {
  if (!Number.isInteger(n) || n < min)
    throw new ScenarioError(`${name} must be a whole number >= ${min}, got ${n}`);
  return n;
}
