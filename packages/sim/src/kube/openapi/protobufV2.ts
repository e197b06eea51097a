// /openapi/v2 in the form kubectl asks for it (application/com.github.proto-openapi.spec.v2@v1.0+protobuf):
// gnostic's openapi.v2.Document message, encoded by hand. It carries the info and the definitions, which
// is what kubectl reads from it (client-side validation, `explain --output plaintext-openapiv2`).

type Json = Record<string, unknown>;

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** A length-delimited field (strings and embedded messages). */
function field(num: number, payload: Uint8Array | string): Buffer {
  const bytes = typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
  return Buffer.concat([Buffer.from(varint((num << 3) | 2)), Buffer.from(varint(bytes.length)), bytes]);
}

/** An Any holding YAML text (how gnostic keeps vendor extension values). */
function namedAny(name: string, yaml: string): Buffer {
  return Buffer.concat([field(1, name), field(2, field(2, yaml))]);
}

/** A JSON value as YAML: the flow style (JSON) is YAML too. */
function yamlOf(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

function schema(s: Json): Buffer {
  const parts: Buffer[] = [];
  if (typeof s.$ref === "string") parts.push(field(1, s.$ref));
  if (typeof s.format === "string") parts.push(field(2, s.format));
  if (typeof s.description === "string") parts.push(field(4, s.description));
  if (s.additionalProperties && typeof s.additionalProperties === "object") {
    parts.push(field(21, field(1, schema(s.additionalProperties as Json))));
  }
  if (typeof s.type === "string") parts.push(field(22, field(1, s.type)));
  if (s.items && typeof s.items === "object") parts.push(field(23, field(1, schema(s.items as Json))));
  if (s.properties && typeof s.properties === "object") {
    const named = Object.entries(s.properties as Record<string, Json>).map(([name, value]) =>
      field(1, Buffer.concat([field(1, name), field(2, schema(value))])),
    );
    parts.push(field(25, Buffer.concat(named)));
  }
  for (const [key, value] of Object.entries(s)) {
    if (key.startsWith("x-")) parts.push(field(31, namedAny(key, yamlOf(value))));
  }
  return Buffer.concat(parts);
}

export function openApiV2Protobuf(doc: Json): Buffer {
  const info = doc.info as { title: string; version: string };
  const definitions = Object.entries(doc.definitions as Record<string, Json>).map(([name, value]) =>
    field(1, Buffer.concat([field(1, name), field(2, schema(value))])),
  );
  return Buffer.concat([
    field(1, String(doc.swagger)),
    field(2, Buffer.concat([field(1, info.title), field(2, info.version)])),
    field(9, Buffer.concat(definitions)),
  ]);
}
