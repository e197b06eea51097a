// Headers every response carries. The dashboard is a Vite bundle with no inline script, so the CSP can
// forbid inline script outright; inline styles stay allowed because React and D3 set style attributes.
export interface SecurityOptions {
  /** CSP frame-ancestors value; "'none'" (never framed) unless the operator embeds the dashboard. */
  frameAncestors?: string;
  /** Origins the page may fetch from besides its own: the simulator's admin endpoint, whose reset lab mode
   * calls when the server runs on the simulator. None otherwise. */
  connectSources?: readonly string[];
}

export function securityHeaders(options: SecurityOptions = {}): Record<string, string> {
  const frameAncestors = options.frameAncestors ?? "'none'";
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...(options.connectSources ?? [])].join(" "),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join("; ");
  const headers: Record<string, string> = {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
  };
  // Old browsers ignore frame-ancestors; X-Frame-Options says the same to them.
  if (frameAncestors === "'none'") headers["x-frame-options"] = "DENY";
  return headers;
}

/** Checks an operator-given frame-ancestors list: sources separated by spaces, no CSP separators. */
export function parseFrameAncestors(value: string): string {
  const trimmed = value.trim();
  if (trimmed === "" || /[;,\n\r]/.test(trimmed)) {
    throw new Error(
      `--frame-ancestors must be CSP sources separated by spaces (e.g. "'self' https://grafana.example.com"), got "${value}"`,
    );
  }
  return trimmed;
}
