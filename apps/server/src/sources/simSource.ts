// The simulator as a source: start it in this process, then read it with the same Kubernetes and EC2
// adapters a real cluster gets. The simulator speaks the real APIs, so nothing here is special.
import { startSim } from "@eni-view/sim";
import { ClusterSource, type ClusterSourceOptions } from "./clusterSource.ts";
import type { Source, SourceCounters, SourceSnapshot } from "./source.ts";

export interface SimSourceOptions
  extends Omit<
    ClusterSourceOptions,
    "kind" | "kubeconfigPath" | "context" | "region" | "ec2Endpoint" | "ec2Credentials"
  > {
  scenario?: string;
  speed?: number;
  seed?: number;
  stateDir?: string;
}

type RunningSim = Awaited<ReturnType<typeof startSim>>;

export class SimSource implements Source {
  readonly kind = "sim";
  private readonly options: SimSourceOptions;
  private sim: RunningSim | null = null;
  private inner: ClusterSource | null = null;

  constructor(options: SimSourceOptions = {}) {
    this.options = options;
  }

  /** The running simulator's endpoints (kubeconfig for kubectl, admin URL for faults). */
  get endpoints(): RunningSim | null {
    return this.sim;
  }

  async start(onChange: () => void): Promise<void> {
    const { scenario, speed, seed, stateDir, ...rest } = this.options;
    this.sim = await startSim({ scenario, speed, seed, stateDir });
    this.inner = new ClusterSource({
      ...rest,
      kind: "sim",
      kubeconfigPath: this.sim.kubeconfigPath,
      region: this.sim.region,
      ec2Endpoint: this.sim.ec2Url,
      // The simulator accepts any key but, like AWS, wants a SigV4 signature.
      ec2Credentials: { accessKeyId: "AKIAENIVIEWSIM000000", secretAccessKey: "eni-view-simulator" },
    });
    await this.inner.start(onChange);
  }

  snapshot(): SourceSnapshot {
    return this.inner?.snapshot() ?? { input: null, sources: {}, ready: false };
  }

  raw(): ReturnType<ClusterSource["raw"]> {
    return this.inner?.raw() ?? null;
  }

  counters(): SourceCounters {
    return this.inner!.counters();
  }

  async stop(): Promise<void> {
    await this.inner?.stop();
    await this.sim?.stop();
  }
}
