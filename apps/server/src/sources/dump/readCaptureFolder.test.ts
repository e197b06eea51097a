import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, truncate, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { withStall } from "./boundedRead.ts";
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
    await rejects(dir, "not-json", "pods.json", /starts with a warning.*only the command's standard output/);
  });

  test("a file that is not JSON is described, never quoted", async () => {
    const secret = "root:$y$j9T$Fq0eRrSECRETHASH:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n";
    const dir = await spoiled((d) => writeFile(join(d, "pods.json"), secret));
    await rejects(dir, "not-json", "pods.json", /^pods\.json is not JSON: it does not begin with \{ or \[/);
    await assert.rejects(readCaptureFolder(dir), (err: Error) => {
      for (const piece of ["root", "SECRETHASH", "20228", "daemon"]) assert.ok(!err.message.includes(piece));
      return true;
    });
  });

  test("broken JSON is located by line and column with a short excerpt, escaped", async () => {
    const dir = await spoiled((d) =>
      writeFile(
        join(d, "pods.json"),
        `{"items": [\n  {"kind": "Pod"} \u001b]0;pwned\u0007 ${"x".repeat(200)}]}`,
      ),
    );
    await assert.rejects(readCaptureFolder(dir), (err: Error) => {
      assert.match(err.message, /^pods\.json is not valid JSON at line 2, column 19 \(near ".{0,40}"\)$/);
      assert.ok(![...err.message].some((c) => c.charCodeAt(0) < 0x20), "no raw control character");
      assert.ok(err.message.includes("\\u001b"), "the escape shown escaped");
      assert.ok(!err.message.includes("x".repeat(20)), "no more than a short excerpt");
      return true;
    });
  });

  test("YAML instead of JSON gets a hint", async () => {
    const dir = await spoiled((d) =>
      writeFile(join(d, "nodes.json"), "apiVersion: v1\nitems: []\nkind: List\n"),
    );
    await rejects(dir, "not-json", "nodes.json", /looks like YAML \(use -o json/);
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

  test("a subnet whose CidrBlock is not a CIDR is an error naming the subnet", async () => {
    const dir = await spoiled(async (d) => {
      const doc = JSON.parse(await readFile(join(d, "subnets.json"), "utf8"));
      doc.Subnets[1].CidrBlock = "garbage";
      await writeFile(join(d, "subnets.json"), JSON.stringify(doc));
    });
    const doc = JSON.parse(await readFile(join(dir, "subnets.json"), "utf8"));
    await rejects(
      dir,
      "bad-object",
      "subnets.json",
      new RegExp(
        `^subnets\\.json: item 1\\.CidrBlock: subnet ${doc.Subnets[1].SubnetId}: "garbage" is not an IPv4 CIDR block`,
      ),
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

  test("a symlink to a regular file is followed", async () => {
    const dir = await spoiled(async (d) => {
      await cp(join(d, "pods.json"), join(d, "pods-real.json"));
      await unlink(join(d, "pods.json"));
      await symlink(join(d, "pods-real.json"), join(d, "pods.json"));
    });
    assert.ok((await readCaptureFolder(dir)).pods.length > 0);
  });

  test("a file larger than --max-file-size is refused, naming the cap", async () => {
    const dir = await spoiled(async () => {});
    await assert.rejects(readCaptureFolder(dir, { maxFileBytes: 20_000 }), (err: unknown) => {
      assert.ok(err instanceof CaptureError);
      assert.equal(err.code, "too-large");
      assert.match(
        err.message,
        /^(pods|instances)\.json is \d+\.\d KiB, more than the 19\.5 KiB a capture file may be/,
      );
      return true;
    });
  });
});

// Each of these read forever, hung, or took seconds before the reads were bounded; the timeout fails the
// test instead of hanging the suite if that comes back.
describe("capture files that are not plain files", { timeout: 10_000 }, () => {
  test("a symlink to /dev/zero is refused, naming where it points", async () => {
    const dir = await spoiled(async (d) => {
      await unlink(join(d, "events.json"));
      await symlink("/dev/zero", join(d, "events.json"));
    });
    await rejects(
      dir,
      "not-a-file",
      "events.json",
      /^events\.json is a symlink to \/dev\/zero, which is a character device: only regular files are read$/,
    );
  });

  test("a FIFO is refused without waiting for a writer", async () => {
    const dir = await spoiled(async (d) => {
      await unlink(join(d, "nodes.json"));
      execFileSync("mkfifo", [join(d, "nodes.json")]);
    });
    await rejects(
      dir,
      "not-a-file",
      "nodes.json",
      /^nodes\.json is a FIFO \(named pipe\): only regular files/,
    );
  });

  test("a 2 GB sparse file is refused by its size before a byte is read", async () => {
    const dir = await spoiled((d) => truncate(join(d, "pods.json"), 2 * 1024 ** 3));
    await rejects(
      dir,
      "too-large",
      "pods.json",
      /^pods\.json is 2\.0 GiB, more than the 500\.0 MiB a capture file may be \(--max-file-size raises it\)$/,
    );
  });

  test("a folder in a file's place", async () => {
    const dir = await spoiled(async (d) => {
      await unlink(join(d, "subnets.json"));
      await cp(lab, join(d, "subnets.json"), { recursive: true });
    });
    await rejects(dir, "not-a-file", "subnets.json", /is a folder/);
  });
});

describe("stalled reads", () => {
  test("a read that never returns is given up on after stallMs", async () => {
    await assert.rejects(withStall(new Promise(() => {}), 5, "pods.json"), (err: unknown) => {
      assert.ok(err instanceof CaptureError);
      assert.equal(err.code, "stalled");
      assert.match(err.message, /^pods\.json: reading it returned nothing for 0\.005 s; gave up$/);
      return true;
    });
  });

  test("a read that returns in time is passed through", async () => {
    assert.equal(await withStall(Promise.resolve(42), 60_000, "pods.json"), 42);
  });
});

describe("capture folders", () => {
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
