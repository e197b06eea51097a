// eni-view never changes the cluster or the AWS account: the sources only GET from the Kubernetes API
// and only send EC2 Describe* actions. This reads the code that talks to them, so a write slipping
// in (a Create, a PATCH) fails here before it reaches anyone's cluster.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

const sourcesDir = new URL("./sources", import.meta.url).pathname;

function codeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return codeFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("read-only towards the cluster and AWS", () => {
  const files = codeFiles(sourcesDir).map((path) => ({ path, text: readFileSync(path, "utf8") }));

  it("sends only EC2 Describe* commands and GetSubnetCidrReservations (a read)", () => {
    const commands = files.flatMap((f) => [...f.text.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]!));
    assert.ok(commands.length >= 5, "the EC2 poller's commands were found");
    for (const c of commands)
      assert.match(c, /^(Describe\w+|GetSubnetCidrReservations)$/, `${c} is not a read action`);
  });

  it("makes only GET requests to the Kubernetes API", () => {
    const methods = files.flatMap((f) => [...f.text.matchAll(/method:\s*"(\w+)"/g)].map((m) => m[1]!));
    assert.ok(methods.length >= 1, "the Kubernetes client's request method was found");
    for (const m of methods) assert.equal(m, "GET");
    for (const f of files)
      assert.doesNotMatch(f.text, /\b(CoreV1Api|AppsV1Api|KubernetesObjectApi)\b/, f.path);
  });
});
