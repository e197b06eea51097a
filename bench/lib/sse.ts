// Server-sent events over real HTTP for the benchmark: the time each event finished arriving (wall clock,
// comparable across processes) and its size on the wire. A "light" reader only notes the ids it sees, so
// a hundred of them stay cheap for the process that runs them. A reader that asks for gzip reads the
// stream through a gunzip and counts the compressed bytes as they arrive (what the browser receives).
import http from "node:http";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { wallNow } from "./clock.ts";

export interface SseEvent {
  event: string;
  id: number | null;
  data: string;
  /** Bytes of the whole frame (id, event and data lines), as sent. */
  bytes: number;
  /** Wall time (ms) when its last byte arrived. */
  at: number;
  /** Bytes received on the connection (compressed, when it is) up to the end of this event. */
  wireBytes: number;
}

type Waiter = { test: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void; fail: (e: Error) => void };

export class SseReader {
  readonly events: SseEvent[] = [];
  /** Light readers: wall arrival time per event id. */
  readonly idArrivals = new Map<number, number>();
  bytes = 0;
  /** Bytes as received from the socket: compressed ones when the server compressed the stream. */
  wireBytes = 0;
  private readonly light: boolean;
  private req: http.ClientRequest | null = null;
  private pieces: string[] = [];
  private tail = "";
  private waiters: Waiter[] = [];
  private idWaiters: { id: number; resolve: (at: number) => void; fail: (e: Error) => void }[] = [];

  constructor(options: { light?: boolean } = {}) {
    this.light = options.light ?? false;
  }

  /** Resolves once the response headers arrived (status 200), rejects otherwise. */
  connect(url: string, headers: Record<string, string> = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = http.get(url, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`GET ${url} answered ${res.statusCode}`));
          res.resume();
          return;
        }
        const onText = (chunk: string) => (this.light ? this.scanIds(chunk) : this.feed(chunk));
        if (res.headers["content-encoding"] === "gzip") {
          const gunzip = createGunzip();
          res.on("data", (b: Buffer) => {
            this.wireBytes += b.length;
          });
          res.pipe(gunzip);
          gunzip.setEncoding("utf8");
          gunzip.on("data", onText);
          gunzip.on("error", () => res.destroy());
        } else {
          // A character split across two chunks is kept until its last byte arrives.
          const text = new StringDecoder("utf8");
          res.on("data", (b: Buffer) => {
            this.wireBytes += b.length;
            onText(text.write(b));
          });
        }
        res.on("error", () => {});
        res.on("close", () => this.ended(`the server closed ${url} after ${this.bytes} bytes`));
        resolve();
      });
      this.req.on("error", reject);
    });
  }

  private closedWhy: string | null = null;

  private ended(why: string): void {
    this.closedWhy = why;
    for (const w of this.waiters) w.fail(new Error(why));
    for (const w of this.idWaiters) w.fail(new Error(why));
    this.waiters = [];
    this.idWaiters = [];
  }

  private scanIds(chunk: string): void {
    const at = wallNow();
    this.bytes += Buffer.byteLength(chunk);
    const text = this.tail + chunk;
    for (const m of text.matchAll(/(?:^|\n)id: (\d+)\n/g)) {
      const id = Number(m[1]);
      if (this.idArrivals.has(id)) continue;
      this.idArrivals.set(id, at);
      for (const w of this.idWaiters.filter((x) => x.id === id)) w.resolve(at);
      this.idWaiters = this.idWaiters.filter((x) => x.id !== id);
    }
    this.tail = text.slice(-40);
  }

  private feed(chunk: string): void {
    const at = wallNow();
    this.bytes += Buffer.byteLength(chunk);
    const last = this.pieces.at(-1);
    const completes = chunk.includes("\n\n") || (last?.endsWith("\n") && chunk.startsWith("\n"));
    this.pieces.push(chunk);
    if (!completes) return;
    const text = this.pieces.join("");
    const end = text.lastIndexOf("\n\n");
    this.pieces = end + 2 < text.length ? [text.slice(end + 2)] : [];
    for (const block of text.slice(0, end).split("\n\n")) this.parse(block, at);
  }

  private parse(block: string, at: number): void {
    if (block === "") return;
    let event = "message";
    let id: number | null = null;
    const data: string[] = [];
    // Only the data line can be large; look at the short lines around it.
    let pos = 0;
    while (pos < block.length) {
      let nl = block.indexOf("\n", pos);
      if (nl < 0) nl = block.length;
      const line = block.slice(pos, nl);
      pos = nl + 1;
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + (line[colon + 1] === " " ? 2 : 1));
      if (field === "event") event = value;
      else if (field === "id") id = Number(value);
      else if (field === "data") data.push(value);
    }
    if (data.length === 0) return;
    const e: SseEvent = {
      event,
      id,
      data: data.join("\n"),
      bytes: Buffer.byteLength(block) + 2,
      at,
      wireBytes: this.wireBytes,
    };
    this.events.push(e);
    for (const w of [...this.waiters]) {
      if (w.test(e)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  }

  /** The first event, received or to come, that passes `test`. */
  waitFor(test: (e: SseEvent) => boolean, timeoutMs: number, what: string): Promise<SseEvent> {
    const found = this.events.find(test);
    if (found) return Promise.resolve(found);
    if (this.closedWhy) return Promise.reject(new Error(`no ${what}: ${this.closedWhy}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.test !== test);
        reject(new Error(`no ${what} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiters.push({
        test,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
        fail: (e) => {
          clearTimeout(timer);
          reject(new Error(`no ${what}: ${e.message}`));
        },
      });
    });
  }

  /** Light readers: wall time when the event with this id arrived. */
  waitForId(id: number, timeoutMs: number): Promise<number> {
    const seen = this.idArrivals.get(id);
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.closedWhy) return Promise.reject(new Error(`event id ${id} not seen: ${this.closedWhy}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`event id ${id} not seen within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.idWaiters.push({
        id,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
        fail: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /** Drops what was kept so far (a big snapshot), keeping the connection. */
  forget(): void {
    this.events.length = 0;
  }

  close(): void {
    this.closedWhy = "closed by the benchmark";
    this.req?.destroy();
  }
}
