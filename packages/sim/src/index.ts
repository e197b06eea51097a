// startSim: one process playing an EKS cluster and its AWS account. The Kubernetes API (HTTPS), the EC2
// Query API and the admin endpoint listen on 127.0.0.1; kubeconfig and endpoints.json go to the state dir.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ServerLanguage } from "@eni-view/model";
import { type AdminServer, type NodeGroupControl, startAdminServer } from "./adminServer.ts";
import type { ControlledClock } from "./clock.ts";
import type { FaultSettings } from "./contracts.ts";
import { type Ec2Server, startEc2Server } from "./ec2/server.ts";
import { createFaultControl, type FaultControl } from "./faults.ts";
import type { SimPodNetwork } from "./ipamd/podNetwork.ts";
import { type KubeApiServer, startKubeApiServer } from "./kube/server.ts";
import type { ObjectStore } from "./kube/store.ts";
import { clusterArn, kubeconfigYaml } from "./kubeconfig.ts";
import { simAccountId } from "./scenarios/ec2Setup.ts";
import type { Scenario } from "./scenarios/scenario.ts";
import { makeCertificates } from "./tls.ts";
import { buildWorld, type WorldOptions } from "./world.ts";

export { FaultSettingsError, parseFaultSettings } from "./faults.ts";
export { builtInScenarios, loadScenario, ScenarioError } from "./scenarios/scenario.ts";

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
  /** The admin endpoint's language for a request that asks for none (Accept-Language): the CLI's. */
  language?: ServerLanguage;
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
  /** Starts the scenario (this one, or the one named) again from its beginning, on the same URLs; resolves
   * to the scenario's name. The store, clock and network above are the new run's afterwards. */
  reset(scenario?: string): Promise<string>;
  /** Lets a page served from this origin call the admin endpoint's reset (lab mode's "Reset the lab"). */
  allowAdminOrigin(origin: string): void;
  stop(): Promise<void>;
}

export async function startSim(options: StartSimOptions = {}): Promise<Sim> {
  const started = options.scenario ?? "scale-lab";
  const faults = createFaultControl(options.faults ?? {});
  const worldOptions = (scenario: string, firstResourceVersion?: number): WorldOptions => ({
    scenario,
    speed: options.speed,
    seed: options.seed,
    clock: options.clock,
    settleMs: options.settleMs,
    firstResourceVersion,
    // --nodes and --pods-per-node size the scenario started; another one a reset switches to keeps its own.
    ...(scenario === started ? { nodes: options.nodes, podsPerNode: options.podsPerNode } : {}),
  });
  let world = buildWorld(worldOptions(started), faults);

  const host = options.host ?? "127.0.0.1";
  const token = randomBytes(24).toString("hex");
  const certs = makeCertificates({ ips: [host], dnsNames: ["localhost"] });
  const serveKube = (port?: number) =>
    startKubeApiServer({
      store: world.store,
      faults,
      certs,
      token,
      host,
      port,
      crds: world.crds,
      ...(options.bookmarkIntervalMs ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
    });
  const serveEc2 = (port?: number) =>
    startEc2Server({ state: world.state, faults: faults.settings, random: world.random, host, port });
  let kube: KubeApiServer | null = null;
  let ec2: Ec2Server | null = null;
  let admin: AdminServer | null = null;
  const stopAll = async () => {
    world.stop();
    await Promise.all([kube, ec2, admin].map((s) => s?.close()));
  };
  try {
    kube = await serveKube();
    ec2 = await serveEc2();
    // The node groups and the reset act on whichever world is served now.
    const nodeGroups: NodeGroupControl = {
      list: () => world.nodeGroups.list(),
      update: (name, change) => world.nodeGroups.update(name, change),
      rollingUpdate: (name, force) => world.nodeGroups.rollingUpdate(name, force),
    };
    admin = await startAdminServer(
      faults,
      host,
      nodeGroups,
      { reset: (scenario) => reset(scenario) },
      options.language,
    );

    const stateDir = resolve(options.stateDir ?? (await mkdtemp(join(tmpdir(), "eni-view-sim-"))));
    await mkdir(stateDir, { recursive: true });
    const kubeconfigPath = join(stateDir, "kubeconfig");
    const endpointsPath = join(stateDir, "endpoints.json");
    const writeFiles = async () => {
      const { scenario } = world;
      const kubeconfig = kubeconfigYaml({
        server: kube!.url,
        caPem: certs.caCertPem,
        token,
        region: scenario.region,
        accountId: simAccountId,
        clusterName: scenario.clusterName,
      });
      await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
      const endpoints = {
        kubernetes: kube!.url,
        ec2: ec2!.url,
        admin: admin!.url,
        region: scenario.region,
        cluster: clusterArn({
          region: scenario.region,
          accountId: simAccountId,
          clusterName: scenario.clusterName,
        }),
        scenario: scenario.name,
      };
      await writeFile(endpointsPath, `${JSON.stringify(endpoints, null, 2)}\n`);
    };
    await writeFiles();

    // A reset builds the new world first (a scenario that does not load leaves the running one alone), then
    // serves it on the same ports with the same token and CA, so KUBECONFIG and the URLs stay valid.
    let resetting: Promise<string> | null = null;
    const reset = (scenario?: string): Promise<string> => {
      resetting ??= (async () => {
        try {
          const next = buildWorld(
            worldOptions(scenario ?? world.scenario.name, Number(world.store.resourceVersion()) + 1),
            faults,
          );
          await Promise.all([kube!.close(), ec2!.close()]);
          world.stop();
          world = next;
          kube = await serveKube(portOf(kube!.url));
          ec2 = await serveEc2(portOf(ec2!.url));
          await writeFiles();
          return world.scenario.name;
        } finally {
          resetting = null;
        }
      })();
      return resetting;
    };

    let stopped = false;
    return {
      kubernetesUrl: kube.url,
      ec2Url: ec2.url,
      adminUrl: admin.url,
      get region() {
        return world.scenario.region;
      },
      get clusterName() {
        return world.scenario.clusterName;
      },
      kubeconfigPath,
      endpointsPath,
      stateDir,
      get scenario() {
        return world.scenario;
      },
      get clock() {
        return world.clock;
      },
      faults,
      get store() {
        return world.store;
      },
      get network() {
        return world.network;
      },
      reset,
      allowAdminOrigin: (origin) => admin!.allowOrigin(origin),
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

function portOf(url: string): number {
  return Number(new URL(url).port);
}
