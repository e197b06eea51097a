// Finds English left in a Korean page or SVG: every text node and every user-facing attribute outside
// elements marked as cluster data (data-i18n-data) or as another language (lang="en" on the language
// picker's "English"). Runs in the browser (page.evaluate), so it has to be self-contained.
//
// What counts as English is a Latin word that is neither an identifier nor a term the Korean AWS and
// Kubernetes documentation keeps in Latin script. Identifiers are told by their shape, never listed: they
// hold a digit or one of - _ . : / = + @ (eni-0abc, t3.medium, WARM_ENI_TARGET, app=web, Shift+Enter), are
// acronyms in capitals (ENI, IPs, CIDR), or camelCase API names (hostNetwork, NotReady). The terms are the
// few plain words those documents leave untranslated: Kubernetes' own names and API values.
import type { Page } from "@playwright/test";

export const keptTerms = [
  "Kubernetes",
  "kubelet",
  "kubectl",
  "cordon",
  "Ready",
  "Pending",
  "Running",
  "Deployment",
  "Fargate",
  "Windows",
  "Esc",
  "Enter",
  "Markdown",
];

export interface EnglishLeft {
  where: string;
  text: string;
  words: string[];
}

/** In the browser: the English words left under `root` (a document or an element). */
export function findEnglish(root: Document | Element, terms: string[]): EnglishLeft[] {
  const kept = new Set(terms);
  const isIdentifier = (w: string) =>
    /[\d\-_.:/=+@]/.test(w) || /^[A-Z]{2,}s?$/.test(w) || /^[a-zA-Z]+[A-Z][a-zA-Z]*$/.test(w);
  const english = (text: string) =>
    (text.match(/[A-Za-z0-9\-_.:/=+@']+/g) ?? [])
      .filter((w) => !isIdentifier(w.replace(/[.:']+$/, "")))
      .map((w) => w.replace(/^['/]+|[.:'/]+$/g, ""))
      .filter((w) => /[A-Za-z]{2,}/.test(w) && !kept.has(w));
  const skipped = (el: Element | null) =>
    el !== null &&
    (el.closest("[data-i18n-data]") !== null ||
      (el.closest("[lang]")?.getAttribute("lang") ?? "ko") !== "ko" ||
      el.closest("script, style") !== null);
  const label = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.getAttribute("data-testid") ? `[${el.getAttribute("data-testid")}]` : ""}${el.className && typeof el.className === "string" ? `.${el.className.split(" ")[0]}` : ""}`;
  const out: EnglishLeft[] = [];
  const doc = root instanceof Document ? root : root.ownerDocument;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || skipped(el)) continue;
    const words = english(n.textContent ?? "");
    if (words.length > 0) out.push({ where: label(el), text: (n.textContent ?? "").trim(), words });
  }
  const all = root instanceof Document ? root.querySelectorAll("*") : root.querySelectorAll("*");
  for (const el of all) {
    if (skipped(el)) continue;
    for (const attr of ["title", "aria-label", "placeholder", "alt"]) {
      const v = el.getAttribute(attr);
      if (!v) continue;
      const words = english(v);
      if (words.length > 0) out.push({ where: `${label(el)}@${attr}`, text: v, words });
    }
  }
  return out;
}

/** In the test: the English left in the page as it is now (findEnglish run in the browser); `extra` adds
 * words a state shows verbatim from the cluster's APIs (an API server's "Forbidden: pods"). */
export function englishOnPage(page: Page, extra: string[] = []): Promise<EnglishLeft[]> {
  return page.evaluate(
    ({ src, terms }) => {
      const find = new Function(`return (${src})`)() as typeof findEnglish;
      return find(document, terms);
    },
    { src: findEnglish.toString(), terms: [...keptTerms, ...extra] },
  );
}
