// Says when what is on screen may be out of date, and why, in the server's own words.
import type { Topology } from "@eni-view/model";
import { useTranslation } from "react-i18next";
import type { StreamStatus } from "../api/stream.ts";
import { formatTime } from "../i18n/format.ts";
import { loadingText, serverText, sourceReasonText } from "../i18n/serverText.ts";
import type { UrlProblem } from "../state/viewState.ts";

export interface BannerProps {
  stream: StreamStatus;
  topology: Topology | undefined;
  loadError: string | null;
  urlProblems: readonly UrlProblem[];
}

const knownSources = new Set(["kubernetes", "ec2", "dump"]);

function time(iso: string | null): string {
  return iso ? formatTime(iso) : "";
}

export function Banner({ stream, topology, loadError, urlProblems }: BannerProps) {
  const { t } = useTranslation();
  const messages: { level: "error" | "warn"; text: string; testid: string }[] = [];
  if (loadError)
    messages.push({
      level: "error",
      text: t("banner.loadError", { error: loadError }),
      testid: "banner-load",
    });
  // A page that had a picture keeps it while a restarted server reads the cluster again, and says so.
  if (stream.state === "loading" && topology)
    messages.push({
      level: "warn",
      text: t("banner.rereading", { message: loadingText(stream.loading), time: time(topology.generatedAt) }),
      testid: "banner-loading",
    });
  if (stream.state === "down")
    messages.push({
      level: "error",
      text: topology
        ? t("banner.streamDownData", {
            since: formatTime(stream.since),
            reason: serverText(stream.reason),
            time: time(topology.generatedAt),
          })
        : t("banner.streamDown", { since: formatTime(stream.since), reason: serverText(stream.reason) }),
      testid: "banner-stream",
    });
  for (const [name, s] of Object.entries(topology?.sources ?? {})) {
    if (!s?.stale && !s?.error) continue;
    const source = knownSources.has(name)
      ? t(`banner.sources.${name as "kubernetes" | "ec2" | "dump"}`)
      : name;
    // A big cluster's EC2 data is read in a sweep: stale without an error means the sweep fell behind.
    const oldest = s.sweep?.oldestReadAt ?? null;
    const error = s.error
      ? sourceReasonText(s.error)
      : oldest
        ? t("banner.sweepBehind", { time: time(oldest) })
        : t("banner.noFreshRead");
    const stale = s.since
      ? t("banner.staleSince", { source, since: time(s.since), error })
      : t("banner.stale", { source, error });
    messages.push({
      level: "warn",
      text: s.lastSuccess ? t("banner.lastGood", { text: stale, time: time(s.lastSuccess) }) : stale,
      testid: `banner-source-${name}`,
    });
  }
  if (urlProblems.length > 0)
    messages.push({
      level: "warn",
      text: t("banner.urlIgnored", { problems: urlProblems.map((p) => p.describe()).join("; ") }),
      testid: "banner-url",
    });
  if (messages.length === 0) return null;
  return (
    <div className="banners" role="status" aria-live="polite">
      {messages.map((m) => (
        <div key={m.testid} className={`banner banner-${m.level}`} data-testid={m.testid}>
          {m.text}
        </div>
      ))}
    </div>
  );
}
