import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { shareSearch, snapshotIdFrom } from "./sharing.ts";

describe("shared links", () => {
  it("keep the access token the page was opened with, so the link works for whoever gets it", () => {
    assert.equal(shareSearch("?token=abc123", null), "?token=abc123");
    assert.equal(
      shareSearch("?token=abc123", "Xy_-0123456789abcdefgh"),
      "?snapshot=Xy_-0123456789abcdefgh&token=abc123",
    );
    assert.equal(shareSearch("?snapshot=old&token=t", "new"), "?snapshot=new&token=t");
  });

  it("carry nothing else from the page's query string", () => {
    assert.equal(shareSearch("", null), "");
    assert.equal(shareSearch("?utm_source=mail&debug=1", null), "");
    assert.equal(shareSearch("?utm_source=mail", "id"), "?snapshot=id");
  });

  it("read the snapshot id from the page's address", () => {
    assert.equal(snapshotIdFrom("?snapshot=Xy_-0123456789abcdefgh&token=t"), "Xy_-0123456789abcdefgh");
    assert.equal(snapshotIdFrom("?token=t"), null);
    assert.equal(snapshotIdFrom(""), null);
  });
});
