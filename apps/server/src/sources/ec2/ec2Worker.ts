// The worker thread behind WorkerTransport: owns an EC2Client and reads Describe pages for the poller,
// so the SDK's XML parsing and the mapping to model inputs never hold up the server's event loop.
import { parentPort, workerData } from "node:worker_threads";
import { EC2Client } from "@aws-sdk/client-ec2";
import { PageReader } from "./pageReader.ts";
import type { PageRequest } from "./pages.ts";
import { type Ec2ClientConfig, errorFields, type ToWorker } from "./workerTransport.ts";

const config = workerData as Ec2ClientConfig;
const client = new EC2Client({
  region: config.region,
  // Retries are the poller's (counted, with backoff and jitter): exactly one attempt per call here.
  maxAttempts: 1,
  ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  ...(config.credentials ? { credentials: config.credentials } : {}),
  requestHandler: { requestTimeout: config.requestTimeoutMs, connectionTimeout: config.connectionTimeoutMs },
});
const reader = new PageReader(client);
const inFlight = new Map<number, AbortController>();

async function read(id: number, request: PageRequest): Promise<void> {
  const controller = new AbortController();
  inFlight.set(id, controller);
  try {
    const result = await reader.read(request, controller.signal);
    parentPort!.postMessage({ id, result });
  } catch (err) {
    parentPort!.postMessage({ id, error: errorFields(err) });
  } finally {
    inFlight.delete(id);
  }
}

parentPort!.on("message", (message: ToWorker) => {
  if (message.type === "read") void read(message.id, message.request);
  else if (message.type === "abort") inFlight.get(message.id)?.abort();
  else if (message.type === "close") {
    for (const c of inFlight.values()) c.abort();
    client.destroy();
    parentPort!.close();
  }
});
