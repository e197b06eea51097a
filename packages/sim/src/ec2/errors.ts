// EC2 Query API errors: a code, an HTTP status and a message, written as EC2 writes them.
import { el } from "./xml.ts";

export class Ec2Error extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export function errorXml(error: Ec2Error, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>${el("Code", error.code)}${el("Message", error.message)}</Error></Errors>${el("RequestID", requestId)}</Response>`;
}

export function invalidValue(message: string): Ec2Error {
  return new Ec2Error("InvalidParameterValue", message);
}
