// The kubeconfig and endpoints.json a started simulator writes, in the shape `aws eks update-kubeconfig`
// produces (ARN-named cluster, context and user) with a static bearer token instead of the exec plugin.

export interface KubeconfigParams {
  server: string;
  caPem: string;
  token: string;
  region: string;
  accountId: string;
  clusterName: string;
}

export function clusterArn(p: Pick<KubeconfigParams, "region" | "accountId" | "clusterName">): string {
  return `arn:aws:eks:${p.region}:${p.accountId}:cluster/${p.clusterName}`;
}

export function kubeconfigYaml(p: KubeconfigParams): string {
  const arn = clusterArn(p);
  const ca = Buffer.from(p.caPem).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${ca}`,
    `    server: ${p.server}`,
    `  name: ${arn}`,
    "contexts:",
    "- context:",
    `    cluster: ${arn}`,
    "    namespace: default",
    `    user: ${arn}`,
    `  name: ${arn}`,
    `current-context: ${arn}`,
    "preferences: {}",
    "users:",
    `- name: ${arn}`,
    "  user:",
    `    token: ${p.token}`,
    "",
  ].join("\n");
}
