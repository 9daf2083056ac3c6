import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INSTANCE_TYPES } from "../../components/backends/aws/instance-types";
import { checkDataVolume, checkInstanceType } from "../../components/backends/aws/sizing";
import { DEFAULT_INSTANCE_TYPES } from "../../components/backends/aws/instance-types";
import type { NodeRole } from "../../components/model/pool";
import { HARDWARE_FLOOR, NETWORKS, NETWORK_NAMES } from "../../components/networks/networks";

const x86Types = [...INSTANCE_TYPES.values()].filter((t) => t.architecture === "x86_64");
const armTypes = [...INSTANCE_TYPES.values()].filter((t) => t.architecture === "arm64");

const request = (instanceType: string, network: (typeof NETWORK_NAMES)[number], allowBelowRecommended = false, role: NodeRole = "relay") => ({
  role,
  instanceTypeSetting: `stakepool:${role}InstanceType`,
  instanceType,
  network: NETWORKS[network],
  allowBelowRecommended,
});

describe("the pool spec on instance types", () => {
  it("never accepts less than 4 GiB RAM, on any network, even with the override", () => {
    fc.assert(
      fc.property(fc.constantFrom(...x86Types), fc.constantFrom(...NETWORK_NAMES), fc.boolean(), (type, network, override) => {
        const { findings, info } = checkInstanceType(request(type.name, network, override));
        const belowFloor = type.memoryGiB < HARDWARE_FLOOR.memoryGiB;
        if (belowFloor) {
          expect(findings.problems).toHaveLength(1);
          expect(findings.problems[0]!.message).toContain(`has ${type.memoryGiB} GiB RAM`);
          expect(findings.problems[0]!.message).toContain("at least 4 GiB");
          expect(info).toBeUndefined();
        }
      }),
    );
  });

  it("on mainnet, refuses less than 24 GiB RAM or 4 vCPUs unless the override is set; then it warns", () => {
    fc.assert(
      fc.property(fc.constantFrom(...x86Types), fc.boolean(), (type, override) => {
        const { findings } = checkInstanceType(request(type.name, "mainnet", override));
        const belowFloor = type.memoryGiB < HARDWARE_FLOOR.memoryGiB;
        const belowRecommended = type.memoryGiB < 24 || type.vcpus < 4;
        const refused = belowFloor || (belowRecommended && !override);
        expect(findings.problems.length > 0).toBe(refused);
        if (!belowFloor && belowRecommended && override) {
          expect(findings.warnings.some((w) => w.message.includes("recommended"))).toBe(true);
        }
        if (refused && !belowFloor) expect(findings.problems[0]!.fix).toContain("stakepool:allowBelowRecommended true");
      }),
    );
  });

  it("on testnets, only warns below 8 GiB or 2 vCPUs", () => {
    fc.assert(
      fc.property(fc.constantFrom(...x86Types), fc.constantFrom("preprod" as const, "preview" as const), (type, network) => {
        const { findings } = checkInstanceType(request(type.name, network));
        const belowFloor = type.memoryGiB < HARDWARE_FLOOR.memoryGiB;
        expect(findings.problems.length > 0).toBe(belowFloor);
        if (!belowFloor) expect(findings.warnings.length > 0).toBe(type.memoryGiB < 8 || type.vcpus < 2);
      }),
    );
  });

  it("refuses Graviton types: the node release is amd64", () => {
    fc.assert(
      fc.property(fc.constantFrom(...armTypes), fc.constantFrom(...NETWORK_NAMES), (type, network) => {
        const { findings } = checkInstanceType(request(type.name, network));
        expect(findings.problems[0]?.message).toContain("arm64");
      }),
    );
  });

  it("refuses an unknown type and lists the known families", () => {
    const { findings } = checkInstanceType(request("x9z.huge", "preview"));
    expect(findings.problems[0]?.setting).toBe("stakepool:relayInstanceType");
    expect(findings.problems[0]?.message).toContain("known families: t3, t3a, m5");
  });

  it("warns that burstable types suit no mainnet pool", () => {
    const { findings } = checkInstanceType(request("t3.2xlarge", "mainnet"));
    expect(findings.problems).toEqual([]);
    expect(findings.warnings.some((w) => w.message.includes("burstable"))).toBe(true);
  });

  it("the networks' own defaults pass their own checks", () => {
    for (const network of NETWORK_NAMES) {
      for (const role of ["core", "relay"] as const) {
        const type = DEFAULT_INSTANCE_TYPES[network][role];
        const { findings } = checkInstanceType(request(type, network, false, role));
        expect(findings.problems, `${network} ${role}`).toEqual([]);
        expect(findings.warnings, `${network} ${role}`).toEqual([]);
      }
      expect(checkDataVolume({ dataVolumeGiB: NETWORKS[network].defaults.dataDiskGiB, network: NETWORKS[network], allowBelowRecommended: false }).problems).toEqual([]);
    }
  });
});

describe("the pool spec on the data volume", () => {
  it("refuses less than 24 GiB anywhere, and less than 300 GiB on mainnet without the override", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.constantFrom(...NETWORK_NAMES), fc.boolean(), (size, network, override) => {
        const findings = checkDataVolume({ dataVolumeGiB: size, network: NETWORKS[network], allowBelowRecommended: override });
        const refused = size < 24 || (network === "mainnet" && size < 300 && !override);
        expect(findings.problems.length > 0).toBe(refused);
        if (refused) expect(findings.problems[0]!.setting).toBe("stakepool:dataVolumeGiB");
        const warned = !refused && size < NETWORKS[network].recommended.dataDiskGiB;
        expect(findings.warnings.length > 0).toBe(warned);
      }),
    );
  });
});
