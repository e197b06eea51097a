import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CaptureError } from "./captureError.ts";
import { readCaptureFolder, regionOfZone } from "./readCaptureFolder.ts";

const lab = new URL("./fixtures/scale-lab-2", import.meta.url).pathname;
let scratch: string;
let n = 0;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "eni-view-capture-"));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A copy of the 2-replica lab capture, changed by `spoil`. */
async function spoiled(spoil: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(scratch, `c${n++}`);
  await cp(lab, dir, { recursive: true });
  await spoil(dir);
  return dir;
}

async function rejects(dir: string, code: string, file: string, message: RegExp): Promise<void> {
  await assert.rejects(readCaptureFolder(dir), (err: unknown) => {
    assert.ok(err instanceof CaptureError, `not a CaptureError: ${err}`);
    assert.equal(err.code, code);
    assert.equal(err.file, file);
    assert.match(err.message, message);
    assert.ok(!err.message.includes("\n"), "one line");
    return true;
  });
}

describe("readCaptureFolder", () => {
  test("reads a complete capture", async () => {
    const input = await readCaptureFolder(lab);
    assert.equal(input.nodes.length, 3);
    assert.equal(input.region, "ap-northeast-2");
    assert.equal(input.cni.detected, true);
    assert.equal(input.cni.version, "v1.19.2-eksbuild.1");
    assert.ok(input.events.every((e) => e.kind === "Pod"));
  });

  test("events.json and aws-node.json are optional", async () => {
    const dir = await spoiled(async (d) => {
      await unlink(join(d, "events.json"));
      await unlink(join(d, "aws-node.json"));
    });
    const input = await readCaptureFolder(dir);
    assert.deepEqual(input.events, []);
    assert.equal(input.cni.detected, false);
  });

  test("files saved by Windows PowerShell (UTF-16 with a byte-order mark) or with a UTF-8 BOM", async () => {
    const dir = await spoiled(async (d) => {
      const nodes = await readFile(join(d, "nodes.json"), "utf8");
      await writeFile(
        join(d, "nodes.json"),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(nodes, "utf16le")]),
      );
      const pods = await readFile(join(d, "pods.json"), "utf8");
      await writeFile(join(d, "pods.json"), `\ufeff${pods}`);
    });
    const input = await readCaptureFolder(dir);
    assert.equal(input.nodes.length, 3);
    assert.ok(input.pods.length > 0);
  });

  test("a missing required file is named with the command that makes it", async () => {
    const dir = await spoiled((d) => unlink(join(d, "subnets.json")));
    await rejects(
      dir,
      "missing-file",
      "subnets.json",
      /subnets\.json is missing .*aws ec2 describe-subnets --output json/,
    );
  });

  test("a file that is not JSON", async () => {
    const dir = await spoiled((d) =>
      writeFile(join(d, "pods.json"), "NAME   READY   STATUS\nnginx  1/1     Running\n"),
    );
    await rejects(dir, "not-json", "pods.json", /^pods\.json is not JSON/);
  });

  test("a warning printed before the JSON gets a hint", async () => {
    const dir = await spoiled(async (d) => {
      const pods = await readFile(join(d, "pods.json"), "utf8");
      await writeFile(join(d, "pods.json"), `Warning: v1 ComponentStatus is deprecated in v1.19+\n${pods}`);
    });
    await rejects(
      dir,
      "not-json",
      "pods.json",
      /starts with "Warning: v1 ComponentStatus.*only the command's standard output/,
    );
  });

  test("YAML instead of JSON gets a hint", async () => {
    const dir = await spoiled((d) =>
      writeFile(join(d, "nodes.json"), "apiVersion: v1\nitems: []\nkind: List\n"),
    );
    await rejects(dir, "not-json", "nodes.json", /looks like YAML: use -o json/);
  });

  test("a truncated file", async () => {
    const dir = await spoiled(async (d) => {
      const text = await readFile(join(d, "network-interfaces.json"), "utf8");
      await writeFile(join(d, "network-interfaces.json"), text.slice(0, Math.floor(text.length / 2)));
    });
    await rejects(dir, "truncated-json", "network-interfaces.json", /network-interfaces\.json is truncated/);
  });

  test("an empty file", async () => {
    const dir = await spoiled((d) => writeFile(join(d, "instances.json"), ""));
    await rejects(dir, "empty-file", "instances.json", /instances\.json is empty/);
  });

  test("a pods list where nodes were expected", async () => {
    const dir = await spoiled(async (d) =>
      writeFile(join(d, "nodes.json"), await readFile(join(d, "pods.json"))),
    );
    await rejects(
      dir,
      "wrong-document",
      "nodes.json",
      /nodes\.json should hold a list of Node objects .* but holds a list of Pod objects/,
    );
  });

  test("EC2 outputs swapped", async () => {
    const dir = await spoiled(async (d) =>
      writeFile(join(d, "subnets.json"), await readFile(join(d, "instances.json"))),
    );
    await rejects(
      dir,
      "wrong-document",
      "subnets.json",
      /should hold an object with Subnets .* holds `aws ec2 describe-instances` output/,
    );
  });

  test("an object missing a field the model needs names the item", async () => {
    const dir = await spoiled(async (d) => {
      const doc = JSON.parse(await readFile(join(d, "network-interfaces.json"), "utf8"));
      delete doc.NetworkInterfaces[1].SubnetId;
      await writeFile(join(d, "network-interfaces.json"), JSON.stringify(doc));
    });
    await rejects(
      dir,
      "bad-object",
      "network-interfaces.json",
      /network-interfaces\.json: item 1\.SubnetId: missing/,
    );
  });

  test("one page of a paged EC2 output (--max-items)", async () => {
    const dir = await spoiled(async (d) => {
      const doc = JSON.parse(await readFile(join(d, "network-interfaces.json"), "utf8"));
      doc.NetworkInterfaces = doc.NetworkInterfaces.slice(0, 2);
      doc.NextToken = "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==";
      await writeFile(join(d, "network-interfaces.json"), JSON.stringify(doc));
    });
    await rejects(dir, "incomplete", "network-interfaces.json", /only the first page .* without --max-items/);
  });

  test("a folder that does not exist", async () => {
    await rejects(
      join(scratch, "nope"),
      "not-a-folder",
      join(scratch, "nope"),
      /does not exist or is not a folder/,
    );
  });
});

test("regionOfZone", () => {
  assert.equal(regionOfZone("ap-northeast-2a"), "ap-northeast-2");
  assert.equal(regionOfZone("us-west-2-lax-1a"), "us-west-2");
  assert.equal(regionOfZone("us-gov-west-1b"), "us-gov-west-1");
  assert.equal(regionOfZone(null), null);
});
