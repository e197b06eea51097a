// The line under a Pending group in `report` and `plan`: the scheduler's or kubelet's message stays verbatim
// (people search for it), and beside it one line in the CLI's language on what the reason means for the
// VPC CNI, as the page's Pending tray explains it.
import type { PendingReason } from "@eni-view/model";
import { t } from "../i18n/cliText.ts";
import { terminalSafe } from "./terminalText.ts";
import { wrap } from "./textTable.ts";

export function pendingWhy(reason: PendingReason): string {
  return wrap(terminalSafe(t("pendingWhy.line", { text: t(`pendingWhy.${reason}`) })), "      ", "        ");
}
