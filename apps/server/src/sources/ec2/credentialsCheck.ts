// Before eni-view reads EC2 on the user's own credentials: does the AWS SDK's default chain find any?
// Without this check the EC2 half retries until the capture's timeout (60 s) or shows a stale banner for
// ever. The chain's own words are kept: for an expired SSO session they say to run `aws sso login`.
import { defaultProvider } from "@aws-sdk/credential-provider-node";

/** What to do when the chain finds nothing at all (its own message, "Could not load credentials from
 * any providers", names no way out). */
const GENERIC_ADVICE =
  "set AWS_PROFILE (and run aws sso login for an SSO profile) or AWS_ACCESS_KEY_ID and " +
  "AWS_SECRET_ACCESS_KEY; in a pod, give its service account an IAM role (IRSA or EKS Pod Identity)";

/** Resolves the default credential chain once: null when it yields credentials, else one line saying
 * why, in the chain's words. `resolve` is for tests. */
export async function awsCredentialsProblem(
  resolve: () => Promise<unknown> = () => defaultProvider()(),
): Promise<string | null> {
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
      const which = profile ? ` (AWS_PROFILE=${profile}: no such profile, or it yields none)` : "";
      return `no AWS credentials for EC2: ${message}${which}; ${GENERIC_ADVICE}`;
    }
    return `no AWS credentials for EC2: ${message}`;
  }
}
