// GET /api/lab: the simulator the server runs on (its KUBECONFIG, EC2 and admin URLs), or null on a real
// cluster, where lab mode only watches.
import { refusalText, serverText } from "../i18n/serverText.ts";
import type { SimulatorInfo } from "../lab/labTypes.ts";
import { badAnswer, getJson } from "./http.ts";

const fields = ["kubeconfig", "ec2Url", "adminUrl", "region", "scenario"] as const;

export function readSimulator(body: unknown): SimulatorInfo | null {
  const sim = (body as { simulator?: unknown } | null)?.simulator;
  if (sim === null) return null;
  const s = sim as Record<string, unknown> | undefined;
  if (!s || fields.some((f) => typeof s[f] !== "string"))
    throw badAnswer("/api/lab answered without a simulator or null", ["simulator"]);
  return {
    kubeconfig: s.kubeconfig as string,
    ec2Url: s.ec2Url as string,
    adminUrl: s.adminUrl as string,
    region: s.region as string,
    scenario: s.scenario as string,
  };
}

export const labQuery = {
  queryKey: ["lab"] as const,
  queryFn: async ({ signal }: { signal: AbortSignal }) =>
    readSimulator(await getJson<unknown>("/api/lab", signal)),
  staleTime: 5_000,
};

/** "Reset the lab": asks the simulator's admin endpoint (not the eni-view server, which stays read-only) to
 * start the lab's scenario again; resolves to the scenario it runs. */
export async function resetSimulator(sim: SimulatorInfo, scenario: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${sim.adminUrl}/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ scenario }),
    });
  } catch (e) {
    throw new Error(
      serverText({ key: "labReset.noAnswer", values: { url: sim.adminUrl, error: (e as Error).message } }),
    );
  }
  const body = (await res.json().catch(() => null)) as { scenario?: unknown; error?: unknown } | null;
  // A refusal the catalogue words (an unknown scenario) in the page's language, else the simulator's.
  if (!res.ok)
    throw new Error(
      refusalText(typeof body?.error === "string" ? { message: body.error, ...body } : body, res.status),
    );
  if (typeof body?.scenario !== "string") throw new Error(serverText({ key: "labReset.noScenario" }));
  return body.scenario;
}
