/**
 * What every pool host must accept whatever its role, before the pool's own policy is consulted: the
 * replies to its own traffic, loopback, the ICMP and ICMPv6 messages without which IP itself breaks,
 * and its DHCP lease renewals. Everything here is independent of the model, so it is plain data.
 *
 * Sources: RFC 4890 (which ICMPv6 messages a host must not drop), RFC 4861 section 7.1 (neighbour
 * discovery is valid only with hop limit 255, so a firewall can refuse off-link forgeries), RFC 1191 and
 * RFC 8201 (path MTU discovery needs "fragmentation needed" and "packet too big"), the nftables wiki's
 * server ruleset (connection tracking first, invalid dropped).
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

/** Answers to ping, rate-limited so that the host is diagnosable but not an amplifier. */
export const ECHO_RATE = "5/second burst 10 packets";

const list = (items: readonly string[]): string => `{ ${items.join(", ")} }`;

/** The head of every host's input chain, in order: connection state first, then loopback, then ICMP and DHCP. */
export const BASELINE_INPUT_RULES: readonly BaselineRule[] = [
  { statement: "ct state established,related accept", comment: "replies to the host's own traffic, and ICMP errors about it" },
  { statement: "ct state invalid drop", comment: "packets that belong to no connection" },
  { statement: 'iif "lo" accept', comment: "the host talking to itself (the node's metrics are scraped here)" },
  { statement: `tcp dport ${METRICS_PORT} drop`, comment: "node metrics never leave the host" },
  { statement: `icmp type ${list(ICMP_ERRORS)} accept`, comment: "IPv4 errors, path MTU discovery" },
  { statement: `icmp type echo-request limit rate ${ECHO_RATE} accept`, comment: "ping, rate-limited" },
  { statement: `icmpv6 type ${list(ICMPV6_ERRORS)} accept`, comment: "IPv6 errors, path MTU discovery" },
  {
    statement: `icmpv6 type ${list(ICMPV6_NEIGHBOUR_DISCOVERY)} ip6 hoplimit 255 accept`,
    comment: "IPv6 neighbour discovery, from the link only",
  },
  { statement: "icmpv6 type mld-listener-query ip6 saddr fe80::/10 accept", comment: "IPv6 multicast listener queries, from the link only" },
  { statement: `icmpv6 type echo-request limit rate ${ECHO_RATE} accept`, comment: "ping6, rate-limited" },
  { statement: "meta nfproto ipv4 udp sport 67 udp dport 68 accept", comment: "DHCP replies: the instance renews its lease" },
  { statement: "ip6 saddr fe80::/10 udp sport 547 udp dport 546 accept", comment: "DHCPv6 replies" },
];
