// Every lab of the domain page's section 0, in the order people take them.

import { customNetworkingLab } from "./labs/customNetworking.ts";
import { maxPodsLab } from "./labs/maxPods.ts";
import { raiseLimitKopsLab, raiseLimitLab } from "./labs/raiseLimit.ts";
import { scaleLab } from "./labs/scale.ts";
import { subnetExhaustionLab } from "./labs/subnetExhaustion.ts";
import { warmPoolLab } from "./labs/warmPool.ts";
import type { Lab } from "./labTypes.ts";

export const labs: readonly Lab[] = [
  maxPodsLab,
  warmPoolLab,
  scaleLab,
  raiseLimitLab,
  raiseLimitKopsLab,
  customNetworkingLab,
  subnetExhaustionLab,
];

export function labById(id: string): Lab | undefined {
  return labs.find((l) => l.id === id);
}
