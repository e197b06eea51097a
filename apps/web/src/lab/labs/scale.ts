// The scale test lab (domain page, section 0): nginx-deployment from 2 to 8, 15, 30 and 50 replicas on the
// lab's nodes, watching ENIs attach, warm IPs drain and, at 50, pods go Pending for "Too many pods".
import type { Lab } from "../labTypes.ts";
import { scaleStep } from "../scaleSteps.ts";

export const scaleLab: Lab = {
  id: "scale",
  scenario: "scale-lab",
  title: { key: "scale.title" },
  summary: { key: "scale.summary" },
  intro: { key: "scale.intro" },
  steps: [
    scaleStep("replicas-2", 2, "pods", "scale.s2"),
    scaleStep("replicas-8", 8, "pods", "scale.s8"),
    scaleStep("replicas-15", 15, "podsLastEni", "scale.s15"),
    scaleStep("replicas-30", 30, "lastEni", "scale.s30"),
    scaleStep("replicas-50", 50, "full", "scale.s50"),
  ],
};
