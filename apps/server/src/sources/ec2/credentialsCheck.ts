// Before eni-view reads EC2 on the user's own credentials: does the AWS SDK's default chain find any?
// Without this check the EC2 half retries until the capture's timeout (60 s) or shows a stale banner for
// ever. The chain's own words are kept: for an expired SSO session they say to run `aws sso login`.
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import type { ServerMessage } from "@eni-view/model";

/** Resolves the default credential chain once: null when it yields credentials, else one line saying
 * why: the chain's words inside a message of the server catalogue. `resolve` is for tests. */
export async function awsCredentialsProblem(
  resolve: () => Promise<unknown> = () => defaultProvider()(),
): Promise<ServerMessage | null> {
  try {
    await resolve();
    return null;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A network error on the way to STS or the instance metadata may pass: the poller retries it.
    const code = (err as { code?: unknown }).code;
    if ((typeof code === "string" && /^E[A-Z]+$/.test(code)) || (err as Error).name === "TimeoutError")
      return null;
    const profile = process.env.AWS_PROFILE;
    if (/Could not load credentials from any providers/i.test(message)) {
      // The chain's own words name no way out: the catalogue's add what to do.
      return profile
        ? { key: "credentials.noneProfile", values: { error: message, profile } }
        : { key: "credentials.none", values: { error: message } };
    }
    return { key: "credentials.failed", values: { error: message } };
  }
}
