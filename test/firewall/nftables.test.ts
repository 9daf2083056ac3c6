/**
 * The rendered rulesets, read as text: what each host admits, the replacement idiom, the connection
 * limit and its validation. The real kernel's view of the same rulesets is in the netns tests.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  connectionLimitProblem,
  DEFAULT_RELAY_CONNECTION_LIMIT,
  renderHostRuleset,
  renderNftables,
} from "../../components/firewall/nftables";
import { NFTABLES_CONF_PATH, nftablesDelivery, SSH_GUARD_SCRIPT } from "../../components/firewall/nftables-delivery";
import { host, poolModel } from "./model";

/** Statements of the input chain, without their comments. */
function inputStatements(ruleset: string): string[] {
  const start = ruleset.indexOf("\tchain input {");
  const end = ruleset.indexOf("\t}", start);
  return ruleset
    .slice(start, end)
    .split("\n")
    .slice(2)
    .map((l) => l.trim().replace(/ comment "[^"]*"$/, ""))
    .filter((l) => l !== "");
}

/** `<source match> -> <port>` for every rule that accepts a TCP port. */
function tcpAccepts(ruleset: string): string[] {
  return inputStatements(ruleset)
    .map((s) => /^(.*) tcp dport (\d+) accept$/.exec(s))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]} -> ${m[2]}`);
}

describe("the core's ruleset", () => {
  it("admits the node and SSH from each of its relays' private addresses, the scrapes from the monitoring host, and nothing else", () => {
    const m = poolModel({ relays: 3, adminCidrs: ["203.0.113.0/28", "2001:db8:a::/48"] });
    const [r1, r2, r3] = m.relays.map((r) => r.privateIp);
    const monitor = m.monitor!.privateIp;
    expect(tcpAccepts(renderNftables(m, m.core)).sort()).toEqual(
      [
        `ip saddr ${r1}/32 -> 3001`,
        `ip saddr ${r2}/32 -> 3001`,
        `ip saddr ${r3}/32 -> 3001`,
        `ip saddr ${r1}/32 -> 22`,
        `ip saddr ${r2}/32 -> 22`,
        `ip saddr ${r3}/32 -> 22`,
        `ip saddr ${monitor}/32 -> 12798`,
        `ip saddr ${monitor}/32 -> 9100`,
      ].sort(),
    );
  });

  it("never names an admin network, the whole internet, or a connection limit, whatever the pool", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.subarray(["203.0.113.0/28", "198.51.100.7/32", "2001:db8:a::/48"], { minLength: 1 }), (relays, adminCidrs) => {
        const m = poolModel({ relays, adminCidrs });
        const core = renderNftables(m, m.core);
        for (const cidr of adminCidrs) expect(core).not.toContain(cidr);
        expect(core).not.toMatch(/meta nfproto ipv[46] tcp/);
        expect(core).not.toContain("ct count");
        expect(tcpAccepts(core)).toHaveLength(2 * relays + 2);
      }),
      { numRuns: 40 },
    );
  });
});

describe("a relay's ruleset", () => {
  const m = poolModel({ relays: 2, adminCidrs: ["203.0.113.0/28", "2001:db8:a::/48"] });
  const relay = renderNftables(m, host(m, "relay-2"));

  it("admits the node from the whole IPv4 internet and SSH from the admin networks, kept in one set per family", () => {
    const monitor = m.monitor!.privateIp;
    expect(tcpAccepts(relay)).toEqual([
      `ip saddr ${monitor}/32 -> 12798`,
      `ip saddr ${monitor}/32 -> 9100`,
      "meta nfproto ipv4 -> 3001",
      "ip saddr @admin_ipv4 -> 22",
      "ip6 saddr @admin_ipv6 -> 22",
    ]);
    expect(relay).toContain("\tset admin_ipv4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t\telements = { 203.0.113.0/28 }\n\t}");
    expect(relay).toContain("\t\telements = { 2001:db8:a::/48 }");
  });

  it("resets the 11th concurrent connection from one address by default, before accepting the node port", () => {
    expect(DEFAULT_RELAY_CONNECTION_LIMIT).toBe(10);
    const statements = inputStatements(relay);
    const limit = statements.indexOf(
      "meta nfproto ipv4 tcp dport 3001 ct state new add @node_sources_ipv4 { ip saddr ct count over 10 } reject with tcp reset",
    );
    expect(limit).toBeGreaterThan(-1);
    expect(limit).toBeLessThan(statements.indexOf("meta nfproto ipv4 tcp dport 3001 accept"));
    expect(relay).toMatch(/set node_sources_ipv4 \{\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic\n\t\}/);
  });

  it("takes the limit from the options", () => {
    expect(renderNftables(m, m.relays[0]!, { relayConnectionLimit: 3 })).toContain("{ ip saddr ct count over 3 } reject with tcp reset");
  });
});

describe("every host's ruleset", () => {
  const m = poolModel({ relays: 2, adminCidrs: ["203.0.113.0/28", "2001:db8:a::/48"] });

  it("drops what it does not admit, answers what a healthy host must, and routes nothing", () => {
    for (const h of m.hosts) {
      const ruleset = renderNftables(m, h);
      expect(ruleset).toContain("\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n");
      expect(ruleset).toContain("\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t}");
      // A relay's outbound is open (it dials peers on any port); the core's goes where it is needed (egress.ts).
      const output = h.role === "core" ? "policy drop;\n\t\toif \"lo\" accept" : "policy accept;\n\t}";
      expect(ruleset).toContain(`\tchain output {\n\t\ttype filter hook output priority filter; ${output}`);
      // The monitoring host's scrapes are admitted right before the metrics port's drop (the pool hosts').
      const statements = inputStatements(ruleset);
      const drop = statements.indexOf("tcp dport 12798 drop");
      const scrapes = h.role === "monitor" ? [] : [`ip saddr ${m.monitor!.privateIp}/32 tcp dport 12798 accept`, `ip saddr ${m.monitor!.privateIp}/32 tcp dport 9100 accept`];
      expect(statements.slice(drop - scrapes.length, drop)).toEqual(scrapes);
      expect(statements.filter((x) => !scrapes.includes(x)).slice(0, 13)).toEqual([
        'iif "lo" accept',
        "icmp type echo-request update @echo_sources_ipv4 { ip saddr limit rate 5/second burst 10 packets } accept",
        "icmp type echo-request drop",
        "icmpv6 type echo-request update @echo_sources_ipv6 { ip6 saddr & ffff:ffff:ffff:ffff:: limit rate 5/second burst 10 packets } accept",
        "icmpv6 type echo-request drop",
        "ct state established,related accept",
        "ct state invalid drop",
        "tcp dport 12798 drop",
        "icmp type { destination-unreachable, time-exceeded, parameter-problem } accept",
        "icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } accept",
        "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } ip6 hoplimit 255 accept",
        "icmpv6 type mld-listener-query ip6 saddr fe80::/10 accept",
        "ip6 saddr fe80::/10 udp sport 547 udp dport 546 accept",
      ]);
      for (const [name, type] of [["echo_sources_ipv4", "ipv4_addr"], ["echo_sources_ipv6", "ipv6_addr"]]) {
        expect(ruleset).toContain(`\tset ${name} {\n\t\ttype ${type}\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 1m\n\t}`);
      }
    }
  });

  it("accepts the metrics ports from the monitoring host alone, and from nobody in a pool without one", () => {
    for (const h of m.hosts) {
      const accepts = tcpAccepts(renderNftables(m, h)).filter((a) => a.endsWith("-> 12798") || a.endsWith("-> 9100"));
      expect(accepts, h.name).toEqual(h.role === "monitor" ? [] : [`ip saddr ${m.monitor!.privateIp}/32 -> 12798`, `ip saddr ${m.monitor!.privateIp}/32 -> 9100`]);
    }
    const bare = poolModel({ relays: 2, monitoring: false });
    expect(bare.monitor).toBeUndefined();
    for (const h of bare.hosts) expect(tcpAccepts(renderNftables(bare, h)).filter((a) => a.endsWith("-> 12798") || a.endsWith("-> 9100"))).toEqual([]);
  });

  it("replaces its own table and only it, in one file with no includes and no interface but loopback", () => {
    for (const h of m.hosts) {
      const ruleset = renderNftables(m, h);
      const statements = ruleset.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
      expect(statements.slice(0, 3)).toEqual(["table inet stakepool", "delete table inet stakepool", "table inet stakepool {"]);
      expect(statements.filter((l) => /\btable\b/.test(l))).toHaveLength(3);
      expect(ruleset).not.toMatch(/flush ruleset|include|iifname|oifname/);
      expect(ruleset.match(/\biif "?[\w.-]+"?/g)).toEqual(['iif "lo"']);
      expect(ruleset.match(/\boif "?[\w.-]+"?/g)).toEqual(h.role === "core" ? ['oif "lo"'] : null);
    }
  });

  it("says which host and role it is for, and that the kit generated it, with nothing that changes between runs", () => {
    const relay = renderNftables(m, m.relays[0]!);
    expect(relay.split("\n").slice(0, 3)).toEqual([
      "#!/usr/sbin/nft -f",
      "# Host firewall of fw-relay-1 (role: relay), stake pool stack fw on preview.",
      "# Generated by the stakepool kit from its pool model: do not edit, the next delivery replaces it.",
    ]);
    expect(renderNftables(m, m.core)).toContain("# Host firewall of fw-core (role: core)");
    const again = poolModel({ relays: 2, adminCidrs: ["2001:db8:a::/48", "203.0.113.0/28"] });
    for (const h of m.hosts) expect(renderNftables(again, host(again, h.name))).toBe(renderNftables(m, h));
    expect(relay.endsWith("}\n")).toBe(true);
  });
});

describe("the per-source connection limit", () => {
  it("accepts whole numbers from 1 to the node's own limit of 512, and nothing else", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 512 }), (n) => {
        expect(connectionLimitProblem(n)).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 513 }), fc.double().filter((x) => !Number.isInteger(x))),
        (n) => {
          expect(connectionLimitProblem(n)).toMatch(/whole number from 1 to 512/);
          const m = poolModel();
          expect(() => renderNftables(m, m.relays[0]!, { relayConnectionLimit: n })).toThrow(RangeError);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("counts IPv6 sources per /64 when a port is open to the whole IPv6 internet", () => {
    const ruleset = renderHostRuleset({
      hostname: "h",
      role: "relay",
      origin: "a test",
      connectionLimit: 4,
      rules: [{ service: "node", port: 3001, source: { kind: "anywhere", cidr: "::/0" }, key: "node-from-anywhere-ipv6", description: "node" }],
    });
    expect(inputStatements(ruleset)).toContain(
      "meta nfproto ipv6 tcp dport 3001 ct state new add @node_sources_ipv6 { ip6 saddr & ffff:ffff:ffff:ffff:: ct count over 4 } reject with tcp reset",
    );
    expect(ruleset).toContain("set node_sources_ipv6 {\n\t\ttype ipv6_addr\n");
  });
});

describe("the ruleset's delivery", () => {
  it("stages the ruleset, checks it, loads it, and only then makes it what the next boot loads", () => {
    const m = poolModel();
    const delivery = nftablesDelivery(m, m.core);
    expect(delivery.files[0]).toEqual({ path: "/etc/stakepool/nftables.conf", mode: "0644", owner: "root", group: "root", content: renderNftables(m, m.core) });
    expect(delivery.files[1]).toMatchObject({ path: SSH_GUARD_SCRIPT, mode: "0755", owner: "root" });
    expect(NFTABLES_CONF_PATH).toBe("/etc/nftables.conf");
    // The core's SSH comes from its relays: the guard refuses a ruleset that would shut out the session.
    const relays = m.relays.map((r) => `${r.privateIp}/32`).join(" ");
    expect(delivery.apply).toEqual([
      `nft -c -f "$R/etc/stakepool/nftables.conf" && python3 "$R${SSH_GUARD_SCRIPT}" 22 ${relays} && nft -f "$R/etc/stakepool/nftables.conf" && ` +
        'install -m 0644 "$R/etc/stakepool/nftables.conf" "$R/etc/nftables.conf.new" && mv -f "$R/etc/nftables.conf.new" "$R/etc/nftables.conf"',
    ]);
  });
});

describe("the SSH session guard (scripts/ssh-guard.py)", () => {
  const script = path.join(__dirname, "../../components/firewall/scripts/ssh-guard.py");
  const guard = (peers: string, ...args: string[]) => spawnSync("python3", [script, ...args], { encoding: "utf8", env: { ...process.env, STAKEPOOL_SSH_PEERS: peers } });

  it.each([
    ["admits a session from inside an admin network", "203.0.113.7", ["22", "203.0.113.0/24"], 0],
    ["admits when one of several sessions is admitted", "198.51.100.9 203.0.113.7", ["22", "203.0.113.7/32"], 0],
    ["admits with no SSH session to protect (a console)", "", ["22", "203.0.113.7/32"], 0],
    ["refuses when the session comes from an address the new ruleset leaves out", "198.51.100.9", ["22", "203.0.113.7/32"], 1],
    ["refuses an IPv6 session under IPv4 admin networks", "2001:db8::7", ["2222", "203.0.113.0/24"], 1],
    ["refuses to guess without a port (usage)", "203.0.113.7", ["203.0.113.7/32"], 2],
  ] as const)("%s", (_name, peers, args, code) => {
    const result = guard(peers, ...args);
    expect(result.status, result.stderr).toBe(code);
    if (code === 1) expect(result.stderr).toMatch(/would shut the kit out of this host\. Nothing was changed\. Add your address to stakepool:adminCidrs/);
  });
});
