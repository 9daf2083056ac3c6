/**
 * The host firewalls under real packets: every host's rendered ruleset is loaded into a network
 * namespace that plays it, each listens on SSH, the node port and the metrics port, and every other
 * lab host (the core, the relays, an admin inside the admin CIDRs, an outsider, and a stranger inside
 * the VPC that is not a pool host) tries a real TCP connection to every port of every host, over IPv4
 * and IPv6. Each probe's expected answer is written below; any unexpected allow or deny fails the test.
 * DHCP-looking packets nobody asked for are sent for real too.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderNftables } from "../../components/firewall/nftables";
import { NETNS_REQUIREMENTS, NetnsLab, type LabHost, type Probe } from "../helpers/netns";
import { describeWith } from "../helpers/requirements";
import { host, poolModel } from "./model";

const model = poolModel({ relays: 2, adminCidrs: ["203.0.113.0/28", "2001:db8:a::/48"] });
const core = host(model, "core");
const relay1 = host(model, "relay-1");
const relay2 = host(model, "relay-2");

/** Pool hosts at their model addresses (plus documentation IPv6 addresses); the others around them. */
const hosts: readonly LabHost[] = [
  { name: "core", ipv4: core.privateIp, ipv6: "2001:db8:100::10" },
  { name: "relay-1", ipv4: relay1.privateIp, ipv6: "2001:db8:100::11" },
  { name: "relay-2", ipv4: relay2.privateIp, ipv6: "2001:db8:100::12" },
  { name: "admin", ipv4: "203.0.113.7", ipv6: "2001:db8:a::7" },
  { name: "outsider", ipv4: "198.51.100.9", ipv6: "2001:db8:b::9" },
  // Inside the VPC range, even in the core's own subnet, but not a pool host.
  { name: "stranger", ipv4: "10.30.0.99", ipv6: "2001:db8:100::99" },
];
const POOL_HOSTS = ["core", "relay-1", "relay-2"];
const PORTS = [22, 3001, 12798];

/**
 * The connections that must open, as `<from> -> <to>:<port>/<family>`, written out from the policy in
 * words. Everything not listed must be silently dropped. A host reaching itself (through loopback) is
 * always allowed and is not listed.
 */
const MUST_OPEN = new Set([
  // The core: the node and SSH from its relays' private IPv4 addresses only.
  "relay-1 -> core:3001/ipv4",
  "relay-2 -> core:3001/ipv4",
  "relay-1 -> core:22/ipv4",
  "relay-2 -> core:22/ipv4",
  // The relays: the node from anywhere on IPv4 (the node listens on 0.0.0.0).
  "core -> relay-1:3001/ipv4",
  "relay-2 -> relay-1:3001/ipv4",
  "admin -> relay-1:3001/ipv4",
  "outsider -> relay-1:3001/ipv4",
  "stranger -> relay-1:3001/ipv4",
  "core -> relay-2:3001/ipv4",
  "relay-1 -> relay-2:3001/ipv4",
  "admin -> relay-2:3001/ipv4",
  "outsider -> relay-2:3001/ipv4",
  "stranger -> relay-2:3001/ipv4",
  // The relays: SSH from the admin networks, in both families.
  "admin -> relay-1:22/ipv4",
  "admin -> relay-1:22/ipv6",
  "admin -> relay-2:22/ipv4",
  "admin -> relay-2:22/ipv6",
]);

const lab = new NetnsLab("matrix");

