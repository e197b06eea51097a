// Just enough XML writing for EC2 Query API responses: escaped text, nested elements, `<item>` lists.

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

const special = /[&<>"']/;

export function escapeXml(text: string): string {
  // Nearly every value (ids, addresses, numbers) needs no escaping; skip the replace for those.
  return special.test(text) ? text.replace(/[&<>"']/g, (c) => escapes[c] ?? c) : text;
}

/** `<name>value</name>`; nothing at all for null/undefined, as EC2 leaves out fields it has no value for. */
export function el(name: string, value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>` around already-built child XML. */
export function node(name: string, ...children: string[]): string {
  return `<${name}>${children.join("")}</${name}>`;
}

/** EC2 lists: `<nameSet><item>...</item>...</nameSet>`; an empty list is an empty element. */
export function list<T>(name: string, items: readonly T[], item: (value: T) => string): string {
  let out = `<${name}>`;
  for (const value of items) out += `<item>${item(value)}</item>`;
  return `${out}</${name}>`;
}

export function tagSet(tags: Record<string, string>): string {
  return list("tagSet", Object.entries(tags), ([key, value]) => el("key", key) + el("value", value));
}

export const EC2_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

export function response(action: string, requestId: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}">${el("requestId", requestId)}${body}</${action}Response>`;
}
