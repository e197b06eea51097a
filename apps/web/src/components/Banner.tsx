// Says when what is on screen may be out of date, and why, in the server's own words.
import type { Topology } from "@eni-view/model";
import type { StreamStatus } from "../api/stream.ts";

export interface BannerProps {
  stream: StreamStatus;
  topology: Topology | undefined;
  loadError: string | null;
  urlProblems: string[];
}

const sourceNames: Record<string, string> = { kubernetes: "Kubernetes", ec2: "EC2", dump: "capture folder" };

function time(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
}

export function Banner({ stream, topology, loadError, urlProblems }: BannerProps) {
  const messages: { level: "error" | "warn"; text: string; testid: string }[] = [];
  if (loadError)
    messages.push({ level: "error", text: `Cannot load the topology: ${loadError}`, testid: "banner-load" });
  // A page that had a picture keeps it while a restarted server reads the cluster again, and says so.
  if (stream.state === "loading" && topology)
    messages.push({
      level: "warn",
      text: `The server is reading the cluster again (${stream.loading.message}). Showing data from ${time(topology.generatedAt)} until it has all of it.`,
      testid: "banner-loading",
    });
  if (stream.state === "down")
    messages.push({
      level: "error",
      text: `Live updates stopped since ${new Date(stream.since).toLocaleTimeString()}: ${stream.reason}.${
        topology ? ` Showing data from ${time(topology.generatedAt)}.` : ""
      }`,
      testid: "banner-stream",
    });
  for (const [name, s] of Object.entries(topology?.sources ?? {})) {
    if (!s?.stale && !s?.error) continue;
    const since = s.since ? ` since ${time(s.since)}` : "";
    const last = s.lastSuccess ? ` (last good read ${time(s.lastSuccess)})` : "";
    messages.push({
      level: "warn",
      text: `${sourceNames[name] ?? name} data is stale${since}: ${s.error ?? "no fresh read"}${last}`,
      testid: `banner-source-${name}`,
    });
  }
  if (urlProblems.length > 0)
    messages.push({
      level: "warn",
      text: `Ignored in the link: ${urlProblems.join("; ")}`,
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
