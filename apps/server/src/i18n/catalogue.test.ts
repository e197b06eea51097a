import assert from "node:assert/strict";
import { test } from "node:test";
import { compareCatalogues } from "@eni-view/model";
import { cliResources } from "./cliText.ts";

test("the CLI's Korean has every English key, its plural forms and the same variables", () => {
  for (const ns of ["cli", "report", "server", "planner", "source"] as const) {
    assert.deepEqual(
      compareCatalogues(
        { lang: "en", catalogue: cliResources.en[ns] },
        { lang: "ko", catalogue: cliResources.ko[ns] },
      ),
      [],
      `namespace ${ns}`,
    );
  }
});
