// The compressed topology, made once and handed to every request that wants it. Compressed per request, 40
// browsers (or `curl --compressed`) asking at once for a 1,000-node topology took the server from 396 to
// 1,331 MiB: each brotli encoder holds its own window and output, and each copied the text it read. Here
// there is at most one compression in flight per form and encoding, and one finished body kept for them.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createBrotliCompress, createGzip } from "node:zlib";

export type BodyEncoding = "br" | "gzip";
/** What a shared body can be: compressed, or the plain UTF-8 bytes (serialised once for everyone). */
export type SharedEncoding = BodyEncoding | "identity";

/** The encoding to send for an Accept-Encoding header: brotli, else gzip, else none. A q of 0 refuses. */
export function pickEncoding(header: string | undefined): BodyEncoding | null {
  if (!header) return null;
  let best: { encoding: BodyEncoding; q: number } | null = null;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!(q > 0)) continue;
    const encoding = name === "br" ? "br" : name === "gzip" || name === "x-gzip" ? "gzip" : null;
    if (encoding === null) continue;
    // Brotli wins a tie: a fifth smaller than gzip on this JSON.
    if (!best || q > best.q || (q === best.q && encoding === "br")) best = { encoding, q };
  }
  return best?.encoding ?? null;
}

function compressor(encoding: BodyEncoding) {
  return encoding === "br"
    ? // Quality 5: most of brotli's gain on JSON at a small part of the CPU of its default 11.
      createBrotliCompress({
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 5,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        },
      })
    : createGzip({ level: 6 });
}

/** `text` as UTF-8 bytes, a piece at a time with a turn of the event loop in between, so that a 63 MB
 * topology does not hold up the requests and streams being served meanwhile. */
async function utf8(text: Iterable<string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (const piece of text) {
    chunks.push(Buffer.from(piece, "utf8"));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return Buffer.concat(chunks);
}

/** `text` compressed, in the zlib thread pool, read piece by piece (a plain topology is never one string). */
export async function compressText(text: Iterable<string>, encoding: SharedEncoding): Promise<Buffer> {
  if (encoding === "identity") return utf8(text);
  const chunks: Buffer[] = [];
  await pipeline(Readable.from(text, { objectMode: false }), compressor(encoding), async (source) => {
    for await (const chunk of source) chunks.push(chunk as Buffer);
  });
  return Buffer.concat(chunks);
}

export interface Entry {
  seq: number;
  body: Promise<Buffer>;
  pending: boolean;
  /** Requests being sent this body; a plain one is let go when the last is done. */
  users: number;
}

export class SharedCompression {
  private readonly entries = new Map<string, Entry>();
  /** Compressions started, by "form:encoding": what the tests and the bench check. */
  readonly started = new Map<string, number>();

  /**
   * The body of `form` (json or compact) at `seq` in `encoding`. A request that comes while one is being
   * made waits for that one, even when the topology has moved on since: it gets a picture a moment older
   * (its ETag says which) instead of a second compression beside the first.
   */
  get(form: string, encoding: SharedEncoding, seq: number, text: () => Iterable<string>): Entry {
    const key = `${form}:${encoding}`;
    const held = this.entries.get(key);
    if (held && (held.seq === seq || held.pending)) {
      held.users++;
      return held;
    }
    this.started.set(key, (this.started.get(key) ?? 0) + 1);
    const entry: Entry = { seq, pending: true, users: 1, body: compressText(text(), encoding) };
    entry.body.then(
      () => {
        entry.pending = false;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.entries.set(key, entry);
    return entry;
  }

  /** A request is done with `entry`. The plain text of a big topology (63 MB at 5,000 nodes) is not kept
   * once nobody is being sent it; compressed bodies are a tenth of that and stay for the next request. */
  release(form: string, encoding: SharedEncoding, entry: Entry): void {
    entry.users = Math.max(0, entry.users - 1);
    const key = `${form}:${encoding}`;
    if (encoding === "identity" && entry.users === 0 && this.entries.get(key) === entry) {
      entry.body.then(
        () => {
          if (entry.users === 0 && this.entries.get(key) === entry) this.entries.delete(key);
        },
        () => {},
      );
    }
  }
}
