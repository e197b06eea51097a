// A big response (a topology is tens of megabytes on a big cluster) goes out in pieces, each encoded to
// bytes only when the socket or the compressor takes it, instead of being copied whole into one buffer.
import { Readable } from "node:stream";

/** 256 KiB of characters. Every viewer or request that is being sent a big topology holds one piece as a
 * string and again as bytes in its socket: with 1 MiB pieces, 200 streams that never read held 1.3 GB at
 * 1,000 nodes (bench "load"). A 60 MB snapshot still takes only a few hundred cheap trips through the
 * event loop. */
export const defaultPieceChars = 1 << 18;

/** `text` in consecutive slices of at most `size` characters; a slice never ends between the two halves
 * of a surrogate pair, since each slice is encoded to UTF-8 on its own. */
export function* pieces(text: string, size = defaultPieceChars): Generator<string> {
  if (text.length <= size) {
    yield text;
    return;
  }
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + size, text.length);
    const last = text.charCodeAt(end - 1);
    // A piece of one character that is half a pair takes the other half too.
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += end - 1 > at ? -1 : 1;
    yield text.slice(at, end);
    at = end;
  }
}

/** A body for reply.send() that reads `text` (or pieces of text made as they are taken) piece by piece
 * as the response takes it. */
export function pieceStream(text: string | Iterable<string>, size = defaultPieceChars): Readable {
  const source = typeof text === "string" ? pieces(text, size) : text;
  return Readable.from(source, { objectMode: false, encoding: "utf8" });
}

/** The JSON.stringify text of `value` in consecutive strings of about `size` characters, serialised as
 * they are taken: the outer `depth` levels of objects and arrays are walked here and each value below
 * them (a node, a pod) is stringified on its own, so the whole text never exists at once (63 MB for a
 * topology of 5,000 nodes, and more while JSON.stringify assembles it). */
export function* jsonPieces(value: unknown, size = defaultPieceChars, depth = 2): Generator<string> {
  if (!walked(value, depth)) {
    const text = JSON.stringify(value);
    if (text !== undefined) yield* pieces(text, size);
    return;
  }
  let buffer = "";
  for (const part of jsonParts(value, depth)) {
    buffer += part;
    if (buffer.length >= size) {
      yield* pieces(buffer, size);
      buffer = "";
    }
  }
  if (buffer !== "") yield buffer;
}

function walked(value: unknown, depth: number): value is object {
  return (
    depth > 0 &&
    typeof value === "object" &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function"
  );
}

/** What JSON.stringify writes for a value it can write (walked(value, depth) or leaf !== undefined). */
function* jsonParts(value: object, depth: number): Generator<string> {
  if (Array.isArray(value)) {
    yield "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ",";
      const item: unknown = value[i];
      if (walked(item, depth - 1)) yield* jsonParts(item, depth - 1);
      // JSON.stringify writes null for an element it cannot write (undefined, a function).
      else yield JSON.stringify(item) ?? "null";
    }
    yield "]";
    return;
  }
  yield "{";
  let first = true;
  for (const key of Object.keys(value)) {
    const field: unknown = (value as Record<string, unknown>)[key];
    const prefix = `${first ? "" : ","}${JSON.stringify(key)}:`;
    if (walked(field, depth - 1)) {
      first = false;
      yield prefix;
      yield* jsonParts(field, depth - 1);
      continue;
    }
    const text = JSON.stringify(field);
    // ... and leaves out a field it cannot write.
    if (text === undefined) continue;
    first = false;
    yield prefix + text;
  }
  yield "}";
}
