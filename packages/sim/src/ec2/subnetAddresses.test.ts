// A subnet's address book against AWS's rules: 5 reserved addresses (first 4, last 1), all-or-nothing
// assignment, /28 prefixes only on free 16-aligned blocks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIpv4 } from "@eni-view/model";
import { seededRandom } from "../ipamd/testClock.ts";
import { labState } from "../ipamd/testCluster.ts";
import { InsufficientAddressesError, SubnetAddresses, subnetAddresses } from "./subnetAddresses.ts";

describe("SubnetAddresses", () => {
  it("starts with size - 5 available and never hands out a reserved address", () => {
    const book = new SubnetAddresses("subnet-a", "192.168.1.0/24");
    assert.equal(book.available(), 251);
    const all = book.allocate(251, seededRandom(1));
    assert.equal(new Set(all).size, 251);
    for (const reserved of ["192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3", "192.168.1.255"]) {
      assert.ok(!all.includes(reserved), reserved);
    }
    assert.equal(book.available(), 0);
  });

  it("assigns all the addresses asked for or none", () => {
    const book = new SubnetAddresses("subnet-a", "192.168.1.0/28");
    assert.equal(book.available(), 11);
    book.allocate(8, seededRandom(1));
    assert.throws(
      () => book.allocate(4, seededRandom(2)),
      (err) => err instanceof InsufficientAddressesError && err.code === "InsufficientFreeAddressesInSubnet",
    );
    assert.equal(book.available(), 3);
    const [ip] = book.allocate(1, seededRandom(3));
    book.release(ip ?? "");
    assert.equal(book.available(), 3);
  });

  it("delegates /28 prefixes only on aligned blocks that are wholly free", () => {
    // A /26 has four /28 blocks; the first holds .0-.3 and the last .63, which AWS reserves.
    const book = new SubnetAddresses("subnet-a", "10.0.0.0/26");
    const prefixes = book.allocatePrefixes(2, seededRandom(4)).sort();
    assert.deepEqual(prefixes, ["10.0.0.16/28", "10.0.0.32/28"]);
    assert.equal(book.available(), 64 - 5 - 32);
    assert.throws(
      () => book.allocatePrefixes(1, seededRandom(5)),
      (err) => err instanceof InsufficientAddressesError && err.code === "InsufficientCidrBlocks",
    );
    book.releasePrefix("10.0.0.16/28");
    assert.equal(book.available(), 64 - 5 - 16);
  });

  it("finds no prefix where single IPs fragment every block", () => {
    const book = new SubnetAddresses("subnet-a", "10.0.0.0/26");
    book.claim("10.0.0.20");
    book.claim("10.0.0.40");
    assert.equal(book.available(), 57);
    assert.throws(() => book.allocatePrefixes(1, seededRandom(6)), /contiguous free address space/);
  });

  it("takes prefixes from a prefix reservation first and nothing from an explicit one", () => {
    // A /26: blocks .16 and .32 are free; .32/28 is kept for prefixes, .16/28 explicitly.
    const book = new SubnetAddresses("subnet-a", "10.0.0.0/26", [
      { cidr: "10.0.0.32/28", type: "prefix" },
      { cidr: "10.0.0.16/28", type: "explicit" },
    ]);
    assert.deepEqual(book.allocatePrefixes(1, seededRandom(7)), ["10.0.0.32/28"]);
    assert.throws(() => book.allocatePrefixes(1, seededRandom(8)), /contiguous free address space/);
    // Single IPs only from .4-.15 and .48-.62: 27 addresses, none of them reserved.
    const ips = book.allocate(27, seededRandom(9));
    assert.ok(
      ips.every((ip) => !/^10\.0\.0\.(1[6-9]|2\d|3[01])$/.test(ip)),
      ips.join(" "),
    );
    assert.throws(() => book.allocate(1, seededRandom(10)), /not enough free addresses/);
    assert.throws(
      () => new SubnetAddresses("subnet-a", "10.0.0.0/26", [{ cidr: "10.0.1.0/28", type: "prefix" }]),
      /not inside 10\.0\.0\.0\/26/,
    );
  });

  it("refuses addresses outside the subnet, reserved or taken twice", () => {
    const book = new SubnetAddresses("subnet-a", "192.168.1.0/24");
    assert.throws(() => book.claim("192.168.2.10"), /not in subnet subnet-a/);
    assert.throws(() => book.claim("192.168.1.2"), /reserved by AWS/);
    book.claim("192.168.1.10");
    assert.throws(() => book.claim("192.168.1.10"), /already in use/);
    assert.throws(() => new SubnetAddresses("subnet-b", "192.168.1.0/30"), /from \/16 to \/28/);
  });

  it("picks addresses spread over the subnet, repeatably for a seed", () => {
    const a = new SubnetAddresses("s", "192.168.1.0/24").allocate(3, seededRandom(9));
    const b = new SubnetAddresses("s", "192.168.1.0/24").allocate(3, seededRandom(9));
    assert.deepEqual(a, b);
    assert.ok(a.every((ip) => (parseIpv4(ip) ?? 0) > (parseIpv4("192.168.1.3") ?? 0)));
  });
});

describe("subnetAddresses(state)", () => {
  it("builds the book from the ENIs already in the EC2 state", () => {
    const state = labState();
    state.enis.set("eni-1", {
      id: "eni-1",
      subnetId: "subnet-01aaaaaaaaaaaaaaa",
      vpcId: state.vpcId,
      zone: "ap-northeast-2a",
      description: "",
      status: "available",
      interfaceType: "interface",
      macAddress: "02:00:00:00:00:01",
      ownerId: state.accountId,
      requesterManaged: false,
      sourceDestCheck: true,
      groups: [],
      attachment: null,
      primaryIp: "192.168.1.10",
      privateDnsName: "ip-192-168-1-10.ap-northeast-2.compute.internal",
      secondaryIps: ["192.168.1.11", "192.168.1.12"],
      prefixes: ["192.168.1.48/28"],
      tags: {},
    });
    assert.equal(subnetAddresses(state, "subnet-01aaaaaaaaaaaaaaa").available(), 251 - 3 - 16);
    assert.equal(subnetAddresses(state, "subnet-02aaaaaaaaaaaaaaa").available(), 251);
    assert.throws(() => subnetAddresses(state, "subnet-nope"), /no subnet subnet-nope/);
  });
});
