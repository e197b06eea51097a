// The AWS SDK v3 reads EC2's XML into the same PascalCase objects the AWS CLI prints as JSON, with Date
// times. These tests feed canned EC2 responses (XML as the EC2 Query API sends it) through the real SDK
// client, with no network, and map what it returns.
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import {
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { eniFromEc2, instanceFromEc2, instanceTypeFromEc2, subnetFromEc2 } from "./map.ts";

function clientAnswering(xml: string): EC2Client {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml.replace(/>\s+</g, "><")}`;
  return new EC2Client({
    region: "ap-northeast-2",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" },
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: 200,
          headers: { "content-type": "text/xml" },
          body: Readable.from([Buffer.from(body)]),
        },
      }),
    } as never,
  });
}

const NS = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"';

test("DescribeNetworkInterfaces through the SDK", async () => {
  const out = await clientAnswering(`
    <DescribeNetworkInterfacesResponse ${NS}><requestId>r1</requestId><networkInterfaceSet>
      <item>
        <networkInterfaceId>eni-0aa1</networkInterfaceId><subnetId>subnet-0123</subnetId><vpcId>vpc-0123</vpcId>
        <availabilityZone>ap-northeast-2a</availabilityZone><description>aws-K8S-i-0abc</description>
        <requesterManaged>false</requesterManaged><status>in-use</status><interfaceType>interface</interfaceType>
        <privateIpAddress>192.168.1.57</privateIpAddress>
        <attachment><instanceId>i-0abc</instanceId><deviceIndex>1</deviceIndex><networkCardIndex>0</networkCardIndex>
          <status>attached</status><attachTime>2026-11-20T09:05:00.000Z</attachTime></attachment>
        <tagSet>
          <item><key>node.k8s.amazonaws.com/instance_id</key><value>i-0abc</value></item>
          <item><key>node.k8s.amazonaws.com/createdAt</key><value>2026-11-20T09:04:58Z</value></item>
        </tagSet>
        <privateIpAddressesSet>
          <item><privateIpAddress>192.168.1.57</privateIpAddress><primary>true</primary></item>
          <item><privateIpAddress>192.168.1.201</privateIpAddress><primary>false</primary></item>
        </privateIpAddressesSet>
        <ipv4PrefixSet><item><ipv4Prefix>192.168.1.16/28</ipv4Prefix></item></ipv4PrefixSet>
      </item>
      <item>
        <networkInterfaceId>eni-0nlb</networkInterfaceId><subnetId>subnet-0123</subnetId><status>in-use</status>
        <interfaceType>network_load_balancer</interfaceType><requesterManaged>true</requesterManaged>
        <description>ELB net/k8s-shop-payments/1a2b</description>
      </item>
    </networkInterfaceSet></DescribeNetworkInterfacesResponse>`).send(
    new DescribeNetworkInterfacesCommand({}),
  );
  const [cni, nlb] = (out.NetworkInterfaces ?? []).map((e) => eniFromEc2(e));
  assert.deepEqual(
    [cni?.instanceId, cni?.deviceIndex, cni?.attachTime, cni?.primaryIp, cni?.secondaryIps, cni?.prefixes],
    ["i-0abc", 1, "2026-11-20T09:05:00.000Z", "192.168.1.57", ["192.168.1.201"], ["192.168.1.16/28"]],
  );
  assert.deepEqual(
    [cni?.cniManaged, cni?.tagInstanceId, cni?.createdAt],
    [true, "i-0abc", "2026-11-20T09:04:58.000Z"],
  );
  assert.deepEqual([nlb?.interfaceType, nlb?.requesterManaged, nlb?.instanceId], ["other", true, null]);
});

test("DescribeInstances, DescribeSubnets and DescribeInstanceTypes through the SDK", async () => {
  const instances = await clientAnswering(`
    <DescribeInstancesResponse ${NS}><requestId>r2</requestId><reservationSet><item>
      <reservationId>r-1</reservationId><instancesSet><item>
        <instanceId>i-0abc</instanceId><instanceType>t3.medium</instanceType>
        <instanceState><code>16</code><name>running</name></instanceState>
        <placement><availabilityZone>ap-northeast-2a</availabilityZone></placement>
        <privateIpAddress>192.168.1.57</privateIpAddress>
        <privateDnsName>ip-192-168-1-57.ap-northeast-2.compute.internal</privateDnsName>
        <subnetId>subnet-0123</subnetId><vpcId>vpc-0123</vpcId>
      </item></instancesSet>
    </item></reservationSet></DescribeInstancesResponse>`).send(new DescribeInstancesCommand({}));
  assert.deepEqual(instanceFromEc2(instances.Reservations?.[0]?.Instances?.[0]), {
    id: "i-0abc",
    instanceType: "t3.medium",
    zone: "ap-northeast-2a",
    state: "running",
    privateIp: "192.168.1.57",
    privateDnsName: "ip-192-168-1-57.ap-northeast-2.compute.internal",
    subnetId: "subnet-0123",
    vpcId: "vpc-0123",
  });

  const subnets = await clientAnswering(`
    <DescribeSubnetsResponse ${NS}><requestId>r3</requestId><subnetSet><item>
      <subnetId>subnet-0123</subnetId><vpcId>vpc-0123</vpcId><state>available</state>
      <cidrBlock>192.168.1.0/24</cidrBlock><availableIpAddressCount>233</availableIpAddressCount>
      <availabilityZone>ap-northeast-2a</availabilityZone>
      <tagSet><item><key>Name</key><value>myeks-Vpc1PublicSubnet1</value></item></tagSet>
    </item></subnetSet></DescribeSubnetsResponse>`).send(new DescribeSubnetsCommand({}));
  assert.deepEqual(subnetFromEc2(subnets.Subnets?.[0]), {
    id: "subnet-0123",
    vpcId: "vpc-0123",
    cidr: "192.168.1.0/24",
    zone: "ap-northeast-2a",
    availableIps: 233,
    name: "myeks-Vpc1PublicSubnet1",
  });

  const types = await clientAnswering(`
    <DescribeInstanceTypesResponse ${NS}><requestId>r4</requestId><instanceTypeSet><item>
      <instanceType>c5d.large</instanceType><bareMetal>false</bareMetal><hypervisor>nitro</hypervisor>
      <vCpuInfo><defaultVCpus>2</defaultVCpus></vCpuInfo>
      <networkInfo>
        <maximumNetworkInterfaces>3</maximumNetworkInterfaces><maximumNetworkCards>1</maximumNetworkCards>
        <defaultNetworkCardIndex>0</defaultNetworkCardIndex><ipv4AddressesPerInterface>10</ipv4AddressesPerInterface>
        <networkCards><item><networkCardIndex>0</networkCardIndex><maximumNetworkInterfaces>3</maximumNetworkInterfaces></item></networkCards>
      </networkInfo>
    </item></instanceTypeSet></DescribeInstanceTypesResponse>`).send(new DescribeInstanceTypesCommand({}));
  const facts = instanceTypeFromEc2(types.InstanceTypes?.[0]);
  assert.deepEqual(
    [facts.instanceType, facts.vcpus, facts.hypervisor, facts.maxEnis, facts.ipv4PerEni, facts.networkCards],
    ["c5d.large", 2, "nitro", 3, 10, 1],
  );
});
