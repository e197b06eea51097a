// Kubernetes resource quantities ("1930m", "3388328Ki", "17", "1.5Gi") as plain numbers.

const suffixes: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value in base units (cores, bytes, pods); null when it is not a quantity. */
export function parseQuantity(text: string | number): number | null {
  if (typeof text === "number") return Number.isFinite(text) ? text : null;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(text.trim());
  if (!match) return null;
  const factor = suffixes[match[2]!];
  if (factor === undefined) return null;
  return Number(match[1]) * factor;
}

export function parseCpuMilli(text: string | number): number | null {
  const cores = parseQuantity(text);
  return cores === null ? null : Math.round(cores * 1000);
}
