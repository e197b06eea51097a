// A big response (a topology is tens of megabytes on a big cluster) goes out in pieces, each encoded to
// bytes only when the socket or the compressor takes it, instead of being copied whole into one buffer.
import { Readable } from "node:stream";

/** 1 MiB of characters: a few dozen trips through the event loop for a 60 MB snapshot. */
export const defaultPieceChars = 1 << 20;

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

/** A body for reply.send() that reads `text` piece by piece as the response takes it. */
export function pieceStream(text: string, size = defaultPieceChars): Readable {
  return Readable.from(pieces(text, size), { objectMode: false, encoding: "utf8" });
}
