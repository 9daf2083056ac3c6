import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseExtraPeers } from "../../components/topology/extra-peers";

function problemsOf(values: string[]) {
  return parseExtraPeers(values).findings.problems;
}

/** One wrong entry at position 1 (after a good one): exactly one problem, on stakepool:extraPeers[1]. */
function expectRefused(value: string, fragment: RegExp): void {
  const result = parseExtraPeers(["relay.example.org:3001", value]);
  expect(result.findings.problems, value).toHaveLength(1);
  const [problem] = result.findings.problems;
  expect(problem!.setting).toBe("stakepool:extraPeers[1]");
  expect(problem!.message).toMatch(fragment);
  expect(problem!.fix).toMatch(/^pulumi config set --path 'stakepool:extraPeers\[1\]' \S+/);
  // The corrected example in the fix is itself accepted.
  const example = problem!.fix.replace(/^pulumi config set --path '[^']+' /, "").replace(/^'(.*)'$/, "$1");
  expect(parseExtraPeers([example]).findings.problems, problem!.fix).toEqual([]);
  expect(result.peers).toEqual([{ address: "relay.example.org", port: 3001, index: 0 }]);
}

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
/** Public suffixes of the list's ICANN section, one to three labels deep. */
const PUBLIC_SUFFIXES = ["org", "com", "net", "io", "de", "co.uk", "com.au", "xn--fiqs8s", "museum", "k12.ca.us"];
const dnsName = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.constantFrom(...PUBLIC_SUFFIXES))
  .map(([labels, suffix]) => [...labels, suffix].join("."));

