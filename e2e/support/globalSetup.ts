// Starts the simulator + server once for the whole run and hands its addresses to the tests through the
// environment (Playwright passes globalSetup's process.env on to the workers).
import { startSystem } from "./system.ts";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const system = await startSystem();
  process.env.E2E_BASE_URL = system.url;
  process.env.E2E_KUBECONFIG = system.kubeconfig;
  process.env.E2E_ADMIN_URL = system.adminUrl;
  process.env.E2E_STATE_DIR = system.stateDir;
  return () => system.stop();
}
