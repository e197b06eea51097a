// The real aws CLI against the simulated EC2 API, as the labs use it:
// `aws ec2 describe-network-interfaces --endpoint-url URL`.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { seededRandom } from "../ipamd/testClock.ts";
import { type TestCluster, testCluster } from "../ipamd/testCluster.ts";
import { type Ec2Server, startEc2Server } from "./server.ts";

const run = promisify(execFile);

function findAws(): string | null {
  // Debian's awscli package (v2) installs /usr/bin/aws; otherwise whatever `aws` is on PATH.
  if (existsSync("/usr/bin/aws")) return "/usr/bin/aws";
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(`${dir}/aws`)) return `${dir}/aws`;
  }
  return null;
}

const aws = findAws();
const skip = aws === null ? "no aws CLI found (/usr/bin/aws or on PATH): install the awscli package" : false;

let c: TestCluster;
let server: Ec2Server;

async function cli(...args: string[]): Promise<Record<string, unknown[]>> {
  const { stdout } = await run(
    aws ?? "aws",
    ["ec2", ...args, "--endpoint-url", server.url, "--region", "ap-northeast-2", "--output", "json"],
    {
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: "x",
        AWS_SECRET_ACCESS_KEY: "x",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_PAGER: "",
      },
    },
  );
  return JSON.parse(stdout);
}

describe("aws CLI", { skip }, () => {
  before(async () => {
    c = testCluster();
    c.network.settle(
      c.nodes[2]?.nodeName ?? "",
      Array.from({ length: 15 }, (_, i) => ({ namespace: "default", name: `p${i}` })),
    );
    server = await startEc2Server({ state: c.state, faults: c.faults, random: seededRandom(5) });
  });

  after(async () => {
    await server?.close();
  });

  it("runs describe-network-interfaces, -instances, -instance-types and -subnets", async () => {
    const full = c.nodes[2]?.instanceId ?? "";
    const [mine, paged, instances, types, subnets] = await Promise.all([
      cli("describe-network-interfaces", "--filters", `Name=attachment.instance-id,Values=${full}`),
      cli("describe-network-interfaces", "--page-size", "5"),
      cli("describe-instances"),
      cli("describe-instance-types", "--filters", "Name=instance-type,Values=t3.*"),
      cli("describe-subnets"),
    ]);

    const enis = mine.NetworkInterfaces as {
      Attachment: { DeviceIndex: number };
      PrivateIpAddresses: unknown[];
    }[];
    assert.deepEqual(enis.map((e) => e.Attachment.DeviceIndex).sort(), [0, 1, 2]);
    assert.ok(enis.every((e) => e.PrivateIpAddresses.length === 6));
    // --page-size makes the CLI page with MaxResults/NextToken and join the pages.
    assert.equal(paged.NetworkInterfaces?.length, c.state.enis.size);

    const reservations = instances.Reservations as { Instances: { InstanceType: string }[] }[];
    assert.equal(reservations.length, 3);
    assert.ok(reservations.every((r) => r.Instances[0]?.InstanceType === "t3.medium"));

    const t3 = types.InstanceTypes as {
      InstanceType: string;
      NetworkInfo: { MaximumNetworkInterfaces: number; Ipv4AddressesPerInterface: number };
    }[];
    const medium = t3.find((t) => t.InstanceType === "t3.medium");
    assert.deepEqual(
      [medium?.NetworkInfo.MaximumNetworkInterfaces, medium?.NetworkInfo.Ipv4AddressesPerInterface],
      [3, 6],
    );

    const counts = (subnets.Subnets as { AvailableIpAddressCount: number }[]).map(
      (s) => s.AvailableIpAddressCount,
    );
    assert.deepEqual(counts, [245, 245, 233]);
  });

  it("prints EC2's error for a change it may not make", async () => {
    await assert.rejects(
      cli("delete-network-interface", "--network-interface-id", "eni-0123456789abcdef0"),
      /UnauthorizedOperation/,
    );
  });
});
