// The admin endpoint on its own 127.0.0.1 port: GET /faults shows the fault settings, PUT /faults changes
// the fields it is given. Plain HTTP with no token: it listens on loopback only and holds nothing secret.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type FaultControl, FaultSettingsError } from "./faults.ts";

export interface AdminServer {
  url: string;
  close(): Promise<void>;
}

const maxBody = 64 * 1024;

export async function startAdminServer(faults: FaultControl, host = "127.0.0.1"): Promise<AdminServer> {
  const server = createServer((req, res) => {
    handle(faults, req, res).catch((err: unknown) => send(res, 500, { error: (err as Error).message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(faults: FaultControl, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://admin").pathname;
  if (path === "/") {
    send(res, 200, {
      endpoints: { "/faults": "GET the fault settings; PUT a JSON object with the fields to change" },
    });
    return;
  }
  if (path !== "/faults") {
    send(res, 404, { error: `no such endpoint ${path}; try GET /faults` });
    return;
  }
  if (req.method === "GET") {
    send(res, 200, faults.settings);
    return;
  }
  if (req.method !== "PUT") {
    res.setHeader("Allow", "GET, PUT");
    send(res, 405, { error: `method ${req.method} not allowed on /faults; use GET or PUT` });
    return;
  }
  const body = await readBody(req);
  if (body === null) {
    send(res, 413, { error: `body larger than ${maxBody} bytes` });
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    send(res, 400, { error: 'body is not JSON; send an object such as {"kubeLatencyMs": 200}' });
    return;
  }
  try {
    send(res, 200, faults.update(parsed as object));
  } catch (err) {
    if (err instanceof FaultSettingsError) send(res, 400, { error: err.message });
    else throw err;
  }
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBody) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(`${JSON.stringify(body)}\n`);
}
