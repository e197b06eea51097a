// Lab mode's panel as a learner uses it: read the step's lines, type them in a shell, watch the step
// state and what the map and the Pending tray light.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Topology } from "@eni-view/model";
import { expect, type Locator, type Page } from "@playwright/test";

const run = promisify(execFile);

export class LabPanel {
  readonly page: Page;
  readonly panel: Locator;
  readonly state: Locator;
  readonly lit: Locator;
  readonly why: Locator;
  readonly look: Locator;

  constructor(page: Page) {
    this.page = page;
    this.panel = page.getByTestId("lab-panel");
    this.state = page.getByTestId("lab-state");
    this.lit = page.getByTestId("lab-lit");
    this.why = page.getByTestId("lab-why");
    this.look = page.getByTestId("lab-look");
  }

  commands(): Promise<string[]> {
    return this.page.getByTestId("lab-command").allTextContents();
  }

  async atStep(lab: string, step: number, timeout = 30_000): Promise<void> {
    await expect(this.panel).toHaveAttribute("data-lab", lab, { timeout });
    await expect(this.panel).toHaveAttribute("data-step", String(step), { timeout });
  }

  /** Types the step's lines into one bash, as a learner pastes them into a terminal (the export line
   * included), and returns what they printed. A watch (`-w`) never ends, so it stays in the learner's. */
  async type(lines?: string[]): Promise<string> {
    const script = (lines ?? (await this.commands())).filter((l) => !l.endsWith(" -w")).join("\n");
    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", script], {
      env: { ...process.env, KUBECONFIG: "/dev/null", AWS_CONFIG_FILE: "/dev/null", AWS_PAGER: "" },
      timeout: 60_000,
    });
    return stdout;
  }

  /** Pending tray entries the step lights (the tray dims the rest). */
  litPending(): Promise<string[]> {
    return this.page
      .locator('[data-testid="pending-item"]:not(.dim) .pending-name')
      .allTextContents()
      .then((names) => names.map((n) => n.trim()).sort());
  }

  /** How many ENIs the step says it lights ("… 3 ENIs …" / "ENI 3개"), or null when it names none. */
  async litEnis(): Promise<number | null> {
    const text = (await this.lit.textContent()) ?? "";
    const m = /(\d+) ENIs?\b/.exec(text) ?? /ENI (\d+)개/.exec(text);
    return m ? Number(m[1]) : null;
  }

  /** Whether the ENIs the step lights are the cluster's ENIs holding /28 prefixes, and whether every node
   * holds one yet (a new node's warm prefix comes a moment after its pods can run). */
  async litAgainstPrefixEnis(read: () => Promise<Topology>): Promise<{ agree: boolean; everyNode: boolean }> {
    const t = await read();
    const prefixEnis = t.nodes.flatMap((n) => n.enis.filter((e) => e.prefixes.length > 0));
    const everyNode = t.nodes.every((n) => n.enis.some((e) => e.prefixes.length > 0));
    return { agree: (await this.litEnis()) === prefixEnis.length, everyNode };
  }

  async next(): Promise<void> {
    await this.page.getByTestId("lab-next").click();
  }
}
