import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverage, describeCount } from "../../components/firewall/address-coverage";
import { ADMIN_CIDR_LIMIT, ADMIN_COVERAGE_LIMIT, checkAdminCidrs, SECURITY_GROUP_INBOUND_RULES } from "../../components/firewall/admin-cidrs";
import { firewallPolicy } from "../../components/firewall/policy";
import { parseCidr, type Cidr } from "../../components/config/cidr";
import { testModel } from "../helpers/model";

const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
const toInt = (ip: string) => ip.split(".").reduce((acc, b) => acc * 256 + Number(b), 0);

/** A canonical IPv4 CIDR whose network lies in [base, base + span) and whose prefix is at least `minPrefix`. */
const canonicalIn = (base: number, span: number, minPrefix: number) =>
  fc.tuple(fc.integer({ min: 0, max: span - 1 }), fc.integer({ min: minPrefix, max: 32 })).map(([offset, prefix]) => {
    const size = 2 ** (32 - prefix);
    return `${toIp(Math.floor((base + offset) / size) * size)}/${prefix}`;
  });
/** Public documentation-free space the kit never refuses by kind: 1.0.0.0 to 9.255.255.255. */
const publicV4 = canonicalIn(toInt("1.0.0.0"), 9 * 2 ** 24, 9);

const cidr = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(text);
  return parsed.cidr;
};
const problemsOf = (entries: readonly string[], network: "mainnet" | "preview" = "mainnet", vpcCidr = "10.30.0.0/16") =>
  checkAdminCidrs(entries, network, { vpcCidr }).findings;

