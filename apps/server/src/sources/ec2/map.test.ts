import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  cidrReservationFromEc2,
  Ec2MappingError,
  eniFromEc2,
  instanceFromEc2,
  instanceTypeFromEc2,
  subnetFromEc2,
} from "./map.ts";

// `aws ec2 describe-network-interfaces --output json` item (shape per the EC2 API; values invented).
const cliEni = {
  Attachment: {
    AttachTime: "2025-05-01T10:02:05+00:00",
    AttachmentId: "eni-attach-0f1e",
    DeleteOnTermination: true,
    DeviceIndex: 1,
    NetworkCardIndex: 0,
    InstanceId: "i-0abc",
    InstanceOwnerId: "111122223333",
    Status: "attached",
  },
  AvailabilityZone: "eu-west-1c",
  Description: "aws-K8S-i-0abc",
  Groups: [{ GroupName: "eks-cluster-sg-demo", GroupId: "sg-0123" }],
  InterfaceType: "interface",
  NetworkInterfaceId: "eni-0aa1",
  OwnerId: "111122223333",
  PrivateIpAddress: "10.0.1.57",
  PrivateIpAddresses: [
    { Primary: true, PrivateIpAddress: "10.0.1.57" },
    { Primary: false, PrivateIpAddress: "10.0.1.201" },
  ],
  Ipv4Prefixes: [{ Ipv4Prefix: "10.0.1.16/28" }],
  RequesterManaged: false,
  Status: "in-use",
  SubnetId: "subnet-0123",
  VpcId: "vpc-0123",
  TagSet: [
    { Key: "node.k8s.amazonaws.com/instance_id", Value: "i-0abc" },
    { Key: "node.k8s.amazonaws.com/createdAt", Value: "2025-05-01T10:02:03Z" },
    { Key: "cluster.k8s.amazonaws.com/name", Value: "demo" },
  ],
};

describe("eniFromEc2", () => {
  test("a CNI ENI as the AWS CLI prints it", () => {
    assert.deepEqual(eniFromEc2(cliEni), {
      id: "eni-0aa1",
      subnetId: "subnet-0123",
      vpcId: "vpc-0123",
      zone: "eu-west-1c",
      status: "in-use",
      interfaceType: "interface",
      description: "aws-K8S-i-0abc",
      instanceId: "i-0abc",
      deviceIndex: 1,
      networkCardIndex: 0,
      attachmentStatus: "attached",
      attachTime: "2025-05-01T10:02:05.000Z",
      primaryIp: "10.0.1.57",
      secondaryIps: ["10.0.1.201"],
      prefixes: ["10.0.1.16/28"],
      noManage: false,
      cniManaged: true,
      requesterManaged: false,
      createdAt: "2025-05-01T10:02:03.000Z",
      tagInstanceId: "i-0abc",
      trunkEniId: null,
    });
  });

  test("SDK v3 shape (Date attach time); no_manage tag; AWS-managed types become other", () => {
    const eni = eniFromEc2({
      ...cliEni,
      Attachment: { ...cliEni.Attachment, AttachTime: new Date("2025-05-01T10:02:05Z") },
      Description: "",
      TagSet: [{ Key: "node.k8s.amazonaws.com/no_manage", Value: "true" }],
    });
    assert.equal(eni.attachTime, "2025-05-01T10:02:05.000Z");
    assert.equal(eni.noManage, true);
    assert.equal(eni.cniManaged, false);
    assert.equal(eniFromEc2({ ...cliEni, InterfaceType: "network_load_balancer" }).interfaceType, "other");
    assert.equal(eniFromEc2({ ...cliEni, InterfaceType: "trunk" }).interfaceType, "trunk");
  });

  test("a detached ENI has no attachment; a branch ENI names its trunk", () => {
    const { Attachment: _a, ...detached } = cliEni;
    const eni = eniFromEc2({
      ...detached,
      Status: "available",
      InterfaceType: "branch",
      TagSet: [{ Key: "vpcresources.k8s.aws/trunk-eni-id", Value: "eni-trunk" }],
    });
    assert.deepEqual(
      [eni.instanceId, eni.deviceIndex, eni.status, eni.trunkEniId],
      [null, null, "available", "eni-trunk"],
    );
  });

  test("names what is missing", () => {
    assert.throws(
      () => eniFromEc2({ NetworkInterfaceId: "eni-1" }, "NetworkInterfaces[3]"),
      (err: unknown) =>
        err instanceof Ec2MappingError &&
        err.message === "NetworkInterfaces[3].SubnetId: missing (got undefined)",
    );
    assert.throws(() => eniFromEc2("eni-1"), /expected an object/);
  });
});