describe("extra peers", () => {
  it("accept DNS names, IPv4 and bracketed IPv6, canonical, sorted and deduplicated", () => {
    const result = parseExtraPeers([
      "Relay.Example.ORG.:3001",
      "52.14.1.2:6000",
      "[2a01:4f8:0:0::1]:3001",
      "relay.example.org:3001",
      "[::ffff:52.14.1.2]:6000",
      "a.example.org:3001",
    ]);
    expect(result.findings.problems).toEqual([]);
    expect(result.peers).toEqual([
      { address: "2a01:4f8::1", port: 3001, index: 2 },
      { address: "52.14.1.2", port: 6000, index: 1 },
      { address: "a.example.org", port: 3001, index: 5 },
      { address: "relay.example.org", port: 3001, index: 0 },
    ]);
    expect(result.findings.warnings.map((w) => w.setting)).toEqual(["stakepool:extraPeers[3]", "stakepool:extraPeers[4]"]);
    expect(result.findings.warnings[0]!.message).toMatch(/repeats stakepool:extraPeers\[0\]/);
  });

  it("allow private addresses (a peer over a VPN is a real choice)", () => {
    expect(problemsOf(["10.1.2.3:3001", "[fd00::1]:3001", "100.64.0.1:3001"])).toEqual([]);
  });

  it("require a port in range", () => {
    expectRefused("relay.example.org", /no port/);
    expectRefused("relay.example.org:", /port "" is not a number/);
    expectRefused("relay.example.org:abc", /not a number/);
    expectRefused("relay.example.org:0", /outside 1-65535/);
    expectRefused("relay.example.org:65536", /outside 1-65535/);
    expectRefused("[2a01:4f8::1]", /no port/);
    expectRefused("[2a01:4f8::1]3001", /expected ":port"/);
  });

  it("require brackets around IPv6", () => {
    expectRefused("2a01:4f8::1:3001", /IPv6 address without brackets/);
    expectRefused("[2a01:4f8::1:3001", /never closes/);
    expectRefused("[2a01:4f8::zz]:3001", /not a valid IPv6 address/);
  });

  it("refuse addresses that name no other node", () => {
    expectRefused("0.0.0.0:3001", /no address at all/);
    expectRefused("[::]:3001", /no address at all/);
    expectRefused("127.0.0.1:3001", /loopback/);
    expectRefused("127.8.9.1:3001", /loopback/);
    expectRefused("[::1]:3001", /loopback/);
    expectRefused("localhost:3001", /loopback/);
    expectRefused("node.localhost:3001", /loopback/);
    expectRefused("255.255.255.255:3001", /broadcast/);
    expectRefused("224.0.0.1:3001", /multicast/);
    expectRefused("[ff02::1]:3001", /multicast/);
    expectRefused("169.254.169.254:3001", /link-local/);
    expectRefused("[fe80::1]:3001", /link-local/);
    expectRefused("192.0.2.10:3001", /reserved/);
    expectRefused("[2001:db8::1]:3001", /reserved/);
  });

  it("refuse IP addresses in any spelling but the canonical one", () => {
    for (const host of ["0x7f000001", "0x7f.0x0.0x0.0x1", "127.1", "010.0.0.1", "1.2.3.04", "2130706433", "52.14.1.2."]) {
      expectRefused(`${host}:3001`, /neither an IP address \(write four decimal parts, no leading zeros\) nor a DNS name/);
    }
    expectRefused("[fe80::1%eth0]:3001", /zone or an embedded IPv4/);
    expectRefused("[::52.14.1.2]:3001", /zone or an embedded IPv4/);
    expectRefused("[64:ff9b::52.14.1.2]:3001", /zone or an embedded IPv4/);
  });

  it("refuse names the public DNS does not answer, and say to pin such a peer by its address", () => {
    const cases: [string, RegExp][] = [
      ["instance-data", /single label/],
      ["relay", /single label/],
      ["instance-data.ec2.internal", /\.internal, which is not a public top-level domain/],
      ["relay.vpn.internal", /\.internal, which is not a public top-level domain/],
      ["printer.local", /special-use name \(\.local\)/],
      ["router.home.arpa", /special-use name \(\.home\.arpa\)/],
      ["nas.lan", /\.lan, which is not a public top-level domain/],
      ["relay.corp", /\.corp, which is not/],
      ["relay.test", /special-use/],
      ["relay.onion", /special-use/],
      ["1.0.0.127.in-addr.arpa", /under \.arpa/],
      ["co.uk", /itself a public suffix/],
    ];
    for (const [host, fragment] of cases) {
      expectRefused(`${host}:3001`, fragment);
      expect(parseExtraPeers([`${host}:3001`]).findings.problems[0]!.message).toMatch(/pin a peer you reach privately by its IP address/);
    }
  });

  it("accept the documentation names (RFC 6761 6.5: they resolve like any name)", () => {
    expect(problemsOf(["relay.example.com:3001", "relay.example.net:3001", "relay.example.org:3001"])).toEqual([]);
  });

  it("refuse hosts that are neither IP nor RFC 1123 name", () => {
    expectRefused(":3001", /empty/);
    expectRefused("10.1:3001", /neither an IP address/);
    expectRefused("300.1.2.3:3001", /neither an IP address/);
    expectRefused("under_score.example.org:3001", /not a DNS host name/);
    expectRefused("-lead.example.org:3001", /not a DNS host name/);
    expectRefused("a..example.org:3001", /empty label/);
    expectRefused(`${"a".repeat(64)}.example.org:3001`, /label longer than 63/);
    expectRefused(`${Array.from({ length: 4 }, () => "a".repeat(63)).join(".")}.org:3001`, /longer than 253/);
    expectRefused("   ", /empty/);
  });

  it("accept the longest legal name and label", () => {
    const name = `${Array.from({ length: 3 }, () => "a".repeat(63)).join(".")}.${"b".repeat(57)}.org`;
    expect(name).toHaveLength(253);
    expect(problemsOf([`${name}:3001`])).toEqual([]);
  });

  it("accept every RFC 1123 name with any port, whatever the case", () => {
    fc.assert(
      fc.property(dnsName, fc.integer({ min: 1, max: 65535 }), fc.boolean(), (name, port, upper) => {
        const result = parseExtraPeers([`${upper ? name.toUpperCase() : name}:${port}`]);
        expect(result.findings.problems).toEqual([]);
        expect(result.peers).toEqual([{ address: name, port, index: 0 }]);
      }),
    );
  });

  it("never throw, and give one problem per wrong entry, named by its index", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 8 }), (values) => {
        const { peers, findings } = parseExtraPeers(values);
        const wrong = new Set(findings.problems.map((p) => p.setting));
        expect(wrong.size).toBe(findings.problems.length);
        for (const p of findings.problems) {
          const index = Number(/\[(\d+)\]$/.exec(p.setting)![1]);
          expect(index).toBeLessThan(values.length);
          expect(peers.some((peer) => peer.index === index)).toBe(false);
        }
        for (const peer of peers) {
          expect(peer.port).toBeGreaterThanOrEqual(1);
          expect(peer.port).toBeLessThanOrEqual(65535);
          expect(["0.0.0.0", "::"]).not.toContain(peer.address);
        }
        const sorted = [...peers].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.port - b.port));
        expect(peers).toEqual(sorted);
      }),
    );
  });

  it("give the same peers whatever order the setting lists them in", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(dnsName, fc.integer({ min: 1, max: 65535 })), { maxLength: 6, selector: ([n, p]) => `${n}:${p}` }), (entries) => {
        const values = entries.map(([n, p]) => `${n}:${p}`);
        const strip = (list: readonly { address: string; port: number }[]) => list.map(({ address, port }) => ({ address, port }));
        expect(strip(parseExtraPeers([...values].reverse()).peers)).toEqual(strip(parseExtraPeers(values).peers));
      }),
    );
  });
});
