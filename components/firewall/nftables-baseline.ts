/**
 * What every pool host must accept whatever its role, before the pool's own policy is consulted: the
 * replies to its own traffic, loopback, ping (limited per source), the ICMP and ICMPv6 messages without
 * which IP itself breaks, and DHCPv6 replies. Everything here is independent of the model, so it is plain data.
 *
 * No rule admits DHCPv4 replies (there was one, for any source with port 67). None is needed, which the
 * firewall tests prove with the real clients (test/firewall/dhcp.test.ts): DHCP clients receive the
 * replies that come before they hold an address through a packet socket, which the input hook never
 * sees (systemd-networkd's sd-dhcp-client, Ubuntu's client on the kit's AWS hosts, in its selecting,
 * requesting and rebinding states; ISC dhclient always), and the unicast renewal they send from their
 * address to the server is answered from that server (on EC2 the subnet's base + 1, the VPC router), so
 * conntrack files the answer as `established`. On AWS the security group neither admits nor blocks
 * this traffic: security groups and network ACLs do not filter traffic to or from the AWS-reserved
 * addresses of a subnet (AWS VPC User Guide, "Internetwork traffic privacy in Amazon VPC"), so the host
 * firewall is the only filter, and it needs no opening.
 *
 * Sources: RFC 4890 (which ICMPv6 messages a host must not drop), RFC 4861 section 7.1 (neighbour
 * discovery is valid only with hop limit 255, so a firewall can refuse off-link forgeries), RFC 1191 and
 * RFC 8201 (path MTU discovery needs "fragmentation needed" and "packet too big"), the nftables wiki's
 * server ruleset (connection tracking, invalid dropped) and its "Meters" page (per-source limits).
 */
import { METRICS_PORT } from "../networks/networks";

/** One nft rule statement and the reason a reviewer sees next to it. */
export interface BaselineRule {
  readonly statement: string;
  readonly comment: string;
}

/** ICMP (IPv4) messages a healthy host accepts: unreachables carry "fragmentation needed" (path MTU). */
export const ICMP_ERRORS = ["destination-unreachable", "time-exceeded", "parameter-problem"] as const;

/** ICMPv6 errors a host must accept (RFC 4890, 4.3.1): packet-too-big is path MTU discovery. */
export const ICMPV6_ERRORS = ["destination-unreachable", "packet-too-big", "time-exceeded", "parameter-problem"] as const;

/** Neighbour discovery (IPv6's ARP) and router advertisements (the default route): link-local only. */
export const ICMPV6_NEIGHBOUR_DISCOVERY = ["nd-neighbor-solicit", "nd-neighbor-advert", "nd-router-advert"] as const;

/** Answers to ping, per source, so that the host is diagnosable by anyone but floodable by no one. */
export const ECHO_RATE = "5/second burst 10 packets";

/**
 * The sources pinging the host, each with its own token bucket (`update @set { key limit rate … }`, the
 * nftables wiki's "Meters" with a dynamic set). An element lives one minute after its last echo request.
 * When the set is full (a flood from spoofed sources), new sources are not answered until elements
 * expire; known sources keep their buckets. An IPv6 source is counted per /64, like the connection limit.
 */
export const ECHO_SETS = {
  ipv4: { name: "echo_sources_ipv4", type: "ipv4_addr", key: "ip saddr" },
  ipv6: { name: "echo_sources_ipv6", type: "ipv6_addr", key: "ip6 saddr & ffff:ffff:ffff:ffff::" },
} as const;
export const ECHO_SET_SIZE = 65535;
export const ECHO_SOURCE_TIMEOUT = "1m";

/** The sets the baseline rules use, as lines of the table (rendered before the chains). */
export const BASELINE_SETS: readonly string[] = Object.values(ECHO_SETS).flatMap(({ name, type }) => [
  `\tset ${name} {`,
  `\t\ttype ${type}`,
  `\t\tsize ${ECHO_SET_SIZE}`,
  "\t\tflags dynamic,timeout",
  `\t\ttimeout ${ECHO_SOURCE_TIMEOUT}`,
  "\t}",
  "",
]);

const list = (items: readonly string[]): string => `{ ${items.join(", ")} }`;

/**
 * The head of every host's input chain, in order: loopback; then echo requests, limited per source
 * BEFORE connection tracking (conntrack files every echo request after the first answered one of a ping
 * session as `established`, so a limit placed after `ct state established accept` never sees a flood
 * that keeps its ICMP identifier); then connection state, ICMP errors, neighbour discovery and DHCPv6.
 */
/** The baseline's drop of the node's metrics port; a monitoring host's scrape is admitted before it. */
export const METRICS_DROP = `tcp dport ${METRICS_PORT} drop`;

export const BASELINE_INPUT_RULES: readonly BaselineRule[] = [
  { statement: 'iif "lo" accept', comment: "the host talking to itself (the node's metrics are scraped here)" },
  {
    statement: `icmp type echo-request update @${ECHO_SETS.ipv4.name} { ${ECHO_SETS.ipv4.key} limit rate ${ECHO_RATE} } accept`,
    comment: "ping, rate-limited per source address",
  },
  { statement: "icmp type echo-request drop", comment: "ping beyond the source's rate" },
  {
    statement: `icmpv6 type echo-request update @${ECHO_SETS.ipv6.name} { ${ECHO_SETS.ipv6.key} limit rate ${ECHO_RATE} } accept`,
    comment: "ping6, rate-limited per source /64",
  },
  { statement: "icmpv6 type echo-request drop", comment: "ping6 beyond the source's rate" },
  { statement: "ct state established,related accept", comment: "replies to the host's own traffic, and ICMP errors about it" },
  { statement: "ct state invalid drop", comment: "packets that belong to no connection" },
  { statement: METRICS_DROP, comment: "node metrics reach no one else (the monitoring host's scrape is admitted just before)" },
  { statement: `icmp type ${list(ICMP_ERRORS)} accept`, comment: "IPv4 errors, path MTU discovery" },
  { statement: `icmpv6 type ${list(ICMPV6_ERRORS)} accept`, comment: "IPv6 errors, path MTU discovery" },
  {
    statement: `icmpv6 type ${list(ICMPV6_NEIGHBOUR_DISCOVERY)} ip6 hoplimit 255 accept`,
    comment: "IPv6 neighbour discovery, from the link only",
  },
  { statement: "icmpv6 type mld-listener-query ip6 saddr fe80::/10 accept", comment: "IPv6 multicast listener queries, from the link only" },
  // DHCPv6 replies answer a request sent to a multicast address, which conntrack cannot pair with them.
  { statement: "ip6 saddr fe80::/10 udp sport 547 udp dport 546 accept", comment: "DHCPv6 replies, from the link only" },
];
