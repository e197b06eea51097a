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
  check(typeof v === "object" && v !== null && !Array.isArray(v), where, "object");
  return v as Json;
}

function text(o: Json, key: string, where: string): string {
  check(typeof o[key] === "string", `${where}.${key}`, "string");
  return o[key] as string;
}

function service(o: Json, where: string): Omit<ServiceEniDecl, "addresses"> {
  const interfaceType = o.interfaceType as ServiceInterfaceType;
  check(serviceTypes.includes(interfaceType), `${where}.interfaceType`, "oneOf", {
    choices: serviceTypes.join(", "),
  });
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
    check(Array.isArray(o.services), `${where}.services`, "list");
    out.services = o.services.map((s, i) => {
      const w = `${where}.services[${i}]`;
      const so = object(s, w);
      const addresses = so.addresses;
      check(
        typeof addresses === "number" && Number.isInteger(addresses) && addresses >= 1,
        `${w}.addresses`,
        "wholeNumber",
        { min: 1 },
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
      "wholeNumber",
      { min: 2 },
    );
    out.fragment = { ...service(f, w), every: f.every } satisfies FragmentDecl;
  }
  if (o.reservations !== undefined) {
    check(Array.isArray(o.reservations), `${where}.reservations`, "list");
    out.reservations = o.reservations.map((r, i): ReservationDecl => {
      const w = `${where}.reservations[${i}]`;
      const ro = object(r, w);
      const cidr = text(ro, "cidr", w);
      check(/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr), `${w}.cidr`, "ipv4Cidr", { value: cidr });
      check(ro.type === "prefix" || ro.type === "explicit", `${w}.type`, "oneOf", {
        choices: '"prefix", "explicit"',
      });
      return { cidr, type: ro.type, description: typeof ro.description === "string" ? ro.description : "" };
    });
  }
  return out;
}
