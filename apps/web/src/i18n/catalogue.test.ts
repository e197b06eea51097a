import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { compareCatalogues, flatten } from "@eni-view/model";
import { resources } from "./i18n.ts";

test("Korean has every key English has, its plural forms, and the same variables, per namespace", () => {
  for (const ns of ["ui", "lab", "plan", "report", "server", "planner", "source"] as const) {
    assert.deepEqual(
      compareCatalogues(
        { lang: "en", catalogue: resources.en[ns] },
        { lang: "ko", catalogue: resources.ko[ns] },
      ),
      [],
      `namespace ${ns}`,
    );
  }
});

test("the comparison names a missing key, a missing plural form and a dropped variable", () => {
  const en = { a: "x", n_one: "{{count}} node", n_other: "{{count}} nodes", v: "{{name}} at {{time}}" };
  assert.deepEqual(
    compareCatalogues({ lang: "en", catalogue: en }, { lang: "ko", catalogue: { v: "{{name}}" } }),
    ["ko lacks a", "ko lacks n", "v: en has {name,time}, ko has {name}"],
  );
  assert.deepEqual(
    compareCatalogues(
      { lang: "en", catalogue: { n_other: "{{count}}" } },
      { lang: "ko", catalogue: { n_other: "{{count}}" } },
    ),
    ["en lacks n_one"],
  );
});

// Every literal key the page's code passes to t() (TypeScript checks the dynamic ones against en.json).
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

test("every literal key the code uses exists in English and Korean", () => {
  const src = join(import.meta.dirname, "..");
  const flat = {
    en: { ui: flatten(resources.en.ui), lab: flatten(resources.en.lab), plan: flatten(resources.en.plan) },
    ko: { ui: flatten(resources.ko.ui), lab: flatten(resources.ko.lab), plan: flatten(resources.ko.plan) },
  };
  const missing: string[] = [];
  let used = 0;
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, "utf8");
    // A file whose components take one namespace (useTranslation("plan")) names its keys without it.
    const own = /useTranslation\(\s*"(\w+)"\s*\)/.exec(text)?.[1] as "ui" | "lab" | "plan" | undefined;
    for (const m of text.matchAll(/\bt\(\s*"([\w.:]+)"/g)) {
      used++;
      const [ns, key] = m[1]!.includes(":")
        ? (m[1]!.split(":") as ["ui" | "lab" | "plan", string])
        : [own ?? ("ui" as const), m[1]!];
      for (const lang of ["en", "ko"] as const) {
        const cat = flat[lang][ns];
        const has = cat?.has(key) || cat?.has(`${key}_other`);
        if (!has) missing.push(`${lang}: ${m[1]} (${file.slice(src.length + 1)})`);
      }
    }
  }
  assert.ok(used > 20, `found only ${used} t("…") calls: the scan is not reading the code`);
  assert.deepEqual(missing, []);
});
