// The Query API's flattened parameters: `NetworkInterfaceId.1=...`, `Filter.1.Name=...&Filter.1.Value.1=...`,
// `MaxResults`, `NextToken`, checked the way EC2 checks them.
import { Ec2Error, invalidValue } from "./errors.ts";

export type Params = Map<string, string>;

export interface Filter {
  name: string;
  values: string[];
}

/** EC2 accepts at most 200 filter values per call, each at most 255 characters. */
export const MAX_FILTER_VALUES = 200;
const MAX_FILTER_VALUE_LENGTH = 255;

function indexed(params: Params, prefix: string): [number, string][] {
  const out: [number, string][] = [];
  const pattern = new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.(\\d+)$`);
  for (const [key, value] of params) {
    const match = pattern.exec(key);
    if (match) out.push([Number(match[1]), value]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Values of `Name.1`, `Name.2`, ... in index order. */
export function listParam(params: Params, name: string): string[] {
  return indexed(params, name).map(([, value]) => value);
}

export function filtersParam(params: Params): Filter[] {
  const names = new Map<number, string>();
  const values = new Map<number, string[]>();
  let count = 0;
  for (const [key, value] of params) {
    const name = /^Filter\.(\d+)\.Name$/.exec(key);
    if (name) {
      names.set(Number(name[1]), value);
      continue;
    }
    const val = /^Filter\.(\d+)\.Value\.(\d+)$/.exec(key);
    if (val) {
      count++;
      if (value.length > MAX_FILTER_VALUE_LENGTH) {
        throw invalidValue(
          `The filter value "${value.slice(0, 40)}..." is longer than ${MAX_FILTER_VALUE_LENGTH} characters.`,
        );
      }
      const n = Number(val[1]);
      values.set(n, [...(values.get(n) ?? []), value]);
    }
  }
  if (count > MAX_FILTER_VALUES) {
    throw new Ec2Error(
      "FilterLimitExceeded",
      `The maximum number of filter values specified on a single call is ${MAX_FILTER_VALUES}`,
    );
  }
  const out: Filter[] = [];
  for (const n of [...new Set([...names.keys(), ...values.keys()])].sort((a, b) => a - b)) {
    const name = names.get(n);
    if (name === undefined || name === "") {
      throw new Ec2Error("MissingParameter", `The request must contain the parameter Filter.${n}.Name`);
    }
    out.push({ name, values: values.get(n) ?? [] });
  }
  return out;
}

/** MaxResults within [min, max], or null when absent. */
export function maxResultsParam(params: Params, min: number, max: number): number | null {
  const text = params.get("MaxResults");
  if (text === undefined) return null;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw invalidValue(
      `Value ( ${text} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
    );
  }
  return value;
}

/** EC2 refuses MaxResults together with an explicit id list. */
export function refuseIdsWithMaxResults(ids: string[], idParam: string, maxResults: number | null): void {
  if (ids.length > 0 && maxResults !== null) {
    throw new Ec2Error(
      "InvalidParameterCombination",
      `The parameter ${idParam}s cannot be used with the parameter MaxResults`,
    );
  }
}
