// Schemas of the custom resources the simulator can serve, as their CRDs declare them (ENIConfig of the
// VPC CNI, CNINode and SecurityGroupPolicy of the VPC resource controller).
import type { FieldSchema, ModelSchema } from "./modelSchemas.ts";

const str: FieldSchema = { type: "string" };
const strings: FieldSchema = { type: "array", items: str };
const stringMap: FieldSchema = { type: "object", additionalProperties: str };

function model(name: string, fields: Record<string, FieldSchema>): ModelSchema {
  return { model: name, properties: new Map(Object.entries(fields)) };
}

function kind(name: string): ModelSchema {
  return model(name, {
    apiVersion: str,
    kind: str,
    metadata: { ref: "V1ObjectMeta" },
    spec: { ref: `${name}Spec` },
    status: { anything: true },
  });
}

export const crdModels: Record<string, ModelSchema> = {
  ENIConfig: kind("ENIConfig"),
  ENIConfigSpec: model("ENIConfigSpec", { subnet: str, securityGroups: strings }),
  CNINode: kind("CNINode"),
  CNINodeSpec: model("CNINodeSpec", {
    features: { type: "array", items: { ref: "CNINodeFeature" } },
    tags: stringMap,
  }),
  CNINodeFeature: model("CNINodeFeature", { name: str, value: str }),
  SecurityGroupPolicy: kind("SecurityGroupPolicy"),
  SecurityGroupPolicySpec: model("SecurityGroupPolicySpec", {
    podSelector: { ref: "V1LabelSelector" },
    serviceAccountSelector: { ref: "V1LabelSelector" },
    securityGroups: { ref: "SecurityGroupPolicyGroups" },
  }),
  SecurityGroupPolicyGroups: model("SecurityGroupPolicyGroups", { groupIds: strings }),
};

const crdDefinitionPrefix: Record<string, string> = {
  ENIConfig: "com.amazonaws.k8s.crd.v1alpha1.",
  CNINode: "aws.k8s.vpcresources.v1alpha1.",
  SecurityGroupPolicy: "aws.k8s.vpcresources.v1beta1.",
};

export function crdDefinitionName(model: string): string | null {
  for (const [root, prefix] of Object.entries(crdDefinitionPrefix)) {
    if (model.startsWith(root)) return `${prefix}${model}`;
  }
  return null;
}
