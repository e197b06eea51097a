import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { jsonPieces, pieceStream, pieces } from "./pieces.ts";

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

describe("jsonPieces", () => {
  // What JSON.stringify does at every level: fields it leaves out, nulls it writes in arrays, toJSON, escapes.
  const value = {
    seq: 7,
    name: 'say "hi"\n😀',
    gone: undefined,
    fn: () => 1,
    at: new Date(Date.UTC(2026, 0, 2)),
    nodes: [
      { name: "a", enis: [{ id: "eni-1", slots: [1, 2, 3] }], missing: undefined },
      undefined,
      () => 2,
      null,
      [],
      { nested: { deeper: [{ x: "é" }] } },
      { toJSON: () => undefined },
    ],
    pods: Array.from({ length: 200 }, (_, i) => ({ key: `ns/pod-${i}`, ip: `10.0.${i >> 8}.${i & 255}` })),
    empty: {},
    leaf: { toJSON: () => "replaced" },
    dropped: { toJSON: () => undefined },
  };

  it("join to JSON.stringify's text, in pieces of about the size asked, each valid UTF-8", () => {
    const whole = JSON.stringify(value);
    for (const size of [1, 2, 5, 64, 1000, 1 << 20]) {
      for (const depth of [0, 1, 2, 3, 8]) {
        const parts = [...jsonPieces(value, size, depth)];
        assert.equal(parts.join(""), whole, `size ${size}, depth ${depth}`);
        assert.deepEqual(Buffer.concat(parts.map((p) => Buffer.from(p))), Buffer.from(whole));
        assert.ok(parts.every((p) => p.length > 0 && p.length <= Math.max(size, 2)));
      }
    }
  });

  it("write what JSON.stringify writes for values that are not objects", () => {
    for (const leaf of [null, 0, "text", true, [], {}, [undefined]])
      assert.equal([...jsonPieces(leaf, 4)].join(""), JSON.stringify(leaf));
    assert.deepEqual([...jsonPieces(undefined)], []);
  });

  it("hand out the text a piece at a time", () => {
    const list = { items: Array.from({ length: 50 }, (_, i) => ({ i })) };
    const json = jsonPieces(list, 16);
    const first = json.next();
    assert.equal(first.done, false);
    assert.ok((first.value as string).length < JSON.stringify(list).length);
    assert.equal((first.value as string) + [...json].join(""), JSON.stringify(list));
  });
});
