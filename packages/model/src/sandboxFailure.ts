// kubelet's event when the CNI plugin could not give a pod an IP (IPAMD's pool empty, the subnet dry, EC2
// throttled): FailedCreatePodSandBox with the aws-cni plugin's ADD error (domain section 5).

export function sandboxFailureMessage(sandboxId: string): string {
  return `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandboxId}": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container`;
}
