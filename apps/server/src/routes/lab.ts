// GET /api/lab: what lab mode needs to know of the simulator the server runs on: the KUBECONFIG its steps
// print, the EC2 endpoint for their aws lines, and the admin URL whose reset the page may call. On a real
// cluster or a capture `simulator` is null and lab mode only watches. Paths and loopback URLs only: the
// kubeconfig's token stays in its file.
import type { Sim } from "@eni-view/sim";
import type { FastifyInstance } from "fastify";
import type { Source } from "../sources/source.ts";

export interface LabSimulator {
  kubeconfig: string;
  ec2Url: string;
  adminUrl: string;
  region: string;
  scenario: string;
}

/** The simulator behind a source (SimSource's endpoints), or null for any other source. */
export function labSimulator(source: Source): LabSimulator | null {
  const sim = (source as { endpoints?: Sim | null }).endpoints;
  if (!sim) return null;
  return {
    kubeconfig: sim.kubeconfigPath,
    ec2Url: sim.ec2Url,
    adminUrl: sim.adminUrl,
    region: sim.region,
    scenario: sim.scenario.name,
  };
}

export function labRoute(app: FastifyInstance, simulator: () => LabSimulator | null): void {
  app.get("/api/lab", async () => ({ simulator: simulator() }));
}
