// A subnet's `neighbours` in a scenario file, checked field by field like the rest of the file.
import type { ServiceInterfaceType } from "../contracts.ts";
import type { FragmentDecl, NeighbourDecls, ReservationDecl, ServiceEniDecl } from "./neighbours.ts";
import { check } from "./scenario.ts";

type Json = Record<string, unknown>;

const serviceTypes: readonly ServiceInterfaceType[] = [
  "load_balancer",
  "network_load_balancer",
  "gateway_load_balancer",
  "vpc_endpoint",
  "nat_gateway",
  "lambda",
];

function object(v: unknown, where: string): Json {
  check(typeof v === "object" && v !== null && !Array.isArray(v), where, "must be an object");
  return v as Json;
}

function text(o: Json, key: string, where: string): string {
  check(typeof o[key] === "string", `${where}.${key}`, "must be a string");
  return o[key] as string;
}

function service(o: Json, where: string): Omit<ServiceEniDecl, "addresses"> {
  const interfaceType = o.interfaceType as ServiceInterfaceType;
  check(
    serviceTypes.includes(interfaceType),
    `${where}.interfaceType`,
    `must be one of ${serviceTypes.join(", ")}`,
  );
  const out: Omit<ServiceEniDecl, "addresses"> = {
    interfaceType,
    description: text(o, "description", where),
  };
  if (o.requesterId !== undefined) out.requesterId = text(o, "requesterId", where);
  return out;
}

export function parseNeighbours(doc: unknown, where: string): NeighbourDecls {
  const o = object(doc, where);
  const out: NeighbourDecls = {};
  if (o.services !== undefined) {
    check(Array.isArray(o.services), `${where}.services`, "must be a list");
    out.services = o.services.map((s, i) => {
      const w = `${where}.services[${i}]`;
      const so = object(s, w);
      const addresses = so.addresses;
      check(
        typeof addresses === "number" && Number.isInteger(addresses) && addresses >= 1,
        `${w}.addresses`,
        "must be a whole number >= 1",
      );
      return { ...service(so, w), addresses };
    });
  }
  if (o.fragment !== undefined) {
    const w = `${where}.fragment`;
    const f = object(o.fragment, w);
    check(
      typeof f.every === "number" && Number.isInteger(f.every) && f.every >= 2,
      `${w}.every`,
      "must be a whole number >= 2",
    );
    out.fragment = { ...service(f, w), every: f.every } satisfies FragmentDecl;
  }
  if (o.reservations !== undefined) {
    check(Array.isArray(o.reservations), `${where}.reservations`, "must be a list");
    out.reservations = o.reservations.map((r, i): ReservationDecl => {
      const w = `${where}.reservations[${i}]`;
      const ro = object(r, w);
      const cidr = text(ro, "cidr", w);
      check(/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr), `${w}.cidr`, `"${cidr}" is not an IPv4 CIDR`);
      check(ro.type === "prefix" || ro.type === "explicit", `${w}.type`, 'must be "prefix" or "explicit"');
      return { cidr, type: ro.type, description: typeof ro.description === "string" ? ro.description : "" };
    });
  }
  return out;
}
