import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cidrContains, ipv4ToInt, parseCidr } from "../../components/vpc/cidr";
import { checkVpcCidr, hostAddress, planSubnets, resolveZones } from "../../components/vpc/addressing";

const vpcArb = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 22 }))
  .map(([second, prefix]) => {
    const base = ipv4ToInt(`10.${second}.0.0`);
    const size = 2 ** (32 - prefix);
    const network = Math.floor(base / size) * size;
    return `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join(".")}/${prefix}`;
  });

describe("the address plan", () => {
  it("gives every host a unique, usable address inside its zone's subnet and the VPC", () => {
    fc.assert(
      fc.property(vpcArb, fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 20 }), (vpcText, zoneCount, relays) => {
        const vpc = checkVpcCidr(vpcText).cidr!;
        const zones = resolveZones(["a", "b", "c", "d"].slice(0, zoneCount).map((l) => `us-east-2${l}`), "us-east-2").zones;
        const subnets = planSubnets(vpc, zones);
        const addresses = new Set<string>();
        for (let n = 0; n <= relays; n++) {
          const subnet = subnets[n === 0 ? 0 : (n - 1) % subnets.length]!;
          const ip = hostAddress(subnet, n);
          expect(cidrContains(subnet.cidr, ip)).toBe(true);
          expect(cidrContains(vpc.text, ip)).toBe(true);
          const offset = ipv4ToInt(ip) - ipv4ToInt(subnet.cidr.split("/")[0]!);
          expect(offset).toBeGreaterThan(3); // AWS reserves .0 to .3
          expect(offset).toBeLessThan(255); // and the broadcast address
          addresses.add(ip);
        }
        expect(addresses.size).toBe(relays + 1);
        const starts = subnets.map((s) => ipv4ToInt(s.cidr.split("/")[0]!));
        expect(new Set(starts).size).toBe(subnets.length);
      }),
    );
  });

  it("refuses public, IPv6, too large and too small VPC ranges", () => {
    for (const bad of ["8.8.0.0/16", "2001:db8::/56", "10.0.0.0/8", "10.0.0.0/24", "10.0.0.1/16", "10.0"]) {
      expect(checkVpcCidr(bad).findings.problems[0]?.setting, bad).toBe("stakepool:vpcCidr");
    }
  });

  it("defaults to zones a and b, sorts and deduplicates a configured list", () => {
    expect(resolveZones([], "eu-west-1").zones).toEqual(["eu-west-1a", "eu-west-1b"]);
    expect(resolveZones(["eu-west-1c", "eu-west-1a", "eu-west-1c"], "eu-west-1").zones).toEqual(["eu-west-1a", "eu-west-1c"]);
    expect(resolveZones(["eu-west-1a"], "eu-west-1").findings.problems[0]?.message).toContain("at least 2");
  });
});

describe("CIDR parsing", () => {
  it("suggests the network or the host when host bits are set", () => {
    const parsed = parseCidr("203.0.113.7/24");
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.suggestion).toBe("203.0.113.0/24 for the whole network, or 203.0.113.7/32 for the one host");
  });

  it("round-trips every canonical IPv4 CIDR", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
        const size = 2 ** (32 - prefix);
        const network = Math.floor(ipv4ToInt(ip) / size) * size;
        const text = `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join(".")}/${prefix}`;
        const parsed = parseCidr(text);
        expect(parsed.ok && parsed.cidr.text).toBe(text);
      }),
    );
  });
});
