// The simulator as a source: start it in this process, then read it with the same Kubernetes and EC2
// adapters a real cluster gets. The simulator speaks the real APIs, so nothing here is special.
import type { LoadingStep } from "@eni-view/model";
import { stepLabel } from "@eni-view/model";
import { ScenarioError, type Sim, type StartSimOptions, startSim } from "@eni-view/sim";
import { ClusterSource, type ClusterSourceOptions } from "./clusterSource.ts";
import {
  emptyCounters,
  type Source,
  SourceConfigError,
  type SourceCounters,
  type SourceSnapshot,
} from "./source.ts";

export interface SimSourceOptions
  extends Omit<
    ClusterSourceOptions,
    "kind" | "kubeconfigPath" | "context" | "region" | "ec2Endpoint" | "ec2Credentials"
  > {
  scenario?: string;
  speed?: number;
  seed?: number;
  stateDir?: string;
  /** The simulator's admin endpoint answers requests that ask for no language in this one. */
  language?: "en" | "ko";
  /** Generated scenarios (large): size. */
  nodes?: number;
  podsPerNode?: number;
  faults?: StartSimOptions["faults"];
}

export class SimSource implements Source {
  readonly kind = "sim";
  private readonly options: SimSourceOptions;
  private sim: Sim | null = null;
  private inner: ClusterSource | null = null;
  private readonly idle = emptyCounters();
  private keepingRaw = false;

  constructor(options: SimSourceOptions = {}) {
    this.options = options;
  }

  /** The running simulator's endpoints (kubeconfig for kubectl, admin URL for faults). */
  get endpoints(): Sim | null {
    return this.sim;
  }

  async start(onChange: () => void): Promise<void> {
    const { scenario, speed, seed, stateDir, nodes, podsPerNode, faults, language, ...rest } = this.options;
    try {
      this.sim = await startSim({ scenario, speed, seed, stateDir, nodes, podsPerNode, faults, language });
    } catch (err) {
      if (err instanceof ScenarioError) throw new SourceConfigError(err.said ?? err.message, err.message);
      throw err;
    }
    const sim = this.sim;
    this.inner = new ClusterSource({
      ...rest,
      // Read at every snapshot: a reset may switch the simulator to another scenario (kops-lab's cluster).
      get clusterName() {
        return rest.clusterName ?? sim.clusterName;
      },
      kind: "sim",
      clusterSpeed: this.options.speed ?? 1,
      kubeconfigPath: this.sim.kubeconfigPath,
      region: this.sim.region,
      ec2Endpoint: this.sim.ec2Url,
      // The simulator accepts any key but, like AWS, wants a SigV4 signature.
      ec2Credentials: { accessKeyId: "AKIAENIVIEWSIM000000", secretAccessKey: "eni-view-simulator" },
    });
    if (this.keepingRaw) this.inner.keepRaw();
    await this.inner.start(onChange);
  }

  snapshot(): SourceSnapshot {
    return this.inner?.snapshot() ?? { input: null, sources: {}, ready: false, loaded: false };
  }

  progress(): LoadingStep[] {
    return (
      this.inner?.progress() ?? [
        { ...stepLabel("loading.step.simulator"), count: 0, total: null, complete: false, error: null },
      ]
    );
  }

  raw(): ReturnType<ClusterSource["raw"]> {
    return this.inner?.raw() ?? null;
  }

  /** Keep the wire documents for `capture`; before start(). */
  keepRaw(): void {
    this.keepingRaw = true;
  }

  counters(): SourceCounters {
    return this.inner?.counters() ?? this.idle;
  }

  async stop(): Promise<void> {
    await this.inner?.stop();
    await this.sim?.stop();
  }
}
