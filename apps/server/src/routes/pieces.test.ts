import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pieceStream, pieces } from "./pieces.ts";

describe("pieces", () => {
  it("cut a text into slices that join to it, each valid UTF-8 on its own", () => {
    // 😀 is two UTF-16 units: with 4-character pieces the first cut would fall inside it.
    const text = `abc😀défg😀😀h${"x".repeat(20)}€😀`;
    for (const size of [1, 2, 3, 4, 5, 7, 1000]) {
      const parts = [...pieces(text, size)];
      assert.equal(parts.join(""), text);
      assert.ok(parts.every((p) => p.length > 0 && p.length <= Math.max(size, 2)));
      assert.deepEqual(Buffer.concat(parts.map((p) => Buffer.from(p))), Buffer.from(text), `size ${size}`);
    }
    assert.deepEqual([...pieces("", 4)], [""]);
  });

  it("stream the same bytes", async () => {
    const text = `{"name":"😀${"é".repeat(300)}"}`;
    const chunks: Buffer[] = [];
    for await (const chunk of pieceStream(text, 16)) chunks.push(Buffer.from(chunk as string));
    assert.deepEqual(Buffer.concat(chunks), Buffer.from(text));
  });
});
