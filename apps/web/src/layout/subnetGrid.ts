// PURE geometry of the subnet view: a subnet's addresses as a grid whose rows are whole /28 blocks, so a
// prefix is always a row segment and fragmentation shows as broken segments. A /24 is 16 rows of 16; a /16
// is 256 rows of 256.
import {
  ADDRESS_KINDS,
  type AddressKind,
  parseIpv4,
  parseIpv4Cidr,
  type SubnetAddressMap,
  type SubnetReport,
  subnetMapOf,
  type Topology,
} from "@eni-view/model";

export interface GridGeometry {
  size: number;
  cols: number;
  rows: number;
  /** Cell side in CSS pixels. */
  cell: number;
  /** Pixels between /28 blocks across a row, and between rows. */
  blockGap: number;
  rowGap: number;
  width: number;
  height: number;
}

/** Columns for a subnet size: whole /28s per row, about as many rows as columns. */
export function columnsFor(size: number): number {
  let cols = 16;
  while (cols * cols < size) cols *= 2;
  return Math.min(cols, size);
}

/** Cells as large as `maxWidth` allows, between 2 and 24 pixels. */
export function gridGeometry(size: number, maxWidth: number): GridGeometry {
  const cols = columnsFor(size);
  const rows = Math.ceil(size / cols);
  const blocks = cols / 16;
  let cell = Math.max(2, Math.min(24, Math.floor((maxWidth - (blocks - 1) * 2) / cols)));
  const blockGap = cell >= 4 ? (cell >= 10 ? 3 : 1) : 0;
  const rowGap = cell >= 6 ? 1 : 0;
  cell = Math.max(2, Math.min(cell, Math.floor((maxWidth - (blocks - 1) * blockGap) / cols)));
  return {
    size,
    cols,
    rows,
    cell,
    blockGap,
    rowGap,
    width: cols * cell + (blocks - 1) * blockGap,
    height: rows * cell + (rows - 1) * rowGap,
  };
}

/** The top-left corner of address `index`'s cell. */
export function cellOrigin(g: GridGeometry, index: number): { x: number; y: number } {
  const col = index % g.cols;
  const row = Math.floor(index / g.cols);
  return { x: col * g.cell + Math.floor(col / 16) * g.blockGap, y: row * (g.cell + g.rowGap) };
}

/** The address index under a point of the grid, or null in a gap or outside. */
export function cellAt(g: GridGeometry, x: number, y: number): number | null {
  if (x < 0 || y < 0 || x >= g.width || y >= g.height) return null;
  const blockWidth = 16 * g.cell + g.blockGap;
  const block = Math.floor(x / blockWidth);
  const inBlock = x - block * blockWidth;
  if (inBlock >= 16 * g.cell) return null;
  const col = block * 16 + Math.floor(inBlock / g.cell);
  const rowPitch = g.cell + g.rowGap;
  const row = Math.floor(y / rowPitch);
  if (y - row * rowPitch >= g.cell) return null;
  const index = row * g.cols + col;
  return index < g.size ? index : null;
}

/** The subnets the view draws: those the cluster uses and that have an address map, by zone and CIDR. */
export function mappedSubnets(subnets: readonly SubnetReport[]): SubnetReport[] {
  return subnets
    .filter((s) => s.used === true && s.space)
    .sort((a, b) => (a.zone ?? "").localeCompare(b.zone ?? "") || compareCidr(a.cidr, b.cidr));
}

function compareCidr(a: string, b: string): number {
  return (parseIpv4Cidr(a)?.base ?? 0) - (parseIpv4Cidr(b)?.base ?? 0);
}

/** The subnet holding an IP (a search for "10.0.1.7" opens its subnet). */
export function subnetOfIp(subnets: readonly SubnetReport[], ip: string): SubnetReport | null {
  const a = parseIpv4(ip);
  if (a === null) return null;
  return (
    subnets.find((s) => {
      const b = parseIpv4Cidr(s.cidr);
      return b !== null && a >= b.base && a < b.base + b.size;
    }) ?? null
  );
}

/** One subnet's address map from the topology: the nodes' ENIs, its other ENIs and its reservations. */
export function topologySubnetMap(
  topology: Pick<Topology, "nodes">,
  subnet: SubnetReport,
): SubnetAddressMap | null {
  return subnetMapOf(topology, subnet);
}

/** How many addresses of each kind the map holds (the legend's counts). */
export function kindCounts(map: SubnetAddressMap): Record<AddressKind, number> {
  const counts = Object.fromEntries(ADDRESS_KINDS.map((k) => [k, 0])) as Record<AddressKind, number>;
  for (let i = 0; i < map.size; i++) counts[ADDRESS_KINDS[map.kinds[i]!]!]++;
  return counts;
}
