// Runs the CLI on the capture-folder fixtures: in this process (testing/inProcessCli.ts), and as a child
// process where a read could hang (a FIFO, a huge file) so that a timeout can kill it.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { cp, mkdtemp, rm, symlink, truncate, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Report } from "@eni-view/model";
import { englishEnv } from "../testing/cli.ts";
import { runInProcess } from "../testing/inProcessCli.ts";

const bin = new URL("../../bin/eni-view.js", import.meta.url).pathname;
const fixture = (name: string) => new URL(`../sources/dump/fixtures/${name}`, import.meta.url).pathname;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(args);
}

/** The CLI in a child process killed after `ms`, so a read that hangs fails its test instead of hanging it. */
function cliWithin(ms: number, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const options = {
      maxBuffer: 64 * 1024 * 1024,
      timeout: ms,
      killSignal: "SIGKILL" as const,
      env: englishEnv(),
    };
    execFile(process.execPath, [bin, ...args], options, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("eni-view report", () => {
  test("--json prints the Report of the 50-replica scale lab", async () => {
    const { code, stdout, stderr } = await cli("report", "--dump", fixture("scale-lab-50"), "--json");
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as Report;
    assert.deepEqual(
      {
        nodes: report.summary.nodes,
        ipsAssigned: report.summary.ipsAssigned,
        ipsUsed: report.summary.ipsUsed,
        ipsWarm: report.summary.ipsWarm,
        pendingPods: report.summary.pendingPods,
      },
      { nodes: 3, ipsAssigned: 45, ipsUsed: 45, ipsWarm: 0, pendingPods: 7 },
    );
    const node = report.nodes[0]!;
    assert.deepEqual([node.instanceType, node.maxPods, node.maxPodsByEni], ["t3.medium", 17, 17]);
    assert.deepEqual(
      node.enis.map((e) => e.deviceIndex),
      [0, 1, 2],
    );
    assert.ok(node.enis.every((e) => e.subnetId.startsWith("subnet-")));
    const pod = report.pods.find((p) => p.owner === "Deployment/nginx-deployment")!;
    assert.ok(pod.namespace && pod.name && pod.node && pod.ip && pod.eni);
    assert.equal(report.pending.length, 7);
    assert.ok(report.pending.every((p) => p.reason === "too-many-pods" && /Too many pods/.test(p.message)));
  });

  test("the table shows each node's ENIs, IPs used/warm, pods/max, then the Pending pods with reasons", async () => {
    const { code, stdout } = await cli("report", "--dump", fixture("scale-lab-50"));
    assert.equal(code, 0);
    const lines = stdout.split("\n");
    assert.match(stdout, /3 nodes · ENIs 9 of 9 · IPs 45 assigned, 45 used, 0 warm · 7 pending/);
    const header = lines.find((l) => l.startsWith("NODE"))!;
    assert.match(header, /^NODE\s+TYPE\s+KIND\s+ZONE\s+ENIS\s+IPS\s+USED\s+WARM\s+PODS\/MAX\s+BY ENI/);
    const nodeRows = lines.filter((l) => /^ip-192-168-\d-\d+ +t3\.medium/.test(l));
    assert.equal(nodeRows.length, 3);
    for (const row of nodeRows) assert.match(row, /3\/3\s+15\s+15\s+0\s+17\/17\s+17/);
    assert.match(
      stdout,
      /Pending pods: 7 in 1 group \(-o wide lists every pod\)\n {2}7 × default\/Deployment\/nginx-deployment · too-many-pods: 0\/3 nodes are available: 3 Too many pods\./,
    );
    // One row per AZ: 1 node, 3 of 3 ENIs, 15 IPs all used, 17 of 17 pods, 233 free in the subnet.
    assert.equal(
      lines.filter((l) => /^ap-northeast-2[abc] +1 +3\/3 +15 +15 +0 +17\/17 +17 +233$/.test(l)).length,
      3,
    );
    assert.ok(
      lines.every((l) => l.length <= 120 || l.startsWith("  too-many-pods")),
      "fits 120 columns",
    );
  });

  test("edge cases: overcommitted node marked, detached ENI and warnings listed, no secret printed", async () => {
    const { code, stdout } = await cli("report", "--dump", fixture("edge-cases"), "--enis");
    assert.equal(code, 0);
    assert.match(stdout, /18\/110\*/, "15 pods with IPs, 2 hostNetwork, 1 waiting for an IP");
    assert.match(stdout, /Detached CNI ENIs/);
    assert.match(
      stdout,
      /! 1 pod IP\(s\) found on no ENI: default\/api-7d4b9c8f6-ghost \(192\.168\.3\.250\)/,
    );
    assert.match(stdout, /trunk/);
    assert.match(stdout, /1 × default\/Deployment\/busy · ip-exhausted: Failed to create pod sandbox/);
    assert.ok(!stdout.includes("s3cr3t"));
  });

  test("custom networking: each node's ENIConfig, its pod subnet and CNINode features are listed", async () => {
    // A capture of the simulator's custom networking lab, taken through the real CLI as a user would.
    const dir = await mkdtemp(join(tmpdir(), "eni-view-cn-"));
    try {
      const taken = await cli(
        "capture",
        "--source",
        "sim",
        "--scenario",
        "custom-networking-lab",
        "--out",
        dir,
      );
      assert.equal(taken.code, 0, taken.stderr);
      const { code, stdout } = await cli("report", "--dump", dir);
      assert.equal(code, 0);
      const json = JSON.parse((await cli("report", "--dump", dir, "--json")).stdout) as Report;
      assert.ok(stdout.includes("ENIConfig and CNINode per node"));
      for (const node of json.nodes) {
        const short = node.name.replace(".ap-northeast-2.compute.internal", "");
        const row = stdout.split("\n").find((l) => l.startsWith(`${short} `) && l.includes("subnet-"));
        assert.ok(row, `a custom networking row for ${short}`);
        assert.ok(node.eniConfig?.found && node.eniConfig.subnetId);
        assert.ok(row.includes(node.eniConfig.name) && row.includes(node.eniConfig.subnetId));
        assert.ok(row.includes("CustomNetworking"));
        // t3.medium without its primary ENI: (3 - 1) x (6 - 1) + 2 = 12.
        assert.equal(node.maxPodsByEni, 12);
      }
      assert.match(stdout, /primary ENI holds no pod IPs/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("without ENIConfigs or CNINodes there is no custom networking section", async () => {
    const { stdout } = await cli("report", "--dump", fixture("scale-lab-50"));
    assert.ok(!stdout.includes("ENIConfig and CNINode"));
  });

  test("bad input: exit 2 and one line naming the file, no stack trace", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eni-view-report-"));
    try {
      await cp(fixture("scale-lab-2"), dir, { recursive: true });
      await writeFile(join(dir, "pods.json"), '{"apiVersion": "v1", "items": [{"kind": "Pod", "metad');
      const { code, stdout, stderr } = await cli("report", "--dump", dir);
      assert.equal(code, 2);
      assert.equal(stdout, "");
      assert.equal(stderr.trim().split("\n").length, 1, stderr);
      assert.match(stderr, /^eni-view report: pods\.json is truncated/);
      const debug = await cli("report", "--dump", dir, "--debug");
      assert.equal(debug.code, 2);
      assert.match(debug.stderr, /\n\s+at /, "--debug shows the stack");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("usage errors: no --dump, unknown flag, missing folder", async () => {
    const none = await cli("report");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--dump DIR is required/);
    const flag = await cli("report", "--dump", fixture("scale-lab-2"), "--colour");
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--colour/);
    const missing = await cli("report", "--dump", "/nonexistent/capture");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /capture folder \/nonexistent\/capture does not exist/);
  });

  // Six runs of the CLI, each well within its own 30 s; the test's limit is their sum on a loaded machine.
  test("hostile capture files: /dev/zero, a FIFO, a sparse file: exit 2 at once, for report and serve", {
    timeout: 180_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "eni-view-hostile-"));
    try {
      await cp(fixture("scale-lab-2"), dir, { recursive: true });
      await unlink(join(dir, "events.json"));
      await symlink("/dev/zero", join(dir, "events.json"));
      for (const args of [
        ["report", "--dump", dir],
        ["serve", "--dump", dir, "--port", "0"],
      ]) {
        const { code, stderr } = await cliWithin(30_000, ...args);
        assert.equal(code, 2, stderr);
        assert.match(stderr, /events\.json is a symlink to \/dev\/zero, which is a character device/);
      }
      await unlink(join(dir, "events.json"));
      execFileSync("mkfifo", [join(dir, "events.json")]);
      const fifo = await cliWithin(30_000, "report", "--dump", dir);
      assert.equal(fifo.code, 2);
      assert.match(fifo.stderr, /events\.json is a FIFO/);
      await unlink(join(dir, "events.json"));
      await truncate(join(dir, "pods.json"), 2 * 1024 ** 3);
      const sparse = await cliWithin(30_000, "report", "--dump", dir);
      assert.equal(sparse.code, 2);
      assert.match(sparse.stderr, /pods\.json is 2\.0 GiB, more than the 500\.0 MiB/);
      const lowered = await cliWithin(
        30_000,
        "report",
        "--dump",
        fixture("scale-lab-2"),
        "--max-file-size",
        "20K",
      );
      assert.equal(lowered.code, 2);
      assert.match(lowered.stderr, /more than the 20\.0 KiB a capture file may be/);
      const bad = await cliWithin(
        30_000,
        "report",
        "--dump",
        fixture("scale-lab-2"),
        "--max-file-size",
        "lots",
      );
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--max-file-size must be a size from 1K to 511M/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe("subnets", () => {
    /** scale-lab-50 plus a prefix reservation on 2a's one free /28 and a load balancer's ENI in 2a. */
    async function withNeighbours(): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), "eni-view-subnets-"));
      await cp(fixture("scale-lab-50"), dir, { recursive: true });
      const subnet = "subnet-081511f24e3323f0c";
      await writeFile(
        join(dir, "subnet-cidr-reservations.json"),
        JSON.stringify({
          SubnetIpv4CidrReservations: [
            {
              SubnetCidrReservationId: "scr-1",
              SubnetId: subnet,
              Cidr: "192.168.1.64/28",
              ReservationType: "prefix",
            },
          ],
        }),
      );
      const enis = JSON.parse(
        execFileSync("cat", [join(dir, "network-interfaces.json")], { encoding: "utf8" }),
      );
      enis.NetworkInterfaces.push({
        NetworkInterfaceId: "eni-0nlb",
        SubnetId: subnet,
        VpcId: enis.NetworkInterfaces[0].VpcId,
        AvailabilityZone: "ap-northeast-2a",
        Description: "ELB net/web/5f2c",
        InterfaceType: "network_load_balancer",
        RequesterId: "amazon-elb",
        RequesterManaged: true,
        Status: "in-use",
        PrivateIpAddress: "192.168.1.5",
        PrivateIpAddresses: [{ PrivateIpAddress: "192.168.1.5", Primary: true }],
      });
      await writeFile(join(dir, "network-interfaces.json"), JSON.stringify(enis));
      return dir;
    }

    test("the subnet section: free, free /28 and the holders that are not Kubernetes", async () => {
      const dir = await withNeighbours();
      try {
        const { code, stdout, stderr } = await cli("report", "--dump", dir);
        assert.equal(code, 0, stderr);
        const row = stdout.split("\n").find((l) => l.startsWith("subnet-081511f24e3323f0c"));
        // 233 free before: the load balancer takes 1 and the reservation keeps 16; the one free /28 is
        // the reserved one, which a prefix can still take.
        assert.match(row ?? "", /192\.168\.1\.0\/24 +233\/251 +216 +1 +\d+ +15 \(6\.0 %\) +0 +1 +16$/);
        assert.ok(
          stdout.split("\n").every((l) => l.length <= 120),
          "fits 120 columns",
        );
        assert.match(stdout, /prefix reservation 192\.168\.1\.64\/28 scr-1/);
        assert.match(stdout, /1 address: network_load_balancer ELB net\/web\/5f2c \(amazon-elb\) eni-0nlb/);
      } finally {
        await rm(dir, { recursive: true });
      }
    });

    test("--subnets prints one subnet's address map, 64 addresses a line", async () => {
      const dir = await withNeighbours();
      try {
        const { code, stdout, stderr } = await cli("report", "--dump", dir, "--subnets", "192.168.1.0/24");
        assert.equal(code, 0, stderr);
        const lines = stdout.split("\n");
        assert.ok(
          lines.includes(
            "192.168.1.64   rrrrrrrrrrrrrrrr .....P.......... ....P.......P... ..P.............",
          ),
        );
        assert.match(
          lines.find((l) => l.startsWith("192.168.1.0 ")) ?? "",
          /^192\.168\.1\.0 +AAAA\.o\.{10} /,
        );
        assert.match(stdout, /free 216 · free \/28 1 · largest free run \d+ · pods 15/);
        const json = await cli(
          "report",
          "--dump",
          dir,
          "--subnets",
          "subnet-081511f24e3323f0c",
          "-o",
          "json",
        );
        const runs = (
          JSON.parse(json.stdout) as { runs: { from: string; kind: string; holder: string | null }[] }
        ).runs;
        assert.deepEqual(
          runs.find((r) => r.from === "192.168.1.5"),
          {
            from: "192.168.1.5",
            to: "192.168.1.5",
            count: 1,
            kind: "other",
            holder: "network_load_balancer ELB net/web/5f2c (amazon-elb) eni-0nlb",
          },
        );
        const bad = await cli("report", "--dump", dir, "--subnets", "10.9.9.0/24");
        assert.equal(bad.code, 2);
        assert.match(
          bad.stderr,
          /no subnet "10\.9\.9\.0\/24" in the report; subnets: 192\.168\.1\.0\/24 \(subnet-081511f24e3323f0c\)/,
        );
      } finally {
        await rm(dir, { recursive: true });
      }
    });
  });
});
