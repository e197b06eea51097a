// Instance-type facts for DescribeInstanceTypes and the IPAMDs' limits: the model's built-in table.
import { allInstanceTypes, type InstanceTypeFacts, lookupInstanceType } from "@eni-view/model";

export function instanceFacts(instanceType: string): InstanceTypeFacts | undefined {
  return lookupInstanceType(instanceType);
}

export function everyInstanceType(): InstanceTypeFacts[] {
  return allInstanceTypes();
}
