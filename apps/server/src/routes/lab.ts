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

/** Tells the simulator's admin endpoint that pages from this server may reset it (lab mode); on loopback
 * both names of the address, as the page may be opened at either. Nothing for other sources. */
export function allowLabReset(source: Source, url: string): void {
  const sim = (source as { endpoints?: Sim | null }).endpoints;
  if (!sim) return;
  const page = new URL(url);
  sim.allowAdminOrigin(page.origin);
  if (page.hostname === "127.0.0.1") sim.allowAdminOrigin(`${page.protocol}//localhost:${page.port}`);
}

export function labRoute(app: FastifyInstance, simulator: () => LabSimulator | null): void {
  app.get("/api/lab", async () => ({ simulator: simulator() }));
}
