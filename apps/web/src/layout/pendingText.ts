// A Pending pod's message as the tray shows it. The scheduler's and kubelet's messages stay verbatim (people
// search for them); only the words eni-view itself puts there when the cluster said nothing are translated.
import { NOT_SCHEDULED_MESSAGE, type PendingPodReport, startingMessage } from "@eni-view/model";
import { t } from "../i18n/i18n.ts";

const starting = (() => {
  const [before, after] = startingMessage("\u0000").split("\u0000") as [string, string];
  return { before, after };
})();

/** The text and whether it is the cluster's own (verbatim) or eni-view's (in the page's language). */
export function pendingMessage(p: Pick<PendingPodReport, "reason" | "message">): {
  text: string;
  verbatim: boolean;
} {
  if (p.message === "") return { text: t("pending.noMessage"), verbatim: false };
  if (p.reason === "other" && p.message === NOT_SCHEDULED_MESSAGE)
    return { text: t("pending.notScheduled"), verbatim: false };
  const m = p.message;
  if (p.reason === "starting" && m.startsWith(starting.before) && m.endsWith(starting.after))
    return {
      text: t("pending.waitingForIp", {
        status: m.slice(starting.before.length, m.length - starting.after.length),
      }),
      verbatim: false,
    };
  return { text: m, verbatim: true };
}