describe("what admin ranges cover", () => {
  it("is the size of their union, overlaps counted once (against a brute-force count)", () => {
    const base = toInt("198.51.96.0");
    fc.assert(
      fc.property(fc.array(canonicalIn(base, 4096, 20), { minLength: 1, maxLength: 6 }), (list) => {
        const addresses = new Set<number>();
        for (const text of list) {
          const c = cidr(text);
          const first = toInt(c.address);
          for (let i = 0; i < 2 ** (32 - c.prefix); i++) addresses.add(first + i);
        }
        expect(coverage(list.map(cidr)).ipv4).toBe(BigInt(addresses.size));
      }),
    );
  });

  it("does not change when a range is spelt as its two halves: the judgment is the same", () => {
    fc.assert(
      fc.property(fc.array(canonicalIn(0, 2 ** 32, 1), { minLength: 1, maxLength: 4 }), fc.nat(), (list, pick) => {
        const target = cidr(list[pick % list.length]!);
        if (target.prefix === 32) return;
        const half = 2 ** (31 - target.prefix);
        const halves = [`${target.address}/${target.prefix + 1}`, `${toIp(toInt(target.address) + half)}/${target.prefix + 1}`];
        const split = [...list.filter((_, i) => i !== pick % list.length), ...halves];
        expect(coverage(split.map(cidr)).ipv4).toBe(coverage(list.map(cidr)).ipv4);
      }),
    );
  });

  it("on mainnet: refused exactly when the union passes a /16, whichever ranges make it up", () => {
    fc.assert(
      fc.property(fc.array(publicV4, { minLength: 1, maxLength: 5 }), (list) => {
        const wide = coverage(list.map(cidr)).ipv4 > ADMIN_COVERAGE_LIMIT.ipv4;
        const findings = problemsOf(list);
        expect(findings.problems.some((p) => p.setting.startsWith("stakepool:adminCidrs"))).toBe(wide);
        // On a testnet the same list is a warning, never a refusal.
        const preview = problemsOf(list, "preview");
        expect(preview.problems).toEqual([]);
        expect(preview.warnings.some((w) => /testnet/.test(w.message))).toBe(wide);
      }),
    );
    expect(problemsOf(["1.2.0.0/16"]).problems).toEqual([]);
    expect(problemsOf(["1.2.0.0/16", "1.3.0.0/32"]).problems.map((p) => p.setting)).toEqual(["stakepool:adminCidrs"]);
  });

  it("names the whole internet as such, in any spelling, and the entry at fault when one alone is too wide", () => {
    for (const list of [["0.0.0.0/0"], ["0.0.0.0/1", "128.0.0.0/1"], ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"]]) {
      const [problem] = problemsOf(list).problems;
      expect(problem!.message).toMatch(/whole internet|every IPv4 address/);
      expect(problem!.fix).toContain("'<your public IP>/32'");
    }
    expect(problemsOf(["203.0.113.7/32", "1.0.0.0/8"]).problems.map((p) => p.setting)).toEqual(["stakepool:adminCidrs[1]"]);
    expect(problemsOf(["203.0.113.7/32", "1.0.0.0/8"]).problems[0]!.message).toContain("1.0.0.0/8 covers 16,777,216 addresses");
  });

  it("gives the same list whatever the order and repetitions", () => {
    fc.assert(
      fc.property(fc.array(publicV4, { minLength: 1, maxLength: 8 }), fc.integer(), (cidrs, seed) => {
        const shuffled = [...cidrs, ...cidrs.slice(0, 2)].sort((a, b) => ((a + seed).length % 3) - ((b + seed).length % 3) || (a < b ? 1 : -1));
        const a = checkAdminCidrs(cidrs, "preprod");
        const b = checkAdminCidrs(shuffled, "preprod");
        expect(b.cidrs).toEqual(a.cidrs);
        expect(a.cidrs).toEqual([...new Set(cidrs)].sort());
      }),
    );
  });

  it("counts addresses for people", () => {
    expect(describeCount(65536n, "ipv4")).toBe("65,536 addresses");
    expect(describeCount(2n ** 32n, "ipv4")).toBe("every IPv4 address");
    expect(describeCount(2n ** 80n, "ipv6")).toBe("2^80 addresses");
  });
});

describe("admin ranges refused by what they are", () => {
  it.each([
    ["127.0.0.1/32", "loopback"],
    ["127.0.0.0/8", "loopback"],
    ["169.254.169.254/32", "link-local"],
    ["224.0.0.1/32", "multicast"],
    ["239.0.0.0/8", "multicast"],
    ["255.255.255.255/32", "broadcast"],
    ["0.0.0.0/32", "this network"],
    ["100.64.0.1/32", "carrier-grade NAT"],
    ["10.30.0.0/16", "own VPC"],
    ["10.30.1.10/32", "own VPC"],
    ["10.0.0.0/8", "own VPC"],
  ])("%s (%s), on every network", (entry, says) => {
    for (const network of ["mainnet", "preview"] as const) {
      const [problem] = problemsOf([entry], network).problems;
      expect(problem?.setting).toBe("stakepool:adminCidrs[0]");
      expect(problem?.message).toContain(says);
    }
  });

  it("IPv6, which the pool's IPv4-only network cannot route: an IPv6-only list would lock the operator out", () => {
    for (const entry of ["2001:db8::7/128", "2000::/3", "::/0", "::ffff:203.0.113.7/128"]) {
      const [problem] = problemsOf(["203.0.113.7/32", entry], "preview").problems;
      expect(problem?.setting).toBe("stakepool:adminCidrs[1]");
      expect(problem?.message).toContain("IPv4 only");
    }
    // Where hosts do route IPv6 (a later backend), IPv6 is judged like IPv4.
    const routed = (list: string[]) => checkAdminCidrs(list, "mainnet", { ipv6: true }).findings.problems;
    expect(routed(["2001:db8:1::/48"])).toEqual([]);
    expect(routed(["2001:db8::/47"])[0]!.message).toContain("2^81 addresses");
    expect(routed(["fe80::1/128"])[0]!.message).toContain("link-local");
  });

  it("more ranges than the relays' security group can hold, and the cap matches the policy's rules", () => {
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => `198.51.${Math.floor(i / 256)}.${i % 256}/32`);
    expect(problemsOf(hosts(ADMIN_CIDR_LIMIT)).problems).toEqual([]);
    const over = problemsOf(hosts(ADMIN_CIDR_LIMIT + 1)).problems;
    expect(over.map((p) => p.setting)).toEqual(["stakepool:adminCidrs"]);
    expect(over[0]!.message).toContain(`at most ${ADMIN_CIDR_LIMIT}`);
    // At the cap, with everything on (monitoring and a Mithril signer), the relays' group holds exactly the
    // quota of IPv4 inbound rules; without them, fewer.
    const full = { ...testModel("mainnet"), adminCidrs: hosts(ADMIN_CIDR_LIMIT), mithrilSigner: true };
    expect(full.monitor).toBeDefined();
    expect(firewallPolicy(full).relay.filter((r) => !r.source.cidr.includes(":"))).toHaveLength(SECURITY_GROUP_INBOUND_RULES);
    const bare = { ...full, mithrilSigner: false, monitor: undefined };
    expect(firewallPolicy(bare).relay.filter((r) => !r.source.cidr.includes(":")).length).toBeLessThan(SECURITY_GROUP_INBOUND_RULES);
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
