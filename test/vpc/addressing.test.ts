import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cidrContains, ipv4ToInt, parseCidr } from "../../components/config/cidr";
import { checkVpcCidr, hostAddress, missingZonesError, planSubnets, resolveZones } from "../../components/backends/aws/addressing";
import type { PoolModel } from "../../components/model/pool";
import { readSettings } from "../../components/config/read";
import { placePool } from "../../components/program/load";
import type { AwsPlacement } from "../../components/backends/aws/placement";
import { rawConfig, type ConfigValues } from "../helpers/config";
import { testPlacement } from "../helpers/model";

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
        const subnets = planSubnets(vpc, zones).subnets;
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

  it("defaults to zones a and b, keeps the listed order and deduplicates", () => {
    expect(resolveZones([], "eu-west-1").zones).toEqual(["eu-west-1a", "eu-west-1b"]);
    expect(resolveZones(["eu-west-1c", "eu-west-1a", "eu-west-1c"], "eu-west-1").zones).toEqual(["eu-west-1c", "eu-west-1a"]);
    expect(resolveZones(["eu-west-1a"], "eu-west-1").findings.problems[0]?.message).toContain("at least 2");
  });

  it("asks for zones where accounts differ (us-west-1, ap-northeast-1), saying how to list them", () => {
    const found = resolveZones([], "us-west-1").findings.problems[0]!;
    expect(found.setting).toBe("stakepool:availabilityZones");
    expect(found.fix).toContain("aws ec2 describe-availability-zones --region us-west-1");
  });

  it("stops the deploy when the account lacks a configured zone, listing the zones it has", () => {
    expect(missingZonesError(["us-west-1a", "us-west-1b"], ["us-west-1a", "us-west-1b", "us-west-1c"], "us-west-1")).toBeUndefined();
    expect(missingZonesError(["us-west-1a", "us-west-1b"], ["us-west-1c", "us-west-1b"], "us-west-1")).toBe(
      "stakepool:availabilityZones: this AWS account has no zone us-west-1a in us-west-1; its zones are us-west-1b, us-west-1c. " +
        "Fix: pulumi config set --path 'stakepool:availabilityZones[0]' us-west-1b && pulumi config set --path 'stakepool:availabilityZones[1]' us-west-1c",
    );
  });

  it("gives each zone the /24 of its letter, and says so when the VPC is too small for a zone", () => {
    const vpc = checkVpcCidr("10.30.0.0/22").cidr!;
    expect(planSubnets(vpc, ["us-east-1b", "us-east-1d"]).subnets.map((s) => s.cidr)).toEqual(["10.30.1.0/24", "10.30.3.0/24"]);
    const tooSmall = planSubnets(vpc, ["us-east-1a", "us-east-1e"]).findings.problems[0]!;
    expect(tooSmall).toMatchObject({ setting: "stakepool:vpcCidr" });
    expect(tooSmall.message).toBe("10.30.0.0/22 holds 4 /24 subnets (zones a to d); zone us-east-1e takes the 5th");
  });
});

describe("placement over a pool's life", () => {
  const where = ({ model, placement }: { model: PoolModel; placement: AwsPlacement }) =>
    model.hosts.map((h) => `${h.name} ${placement.hosts.get(h.name)!.availabilityZone} ${placement.hosts.get(h.name)!.subnetCidr} ${h.privateIp}`);
  const zones = (...letters: string[]) => ({ relays: 3, availabilityZones: letters.map((l) => `us-east-2${l}`) });
  const problems = (overrides: ConfigValues) => {
    const read = readSettings(rawConfig("preview", overrides));
    return placePool(read.settings!, "us-east-2", "test").findings.problems;
  };

  it("moves no host and renumbers no subnet when a zone is added (a,b → a,b,c with 3 relays)", () => {
    const before = testPlacement("preview", zones("a", "b"));
    const after = testPlacement("preview", zones("a", "b", "c"));
    expect(where(after)).toEqual(where(before));
    expect(after.placement.subnets.filter((s) => s.availabilityZone !== "us-east-2c")).toEqual(before.placement.subnets);
  });

  it("moves no host when a zone that sorts first is added at the end, or an unused zone is removed", () => {
    const base = testPlacement("preview", zones("b", "c"));
    expect(where(testPlacement("preview", zones("b", "c", "a")))).toEqual(where(base));
    expect(where(testPlacement("preview", zones("b", "c")))).toEqual(where(testPlacement("preview", zones("b", "c", "a"))).filter(() => true));
  });

  it("moves exactly the host an operator pins to another zone", () => {
    const before = testPlacement("preview", zones("a", "b", "c"));
    const after = testPlacement("preview", { ...zones("a", "b", "c"), hostZones: { "relay-3": "us-east-2c" } });
    const changed = where(after).filter((line, i) => line !== where(before)[i]);
    expect(changed).toEqual(["relay-3 us-east-2c 10.30.2.0/24 10.30.2.13"]);
  });

  it("refuses a pin to an unlisted zone or an unknown host, naming the setting", () => {
    expect(problems({ ...zones("a", "b"), hostZones: { "relay-3": "us-east-2c" } }).map((p) => p.setting)).toEqual(["stakepool:hostZones.relay-3"]);
    expect(problems({ ...zones("a", "b"), hostZones: { "relay-9": "us-east-2a" } })[0]!.message).toContain("names no host of the pool");
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
