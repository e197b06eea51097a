// Reading a message catalogue as flat keys, for the tests that hold every language to the same keys (the
// page's and the CLI's), and telling English words left in a text that should be Korean. The
// plural suffixes are i18next's (Intl.PluralRules categories): English needs _one and _other, Korean only
// _other, so keys are compared without them.
const pluralSuffix = /_(zero|one|two|few|many|other)$/;

export type Catalogue = { readonly [key: string]: string | Catalogue };

/** "a.b_one" -> value, for every leaf. */
export function flatten(catalogue: Catalogue, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

export function baseKey(key: string): string {
  return key.replace(pluralSuffix, "");
}

/** The plural categories a key has in a catalogue, or null when it is not a plural key. */
export function pluralForms(flat: Map<string, string>, base: string): Set<string> | null {
  const forms = new Set<string>();
  for (const key of flat.keys()) {
    const m = pluralSuffix.exec(key);
    if (m && key.slice(0, m.index) === base) forms.add(m[1]!);
  }
  return forms.size > 0 ? forms : null;
}

/** The `{{name}}` / `{{name, format}}` variables of a message. */
export function variables(message: string): Set<string> {
  return new Set([...message.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]!));
}

/**
 * Differences between two catalogues of one namespace: keys one lacks, plural categories a language
 * needs but lacks, and messages whose variables differ (a translation that drops a number).
 */
export function compareCatalogues(
  reference: { lang: string; catalogue: Catalogue },
  other: { lang: string; catalogue: Catalogue },
): string[] {
  const a = flatten(reference.catalogue);
  const b = flatten(other.catalogue);
  const problems: string[] = [];
  const basesA = new Set([...a.keys()].map(baseKey));
  const basesB = new Set([...b.keys()].map(baseKey));
  for (const k of basesA) if (!basesB.has(k)) problems.push(`${other.lang} lacks ${k}`);
  for (const k of basesB) if (!basesA.has(k)) problems.push(`${reference.lang} lacks ${k}`);
  for (const { lang, flat } of [
    { lang: reference.lang, flat: a },
    { lang: other.lang, flat: b },
  ]) {
    const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const base of new Set([...flat.keys()].map(baseKey))) {
      const forms = pluralForms(flat, base);
      if (!forms) continue;
      for (const form of needed) if (!forms.has(form)) problems.push(`${lang} lacks ${base}_${form}`);
    }
  }
  for (const base of basesA) {
    if (!basesB.has(base)) continue;
    const va = variables(a.get(base) ?? a.get(`${base}_other`) ?? "");
    const vb = variables(b.get(base) ?? b.get(`${base}_other`) ?? "");
    const same = va.size === vb.size && [...va].every((v) => vb.has(v));
    if (!same) problems.push(`${base}: ${reference.lang} has {${[...va]}}, ${other.lang} has {${[...vb]}}`);
  }
  return problems;
}

/**
 * The English words in a text that should be in another language. An identifier is no word: it holds a
 * digit or one of - _ . : / = + @ (eni-0abc, t3.medium, WARM_ENI_TARGET), is an acronym in capitals (ENI,
 * IPs) or a camelCase API name (hostNetwork, NotReady). `kept` are the plain words the Korean AWS and
 * Kubernetes documentation leaves in Latin script (Kubernetes, kubelet, Ready ...).
 */
export function englishWords(text: string, kept: ReadonlySet<string>): string[] {
  const isIdentifier = (w: string) =>
    /[\d\-_.:/=+@]/.test(w) || /^[A-Z]{2,}s?$/.test(w) || /^[a-zA-Z]+[A-Z][a-zA-Z]*$/.test(w);
  return (text.match(/[A-Za-z0-9\-_.:/=+@']+/g) ?? [])
    .filter((w) => !isIdentifier(w.replace(/[.:']+$/, "")))
    .map((w) => w.replace(/^['/]+|[.:'/]+$/g, ""))
    .filter((w) => /[A-Za-z]{2,}/.test(w) && !kept.has(w));
}