describeWith(NETNS_REQUIREMENTS, "the host firewalls in network namespaces", () => {
  beforeAll(async () => {
    await lab.start(hosts);
    for (const name of POOL_HOSTS) {
      await lab.loadRuleset(name, renderNftables(model, host(model, name)));
      await (await lab.agent(name)).listen(PORTS);
    }
  });
  afterAll(() => lab.destroy());

  it("opens exactly the connections the policy allows, from every host to every port, over IPv4 and IPv6", async () => {
    const probes: (Probe & { label: string; expected: "open" | "timeout" })[] = [];
    for (const from of hosts) {
      for (const to of hosts.filter((h) => POOL_HOSTS.includes(h.name))) {
        for (const port of PORTS) {
          for (const [family, address] of [["ipv4", to.ipv4], ["ipv6", to.ipv6!]] as const) {
            const label = `${from.name} -> ${to.name}:${port}/${family}`;
            const expected = from.name === to.name || MUST_OPEN.has(label) ? "open" : "timeout";
            probes.push({ from: from.name, address, port, label, expected });
          }
        }
      }
    }
    // The node's metrics are for the host itself: reachable on loopback, in both families.
    for (const name of POOL_HOSTS) {
      probes.push({ from: name, address: "127.0.0.1", port: 12798, label: `${name} -> itself:12798/loopback-ipv4`, expected: "open" });
      probes.push({ from: name, address: "::1", port: 12798, label: `${name} -> itself:12798/loopback-ipv6`, expected: "open" });
    }

    const results = await lab.probeAll(probes, 1500);
    const unexpected = results
      .map((r, i) => ({ ...probes[i]!, outcome: r.outcome }))
      .filter((p) => p.outcome !== p.expected)
      .map((p) => `${p.label}: expected ${p.expected === "open" ? "open" : "dropped"}, got ${p.outcome}`);
    process.stdout.write(`host firewall matrix: ${probes.length} probes, ${unexpected.length} unexpected\n`);

    expect(unexpected).toEqual([]);
    // Every listed allowance was probed (a typo in MUST_OPEN would otherwise pass silently).
    expect([...MUST_OPEN].filter((label) => !probes.some((p) => p.label === label))).toEqual([]);
    expect(probes).toHaveLength(6 * 3 * 3 * 2 + 6);
  });

  it("lets the core connect out only where something on it needs to (HTTP(S), DNS); a relay anywhere", async () => {
    // The outsider stands for the internet: a package mirror, GitHub, a resolver, a stranger's node.
    const internet = [22, 53, 80, 443, 3001, 8080];
    await (await lab.agent("outsider")).listen(internet);
    const outsider = hosts.find((h) => h.name === "outsider")!;
    const probes: (Probe & { label: string; expected: "open" | "timeout" })[] = [];
    for (const from of ["core", "relay-1"]) {
      for (const port of internet) {
        for (const [family, address] of [["ipv4", outsider.ipv4], ["ipv6", outsider.ipv6!]] as const) {
          const open = from !== "core" || [53, 80, 443].includes(port);
          probes.push({ from, address, port, label: `${from} -> outsider:${port}/${family}`, expected: open ? "open" : "timeout" });
        }
      }
    }
    const results = await lab.probeAll(probes, 1500);
    const unexpected = results
      .map((r, i) => ({ ...probes[i]!, outcome: r.outcome }))
      .filter((p) => p.outcome !== p.expected)
      .map((p) => `${p.label}: expected ${p.expected === "open" ? "open" : "dropped"}, got ${p.outcome}`);
    expect(unexpected).toEqual([]);
    expect(probes.filter((p) => p.expected === "timeout").map((p) => p.label)).toContain("core -> outsider:3001/ipv4");
  });

  it("drops DHCP-looking packets the host never asked for, whatever their ports (real leases: dhcp.test.ts)", async () => {
    const core = await lab.agent("core");
    await core.udpListen(68);
    await core.udpListen(69);
    const stranger = await lab.agent("stranger");
    await stranger.udpSend({ address: hosts[0]!.ipv4, port: 68 }, 67, "a forged offer");
    await stranger.udpSend({ address: hosts[0]!.ipv4, port: 68 }, 1067, "not-from-a-server-port");
    await stranger.udpSend({ address: hosts[0]!.ipv4, port: 69 }, 67, "not-to-the-client-port");
    await new Promise((r) => setTimeout(r, 300));
    expect(await core.udpReceived(68)).toEqual([]);
    expect(await core.udpReceived(69)).toEqual([]);
  });
});
