// A small server-sent-events reader for tests: connects over real HTTP and collects parsed events.
import http from "node:http";
import { createGunzip } from "node:zlib";

export interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  /** Bytes as they came over the wire (compressed, when the server compressed). */
  wireBytes = 0;
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  private req: http.ClientRequest | null = null;
  private waiters: { test: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  private parts: string[] = [];
  /** The last character of `parts`, for a blank line split across chunks. */
  private tail = "";

  /** Resolves once the response headers arrived. */
  connect(url: string, headers: Record<string, string> = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = http.get(url, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
        this.status = res.statusCode ?? 0;
        this.headers = res.headers;
        res.on("data", (chunk: Buffer) => {
          this.wireBytes += chunk.length;
        });
        const body =
          res.headers["content-encoding"] === "gzip" ? res.pipe(createGunzip({ chunkSize: 1 << 20 })) : res;
        body.setEncoding("utf8");
        body.on("data", (chunk: string) => this.feed(chunk));
        body.on("error", () => {});
        res.on("error", () => {});
        resolve();
      });
      this.req.on("error", reject);
    });
  }

  /** Splits the stream at blank lines. Chunks are kept apart until an event ends, so a snapshot of many
   * megabytes is joined once rather than re-scanned with every chunk. */
  private feed(chunk: string): void {
    let rest = chunk;
    for (;;) {
      const probe = this.tail + rest;
      const at = probe.indexOf("\n\n");
      if (at < 0) {
        this.parts.push(rest);
        this.tail = probe.slice(-1);
        return;
      }
      const cut = at - this.tail.length;
      let block: string;
      if (cut >= 0) {
        block = this.parts.join("") + rest.slice(0, cut);
        rest = rest.slice(cut + 2);
      } else {
        // The blank line straddles two chunks: the previous one ended with its first newline.
        block = this.parts.join("").slice(0, -1);
        rest = rest.slice(1);
      }
      this.parts = [];
      this.tail = "";
      this.handle(block);
    }
  }

  private handle(block: string): void {
    const event: SseEvent = { event: "message", id: null, data: "" };
    let dataLines: string[] = [];
    let hasField = false;
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) {
        this.comments++;
        continue;
      }
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event.event = value;
      else if (field === "id") event.id = value;
      else if (field === "data") dataLines = [...dataLines, value];
      else continue;
      hasField = true;
    }
    if (!hasField || dataLines.length === 0) return;
    event.data = dataLines.join("\n");
    this.events.push(event);
    for (const w of [...this.waiters]) {
      if (w.test(event)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  }

  /** The first event (already received or still to come) that passes `test`. */
  waitFor(test: (e: SseEvent) => boolean, timeoutMs = 10_000, what = "event"): Promise<SseEvent> {
    const found = this.events.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(`no ${what} within ${timeoutMs} ms (got ${this.events.map((e) => e.event).join(", ")})`),
        );
      }, timeoutMs);
      const done = (e: SseEvent) => {
        clearTimeout(timer);
        resolve(e);
      };
      this.waiters.push({ test, resolve: done });
    });
  }

  close(): void {
    this.req?.destroy();
  }
}
