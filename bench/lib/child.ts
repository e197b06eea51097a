// A forked Node process spoken to over IPC: `ready()` waits for its {type:"ready"} message, `ask()` sends a
// request with an id and resolves with the {type:"reply"} carrying the same id.
import { type ChildProcess, fork } from "node:child_process";

export interface Child<Ready> {
  process: ChildProcess;
  ready: Promise<Ready>;
  ask<T>(type: string, body?: object, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export function startChild<Ready>(
  script: string,
  args: string[],
  options: { execArgv?: string[]; readyTimeoutMs: number; name: string },
): Child<Ready> {
  const proc = fork(script, args, {
    execArgv: options.execArgv ?? [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited: Error | null = null;
  const ready = new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.name} was not ready within ${options.readyTimeoutMs / 1000} s`)),
      options.readyTimeoutMs,
    );
    proc.on("message", (m: { type: string; id?: number; error?: string }) => {
      if (m.type === "ready") {
        clearTimeout(timer);
        resolve(m as Ready);
      } else if (m.type === "reply" && m.id !== undefined) {
        const w = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.error) w?.reject(new Error(`${options.name}: ${m.error}`));
        else w?.resolve(m);
      }
    });
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      exited = new Error(`${options.name} exited (code ${code}, signal ${signal})`);
      reject(exited);
      for (const w of waiting.values()) w.reject(exited);
      waiting.clear();
    });
  });
  ready.catch(() => {});
  return {
    process: proc,
    ready,
    ask<T>(type: string, body: object = {}, timeoutMs = 120_000): Promise<T> {
      if (exited) return Promise.reject(exited);
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`${options.name} did not answer "${type}" within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        waiting.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        proc.send({ type, id, ...body });
      });
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise((r) => proc.once("exit", r));
      if (proc.connected) proc.send({ type: "stop", id: 0 });
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
