// The simulated EC2 Query API: plain HTTP on 127.0.0.1, `Action=...&Version=2016-11-15` by GET query or
// POST form, XML answers shaped like EC2's. Read-only: only the simulated IPAMDs change the EC2 state.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Ec2State, FaultSettings, SimRandom } from "../contracts.ts";
import { describeInstances } from "./describeInstances.ts";
import { describeInstanceTypes } from "./describeInstanceTypes.ts";
import { describeNetworkInterfaces } from "./describeNetworkInterfaces.ts";
import { describeSubnets } from "./describeSubnets.ts";
import { Ec2Error, errorXml } from "./errors.ts";
import { getSubnetCidrReservations } from "./getSubnetCidrReservations.ts";
import { requestId } from "./ids.ts";
import type { Params } from "./params.ts";
import { response } from "./xml.ts";

export interface Ec2ServerOptions {
  state: Ec2State;
  faults: FaultSettings;
  random: SimRandom;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

export interface Ec2Server {
  url: string;
  close(): Promise<void>;
}

const API_VERSION = "2016-11-15";
const MAX_BODY_BYTES = 1 << 20;

const actions: Record<string, (state: Ec2State, params: Params) => string> = {
  DescribeInstances: describeInstances,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  DescribeInstanceTypes: (_state, params) => describeInstanceTypes(params),
  DescribeSubnets: describeSubnets,
  GetSubnetCidrReservations: getSubnetCidrReservations,
};

// Actions that would change EC2: in the simulator only the IPAMDs do that, in-process.
const mutating =
  /^(Create|Delete|Attach|Detach|Assign|Unassign|Modify|Run|Terminate|Start|Stop|Reboot|Associate|Disassociate|Allocate|Release|Replace|Reset|Import|Register|Deregister|Request|Cancel|Enable|Disable|Authorize|Revoke)[A-Z]/;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new Ec2Error("RequestEntityTooLarge", "The request body is larger than 1 MiB.", 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** SigV4 by header, or presigned in the query: any key is accepted, but a signature must be there. */
function checkAuth(req: IncomingMessage, params: Params): void {
  const header = req.headers.authorization;
  if (header === undefined) {
    if (params.has("X-Amz-Signature") && params.has("X-Amz-Credential")) return;
    throw new Ec2Error("AuthFailure", "AWS was not able to validate the provided access credentials", 401);
  }
  if (!/^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[^/]+\/ec2\/aws4_request,/.test(header)) {
    throw new Ec2Error(
      "AuthFailure",
      "AWS was not able to validate the provided access credentials (expected an AWS4-HMAC-SHA256 Authorization header for service ec2)",
      403,
    );
  }
}

function dispatch(state: Ec2State, params: Params): { action: string; body: string } {
  const action = params.get("Action");
  if (action === undefined || action === "") {
    throw new Ec2Error("MissingAction", "The request must contain the parameter Action");
  }
  const version = params.get("Version");
  if (version === undefined || version === "") {
    throw new Ec2Error("MissingParameter", "The request must contain the parameter Version");
  }
  if (version !== API_VERSION) {
    throw new Ec2Error(
      "NoSuchVersion",
      `The requested version (${version}) of service AmazonEC2 does not exist`,
    );
  }
  const handler = actions[action];
  if (handler !== undefined) {
    const body = handler(state, params);
    // The request was valid and allowed: a dry run says so instead of answering (HTTP 412).
    if (params.get("DryRun") === "true") {
      throw new Ec2Error("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
    }
    return { action, body };
  }
  if (mutating.test(action)) {
    throw new Ec2Error(
      "UnauthorizedOperation",
      `You are not authorized to perform this operation: ${action}. The simulated EC2 API is read-only; only the simulated VPC CNI changes ENIs and IPs.`,
      403,
    );
  }
  throw new Ec2Error(
    "InvalidAction",
    `The action ${action} is not valid for this web service. The simulated EC2 API answers ${Object.keys(actions).join(", ")}.`,
  );
}

export async function startEc2Server(options: Ec2ServerOptions): Promise<Ec2Server> {
  const { state, faults, random } = options;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = requestId(random);
    let status = 200;
    let xml: string;
    try {
      const url = new URL(req.url ?? "/", "http://ec2.local");
      if (req.method !== "GET" && req.method !== "POST") {
        throw new Ec2Error(
          "InvalidAction",
          `HTTP method ${req.method} is not supported: use GET or POST`,
          405,
        );
      }
      const params: Params = new Map(url.searchParams);
      if (req.method === "POST")
        for (const [k, v] of new URLSearchParams(await readBody(req))) params.set(k, v);
      checkAuth(req, params);
      if (faults.ec2ThrottleRate > 0 && random.next() < faults.ec2ThrottleRate) {
        throw new Ec2Error("RequestLimitExceeded", "Request limit exceeded.", 503);
      }
      const { action, body } = dispatch(state, params);
      xml = response(action, id, body);
    } catch (err) {
      const error =
        err instanceof Ec2Error ? err : new Ec2Error("InternalError", "An internal error has occurred", 500);
      if (!(err instanceof Ec2Error)) console.error("sim ec2: request failed:", err);
      status = error.status;
      xml = errorXml(error, id);
    }
    if (faults.ec2LatencyMs > 0) await new Promise((r) => setTimeout(r, faults.ec2LatencyMs));
    res.writeHead(status, { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": id });
    res.end(xml);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error("sim ec2: response failed:", err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