test("instanceFromEc2", () => {
  assert.deepEqual(
    instanceFromEc2({
      InstanceId: "i-0abc",
      InstanceType: "t3.medium",
      Placement: { AvailabilityZone: "ap-northeast-2a" },
      State: { Code: 16, Name: "running" },
      PrivateIpAddress: "192.168.1.51",
      PrivateDnsName: "ip-192-168-1-51.ap-northeast-2.compute.internal",
      SubnetId: "subnet-1",
      VpcId: "vpc-1",
      LaunchTime: new Date(),
      Tags: [{ Key: "Name", Value: "secret-ish" }],
    }),
    {
      id: "i-0abc",
      instanceType: "t3.medium",
      zone: "ap-northeast-2a",
      state: "running",
      privateIp: "192.168.1.51",
      privateDnsName: "ip-192-168-1-51.ap-northeast-2.compute.internal",
      subnetId: "subnet-1",
      vpcId: "vpc-1",
    },
  );
});

test("subnetFromEc2", () => {
  const s = subnetFromEc2({
    SubnetId: "subnet-1",
    VpcId: "vpc-1",
    CidrBlock: "192.168.1.0/24",
    AvailabilityZone: "ap-northeast-2a",
    AvailableIpAddressCount: 233,
    Tags: [{ Key: "Name", Value: "myeks-Vpc1PublicSubnet1" }],
  });
  assert.deepEqual([s.cidr, s.availableIps, s.name], ["192.168.1.0/24", 233, "myeks-Vpc1PublicSubnet1"]);
  assert.throws(
    () => subnetFromEc2({ SubnetId: "s", CidrBlock: "10.0.0.0/24" }),
    /AvailableIpAddressCount: missing/,
  );
});

describe("instanceTypeFromEc2", () => {
  test("uses the default network card's ENIs (p5.48xlarge: 32 cards x 2)", () => {
    const facts = instanceTypeFromEc2({
      InstanceType: "p5.48xlarge",
      Hypervisor: "nitro",
      BareMetal: false,
      VCpuInfo: { DefaultVCpus: 192 },
      NetworkInfo: {
        MaximumNetworkInterfaces: 64,
        MaximumNetworkCards: 32,
        DefaultNetworkCardIndex: 0,
        Ipv4AddressesPerInterface: 50,
        NetworkCards: Array.from({ length: 32 }, (_, i) => ({
          NetworkCardIndex: i,
          MaximumNetworkInterfaces: 2,
        })),
      },
    });
    assert.deepEqual(
      [facts.maxEnis, facts.ipv4PerEni, facts.vcpus, facts.networkCards, facts.hypervisor],
      [2, 50, 192, 32, "nitro"],
    );
  });

  test("a single-card type", () => {
    const facts = instanceTypeFromEc2({
      InstanceType: "t3.medium",
      Hypervisor: "nitro",
      VCpuInfo: { DefaultVCpus: 2 },
      NetworkInfo: { MaximumNetworkInterfaces: 3, Ipv4AddressesPerInterface: 6 },
    });
    assert.deepEqual([facts.maxEnis, facts.ipv4PerEni, facts.defaultNetworkCardIndex], [3, 6, 0]);
    assert.throws(() => instanceTypeFromEc2({ InstanceType: "x" }), /NetworkInfo: expected an object/);
  });
});

describe("subnet space inputs", () => {
  test("an AWS service's ENI keeps its InterfaceType and RequesterId; the CNI's own types need neither", () => {
    const nlb = eniFromEc2({
      ...cliEni,
      Attachment: undefined,
      InterfaceType: "network_load_balancer",
      RequesterId: "amazon-elb",
      Description: "ELB net/web/5f2c",
      TagSet: [],
    });
    assert.deepEqual(
      [nlb.interfaceType, nlb.typeName, nlb.requesterId],
      ["other", "network_load_balancer", "amazon-elb"],
    );
    const cni = eniFromEc2(cliEni);
    assert.equal(cni.typeName, undefined);
    assert.equal(cni.requesterId, undefined);
  });

  test("the CNI's subnet discovery tag, and CIDR reservations with a bad type refused by field", () => {
    const subnet = subnetFromEc2({
      SubnetId: "subnet-1",
      CidrBlock: "10.0.0.0/24",
      AvailableIpAddressCount: 200,
      Tags: [{ Key: "kubernetes.io/role/cni", Value: "1" }],
    });
    assert.equal(subnet.cniDiscovery, true);
    const doc = {
      SubnetCidrReservationId: "scr-1",
      SubnetId: "subnet-1",
      Cidr: "10.0.0.64/26",
      ReservationType: "prefix",
    };
    assert.deepEqual(cidrReservationFromEc2(doc), {
      id: "scr-1",
      subnetId: "subnet-1",
      cidr: "10.0.0.64/26",
      type: "prefix",
      description: "",
    });
    assert.throws(
      () => cidrReservationFromEc2({ ...doc, ReservationType: "other" }),
      /SubnetCidrReservation.ReservationType: expected prefix or explicit, got "other"/,
    );
  });
});
