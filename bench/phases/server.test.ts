import assert from "node:assert/strict";
import { test } from "node:test";
import { metric } from "./server.ts";

const text = `# HELP eniview_ec2_calls_total EC2 API calls made.
# TYPE eniview_ec2_calls_total counter
eniview_ec2_calls_total{action="DescribeInstances"} 25
eniview_ec2_calls_total{action="DescribeNetworkInterfaces"} 18
eniview_ec2_calls_last_refresh 44
eniview_refresh_duration_seconds_sum{source="ec2"} 12.5
`;

test("metric reads Prometheus text, summing label sets or picking some", () => {
  assert.equal(metric(text, "eniview_ec2_calls_total"), 43);
  assert.equal(metric(text, "eniview_ec2_calls_total", 'action="DescribeInstances"'), 25);
  assert.equal(metric(text, "eniview_ec2_calls_last_refresh"), 44);
  assert.equal(metric(text, "eniview_refresh_duration_seconds_sum", 'source="ec2"'), 12.5);
  assert.equal(metric(text, "eniview_ec2_calls_total", 'action="DescribeSubnets"', true), 0);
  assert.throws(() => metric(text, "eniview_nothing"), /has no eniview_nothing/);
});
