// EC2's request throttling as IPAMD meets it: one token bucket per account, Region and action, in
// categories. Sizes and refill rates from AWS's "Request throttling for the Amazon EC2 API"
// (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html, "Request token limits"):
// mutating actions 50 tokens + 5/s (AttachNetworkInterface and DetachNetworkInterface among them);
// AssignPrivateIpAddresses, UnassignPrivateIpAddresses, CreateNetworkInterface and DeleteNetworkInterface
// 100 + 5/s; CreateTags/DeleteTags 100 + 10/s; non-mutating Describe* 100 + 20/s. Accounts can have them
// raised, so PlanInput.throttling may override any.
import { plannerEnglish } from "../messages/plannerText.ts";
import type { Ec2Action, Ec2Bucket, Ec2CallCategory, PlanEc2, PlanEc2Call, Range } from "./types.ts";

export const EC2_BUCKETS: Readonly<Record<Ec2CallCategory, Ec2Bucket>> = {
  mutating: { size: 50, refillPerSecond: 5 },
  "network-interface": { size: 100, refillPerSecond: 5 },
  tags: { size: 100, refillPerSecond: 10 },
  describe: { size: 100, refillPerSecond: 20 },
};

/** The category each IPAMD call is throttled in. IPv4 prefixes are assigned and unassigned with
 * Assign/UnassignPrivateIpAddresses (Ipv4PrefixCount, Ipv4Prefixes), so they share that bucket. IPAMD's
 * Describe calls name their instance, ENI or VPC, so they are in the filtered Describe bucket. */
export const EC2_CATEGORY: Readonly<Record<Ec2Action, Ec2CallCategory>> = {
  CreateNetworkInterface: "network-interface",
  DeleteNetworkInterface: "network-interface",
  AssignPrivateIpAddresses: "network-interface",
  UnassignPrivateIpAddresses: "network-interface",
  AttachNetworkInterface: "mutating",
  DetachNetworkInterface: "mutating",
  ModifyNetworkInterfaceAttribute: "mutating",
  CreateTags: "tags",
  DescribeSubnets: "describe",
  DescribeInstances: "describe",
  DescribeNetworkInterfaces: "describe",
};

/** Seconds a full bucket needs to serve `calls` requests: none while they fit the burst. */
export function secondsToServe(calls: number, bucket: Ec2Bucket): number {
  return calls <= bucket.size ? 0 : Math.ceil((calls - bucket.size) / bucket.refillPerSecond);
}

/** The calls per action over the seeds, fitted against their buckets within `windowSeconds`. Actions that
 * share a category share its bucket. */
export function ec2Budget(
  counts: ReadonlyMap<Ec2Action, Range>,
  windowSeconds: number,
  overrides: Partial<Record<Ec2CallCategory, Ec2Bucket>> = {},
): PlanEc2 {
  const bucketOf = (c: Ec2CallCategory): Ec2Bucket => overrides[c] ?? EC2_BUCKETS[c];
  const perCategory = new Map<Ec2CallCategory, number>();
  for (const [action, range] of counts) {
    const c = EC2_CATEGORY[action];
    perCategory.set(c, (perCategory.get(c) ?? 0) + range.max);
  }
  const calls: PlanEc2Call[] = [...counts]
    .filter(([, range]) => range.max > 0)
    .map(([action, count]) => {
      const category = EC2_CATEGORY[action];
      const bucket = bucketOf(category);
      const shared = perCategory.get(category) ?? count.max;
      const secondsAtRefill = secondsToServe(shared, bucket);
      return {
        action,
        category,
        count,
        bucket,
        secondsAtRefill,
        fits: shared <= bucket.size + bucket.refillPerSecond * Math.max(0, windowSeconds),
      };
    });
  const total = calls.reduce((n, c) => n + c.count.max, 0);
  const fits = calls.every((c) => c.fits);
  const slowest = [...calls].sort((a, b) => b.secondsAtRefill - a.secondsAtRefill)[0];
  let summary: string;
  if (total === 0) summary = plannerEnglish("ec2.none");
  else if (slowest === undefined || slowest.secondsAtRefill === 0)
    summary = plannerEnglish("ec2.burst", { count: total });
  else
    summary = plannerEnglish(fits ? "ec2.refill" : "ec2.throttled", {
      count: total,
      action: slowest.action,
      category: slowest.category,
      seconds: slowest.secondsAtRefill,
      size: slowest.bucket.size,
      rate: slowest.bucket.refillPerSecond,
    });
  return { calls, fits, summary };
}
