// The part of the repository's package-lock.json that the package's dependencies need, as the
// npm-shrinkwrap.json the package ships (npm honours it when the package is installed, npx included).
export interface LockEntry {
  version?: string;
  resolved?: string;
  link?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}
export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** Where Node would find `name` from the package installed at `from` ("" is the root). */
function resolveFrom(lock: Lockfile, from: string, name: string): string | undefined {
  for (let dir = from; ; ) {
    const key = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
}

export function lockedSubtree(lock: Lockfile, roots: string[]) {
  const kept = new Map<string, LockEntry>();
  const visit = (from: string, name: string, optional: boolean) => {
    const key = resolveFrom(lock, from, name);
    if (!key) {
      if (optional) return;
      throw new Error(`package-lock.json has no ${name} for ${from || "the root"}: run npm install`);
    }
    if (kept.has(key)) return;
    const entry = lock.packages[key] as LockEntry;
    if (entry.link) throw new Error(`${name} is a workspace link; the package cannot depend on it`);
    kept.set(key, entry);
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(key, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(key, dep, true);
    for (const [dep] of Object.entries(entry.peerDependencies ?? {}))
      visit(key, dep, entry.peerDependenciesMeta?.[dep]?.optional === true);
  };
  for (const name of roots) visit("", name, false);

  return {
    version(name: string): string {
      const v = kept.get(`node_modules/${name}`)?.version;
      if (!v) throw new Error(`package-lock.json has no version for ${name}`);
      return v;
    },
    shrinkwrap(root: Record<string, unknown> & { name: string; version: string }) {
      const packages: Record<string, LockEntry> = { "": root };
      for (const key of [...kept.keys()].sort()) {
        // dev/peer flags describe the repository's tree; in the package every one of these is needed.
        const { dev: _d, devOptional: _o, peer: _p, ...entry } = kept.get(key) as LockEntry;
        packages[key] = entry;
      }
      return { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages };
    },
  };
}
