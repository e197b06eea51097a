// The source behind `serve --recording FILE`: nothing to watch. The feed is given the recording's last
// moment to serve as the present (TopologyFeed's `build`), and the page replays the rest from the file.
import type { ClusterInput, LoadingStep } from "@eni-view/model";
import { stepLabel } from "@eni-view/model";
import { emptyInput } from "../topologyFeed.ts";
import { emptyCounters, type Source, type SourceCounters, type SourceSnapshot } from "./source.ts";

export class RecordingSource implements Source {
  readonly kind = "recording";
  /** One input for the life of the server: the feed builds once and never again. */
  private readonly input: ClusterInput = emptyInput();

  async start(): Promise<void> {}

  snapshot(): SourceSnapshot {
    return { input: this.input, sources: {}, ready: true, loaded: true };
  }

  progress(): LoadingStep[] {
    return [{ ...stepLabel("loading.step.recording"), count: 1, total: 1, complete: true, error: null }];
  }

  counters(): SourceCounters {
    return emptyCounters();
  }

  async stop(): Promise<void> {}
}
