import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAdminCidrs } from "../../components/firewall/admin-cidrs";

const canonicalV4 = fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 32 })).map(([ip, prefix]) => {
  const n = ip.split(".").reduce((acc, b) => acc * 256 + Number(b), 0);
  const size = 2 ** (32 - prefix);
  const net = Math.floor(n / size) * size;
  return `${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join(".")}/${prefix}`;
});

describe("admin CIDRs", () => {
  it("refuses the whole internet on mainnet, in either family, and only warns on testnets", () => {
    for (const everything of ["0.0.0.0/0", "::/0"]) {
      const mainnet = checkAdminCidrs(["203.0.113.7/32", everything], "mainnet");
      expect(mainnet.findings.problems).toHaveLength(1);
      expect(mainnet.findings.problems[0]!.setting).toBe("stakepool:adminCidrs[1]");
      expect(mainnet.findings.problems[0]!.fix).toContain("/32");
      const preview = checkAdminCidrs([everything], "preview");
      expect(preview.findings.problems).toEqual([]);
      expect(preview.findings.warnings[0]!.message).toContain("whole internet");
    }
  });

  it("gives the same list whatever the order and repetitions", () => {
    fc.assert(
      fc.property(fc.array(canonicalV4, { minLength: 1, maxLength: 8 }), fc.integer(), (cidrs, seed) => {
        const shuffled = [...cidrs, ...cidrs.slice(0, 2)].sort((a, b) => ((a + seed).length % 3) - ((b + seed).length % 3) || (a < b ? 1 : -1));
        const a = checkAdminCidrs(cidrs, "preprod");
        const b = checkAdminCidrs(shuffled, "preprod");
        expect(b.cidrs).toEqual(a.cidrs);
        expect(a.cidrs).toEqual([...new Set(cidrs)].sort());
      }),
    );
  });

  it("names the entry at fault and proposes a fix for malformed ones", () => {
    const { findings } = checkAdminCidrs(["203.0.113.7/32", "203.0.113.7", "nonsense", "198.51.100.9/24"], "preview");
    expect(findings.problems.map((p) => p.setting)).toEqual([
      "stakepool:adminCidrs[1]",
      "stakepool:adminCidrs[2]",
      "stakepool:adminCidrs[3]",
    ]);
    expect(findings.problems[0]!.message).toContain("did you mean 203.0.113.7/32");
    expect(findings.problems[2]!.message).toContain("198.51.100.0/24 for the whole network, or 198.51.100.9/32");
  });
});
