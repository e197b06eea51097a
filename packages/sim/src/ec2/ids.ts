// EC2-shaped identifiers drawn from the seeded random, so a seed replays the same ids.
import type { SimRandom } from "../contracts.ts";

/** "eni-0a1b2c3d4e5f60718": EC2's long ids are the prefix, a dash and 17 hex digits. */
export function resourceId(random: SimRandom, prefix: string): string {
  return `${prefix}-${random.hex(17)}`;
}

/** A locally administered unicast MAC, as EC2 gives ENIs ("02:..", "06:..", "0a:.."). */
export function macAddress(random: SimRandom): string {
  const first = (random.int(0, 64) * 4 + 2).toString(16).padStart(2, "0");
  const rest = Array.from({ length: 5 }, () => random.hex(2));
  return [first, ...rest].join(":");
}

/** EC2 request ids are v4-shaped UUIDs. */
export function requestId(random: SimRandom): string {
  const h = random.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** ip-192-168-1-10.ap-northeast-2.compute.internal; us-east-1 keeps its old ec2.internal domain. */
export function privateDnsName(ip: string, region: string): string {
  const domain = region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`;
  return `ip-${ip.replaceAll(".", "-")}.${domain}`;
}
