// EC2 instance sizes in their real order (nano < … < large < xlarge < 2xlarge < … < metal), so a family
// reads small to large instead of in string order ("12xlarge" before "2xlarge").

const NAMED_SIZES = ["nano", "micro", "small", "medium", "large"];

/** A number that orders sizes: named sizes, then N·xlarge by N, then metal (metal-16xl, -24xl, … before
 * plain metal, which is the whole host); sizes of another form sort last. */
export function sizeRank(size: string): number {
  const named = NAMED_SIZES.indexOf(size);
  if (named >= 0) return named;
  const xlarge = /^(\d*)xlarge$/.exec(size);
  if (xlarge) return NAMED_SIZES.length + Number(xlarge[1] || 1);
  const metal = /^metal(?:-(\d+)xl)?$/.exec(size);
  if (metal) return 10_000 + (metal[1] ? Number(metal[1]) : 5_000);
  return 100_000;
}

/** Orders instance type names by family (A to Z), then by size. */
export function compareInstanceTypes(a: string, b: string): number {
  const [fa = a, sa = ""] = a.split(/\.(.*)/);
  const [fb = b, sb = ""] = b.split(/\.(.*)/);
  if (fa !== fb) return fa < fb ? -1 : 1;
  return sizeRank(sa) - sizeRank(sb) || (sa < sb ? -1 : sa > sb ? 1 : 0);
}
