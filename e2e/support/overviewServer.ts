// The real server on a synthetic cluster of any size (bench/procs/overviewPage.ts), in a process of its
// own: for the page at 100,000 nodes, which the simulator cannot hold on a CI machine. `addPod` puts a pod
// on a named node through the server's own feed.
import { fork } from "node:child_process";
import { repoRoot } from "./system.ts";

export interface OverviewServer {
  url: string;
  /** ms of the synthetic cluster's making, and from the process start to the server's first picture. */
  generatedMs: number;
  readyMs: number;
  cpuMs: number;
  addPod(node: string): Promise<string>;
  stop(): void;
}

/** `overviewFrom` moves the server's line (10,000 nodes), so a smaller cluster, made sooner, is sent the
 * overview too. */
export async function startOverviewServer(
  nodes: number,
  podsPerNode: number,
  overviewFrom = 10_000,
): Promise<OverviewServer> {
  const child = fork(
    `${repoRoot}bench/procs/overviewPage.ts`,
    [String(nodes), String(podsPerNode), `${repoRoot}apps/web/dist`, String(overviewFrom)],
    { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: ["--max-old-space-size=8000"] },
  );
  let next = 1;
  const waiting = new Map<number, (m: { pod?: string; error?: string }) => void>();
  type Ready = { url: string; generatedMs: number; readyMs: number; cpuMs: number };
  const ready = new Promise<Ready>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the overview server exited (${code})`)));
    child.on("message", (m: { type: string; id?: number; url?: string; pod?: string; error?: string }) => {
      if (m.type === "ready") resolve(m as unknown as Ready);
      else if (m.type === "reply" && m.id !== undefined) waiting.get(m.id)?.(m);
    });
  });
  const stop = () => {
    child.kill("SIGTERM");
  };
  try {
    const r = await ready;
    return {
      ...r,
      stop,
      addPod: (node) =>
        new Promise((resolve, reject) => {
          const id = next++;
          waiting.set(id, (m) => (m.pod ? resolve(m.pod) : reject(new Error(m.error ?? "no pod added"))));
          child.send({ type: "addPod", id, node });
        }),
    };
  } catch (e) {
    stop();
    throw e;
  }
}
