/**
 * Whatever the pool (number of relays, admin networks of either family, connection limit), every
 * rendered ruleset is one the kernel accepts: checked with `nft -c` (which loads nothing) inside a
 * namespace of its own.
 */
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderHostRuleset, renderNftables } from "../../components/firewall/nftables";
import { NETNS_REQUIREMENTS, NetnsLab } from "../helpers/netns";
import { describeWith } from "../helpers/requirements";
import { poolModel } from "./model";

/** A canonical IPv4 CIDR (no host bits), any prefix. */
const ipv4Cidr = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, prefix]) => {
  const n = ip.split(".").reduce((acc, b) => acc * 256 + Number(b), 0);
  const size = 2 ** (32 - prefix);
  const net = Math.floor(n / size) * size;
  return `${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join(".")}/${prefix}`;
});
const ipv6Cidr = fc.constantFrom("2001:db8::/32", "2001:db8:a::/48", "2001:db8:a:b::/64", "2001:db8::7/128", "::/0");

const lab = new NetnsLab("syntax");

describeWith(NETNS_REQUIREMENTS, "rendered rulesets under the kernel's check", () => {
  beforeAll(() => lab.start([{ name: "checker", ipv4: "192.0.2.1" }]));
  afterAll(() => lab.destroy());

  async function kernelAccepts(ruleset: string): Promise<string> {
    const result = await lab.exec("checker", ["nft", "-c", "-f", "-"], ruleset);
    return result.code === 0 ? "accepted" : result.stderr;
  }

  it("accepts every role's ruleset without /etc/protocols, as on a minimal image (the e2e guest has none)", async () => {
    // nft resolves protocol names it does not know itself through /etc/protocols (netbase); hidden here in
    // a private mount namespace of the check alone.
    const model = poolModel({ relays: 2, adminCidrs: ["203.0.113.0/28", "2001:db8:a::/48"] });
    for (const host of model.hosts) {
      const result = await lab.exec("checker", ["unshare", "-m", "--propagation", "private", "sh", "-c", "mount --bind /dev/null /etc/protocols && nft -c -f -"], renderNftables(model, host));
      expect(result.code === 0 ? "accepted" : result.stderr, host.name).toBe("accepted");
    }
  });

  it("accepts every host's ruleset for any pool", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.oneof(ipv4Cidr, ipv6Cidr), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 512 }),
        async (relays, adminCidrs, limit) => {
          const model = poolModel({ relays, adminCidrs });
          for (const h of [model.core, model.relays[relays - 1]!]) {
            expect(await kernelAccepts(renderNftables(model, h, { relayConnectionLimit: limit }))).toBe("accepted");
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("accepts the per-/64 limit on a port open to the whole IPv6 internet", async () => {
    const ruleset = renderHostRuleset({
      hostname: "h",
      role: "relay",
      origin: "a test",
      connectionLimit: 10,
      rules: [
        { service: "node", port: 3001, source: { kind: "anywhere", cidr: "0.0.0.0/0" }, key: "a", description: "node" },
        { service: "node", port: 3001, source: { kind: "anywhere", cidr: "::/0" }, key: "b", description: "node" },
      ],
    });
    expect(await kernelAccepts(ruleset)).toBe("accepted");
  });

  it("is refused when broken (the check is real)", async () => {
    const model = poolModel();
    const broken = renderNftables(model, model.core).replace("policy drop;\n", "policy drop;\n\t\tjump nowhere\n");
    expect(await kernelAccepts(broken)).toMatch(/nowhere/);
  });
});
