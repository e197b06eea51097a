// MaxResults/NextToken paging. The token names the last key served, not an offset, so pages stay right
// while IPAMDs add and delete ENIs between calls.
import { Ec2Error } from "./errors.ts";

export interface Page<T> {
  items: T[];
  nextToken: string | null;
}

function badToken(): Ec2Error {
  return new Ec2Error("InvalidPaginationToken", "The specified pagination token is not valid or is expired.");
}

function decode(token: string, action: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && "a" in parsed && "k" in parsed) {
      const { a, k } = parsed as { a: unknown; k: unknown };
      if (a === action && typeof k === "string") return k;
    }
  } catch {
    // fall through: any undecodable token is simply invalid
  }
  throw badToken();
}

/** `items` must be sorted by `key`. With no page size everything comes back in one page. */
export function paginate<T>(
  items: T[],
  key: (item: T) => string,
  pageSize: number | null,
  token: string | undefined,
  action: string,
): Page<T> {
  let start = 0;
  if (token !== undefined && token !== "") {
    const after = decode(token, action);
    // First item whose key sorts after the token's: a binary search, the pages of a big VPC are many.
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (key(items[mid] as T) > after) hi = mid;
      else lo = mid + 1;
    }
    start = lo;
  }
  if (pageSize === null) return { items: items.slice(start), nextToken: null };
  const page = items.slice(start, start + pageSize);
  const last = page.at(-1);
  const more = start + pageSize < items.length && last !== undefined;
  return {
    items: page,
    nextToken: more ? Buffer.from(JSON.stringify({ a: action, k: key(last) })).toString("base64url") : null,
  };
}

export function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}
