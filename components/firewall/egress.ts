/**
 * Where the core may connect to (issue 16: "the core's own outbound traffic to the internet is closed
 * where nothing else needs it"). The core talks to its relays; everything else it starts is one of the
 * services below, each for a reason a reviewer can check. A relay's outbound stays open: it dials peers
 * on any port the chain publishes.
 *
 * What still needs the internet, and why (each rule's comment in the ruleset says the same):
 * - HTTP and HTTPS (TCP 80, 443): packages and daily security updates from the distribution's mirrors;
 *   the node's release from GitHub; the Mithril restore of an empty data volume (the aggregator and its
 *   snapshot locations); the Mithril distribution. Filtering by name is not a host firewall's: the honest
 *   reach is the two ports.
 * - DNS (UDP and TCP 53): names for the above (the VPC resolver on AWS, whatever resolver a server uses).
 * - Time (UDP 123, RFC 5905; TCP 4460, NTS key exchange, RFC 8915 section 4): chrony's servers where the
 *   kit does not give one.
 * - DHCP (client port 68 to server port 67, RFC 2131 section 4.1; DHCPv6 546 to 547, RFC 8415 section 7.2):
 *   lease renewals, sent unicast through the output hook (the first exchange goes through a packet socket,
 *   which the hook never sees: nftables-baseline.ts).
 * - Link-local IPv4 (169.254.0.0/16): on AWS the instance metadata and Amazon Time Sync.
 * - ICMP and ICMPv6: errors and neighbour discovery keep IP working; echo requests keep it diagnosable.
 * The Mithril signer needs none of this: it reaches its aggregator through a relay's proxy (a pool host).
 * Nothing else leaves the core: a core misconfigured to dial a stranger's node port (3001) cannot.
 */
import { mithrilProxyRelays, type HostSpec, type PoolModel } from "../model/pool";
import type { BaselineRule } from "./nftables-baseline";

/** The core's outbound TCP ports to anywhere: HTTP and HTTPS. */
export const CORE_EGRESS_TCP_PORTS = [80, 443] as const;

/** The core's output chain, in order; the chain's policy is drop. */
export function coreEgressRules(model: PoolModel): BaselineRule[] {
  const relays = model.relays.map((r) => r.privateIp).sort();
  const proxies = mithrilProxyRelays(model).map((r) => r.name);
  return [
    { statement: 'oif "lo" accept', comment: "the host talking to itself" },
    { statement: "ct state established,related accept", comment: "replies to connections made to the core (its relays, SSH through them)" },
    { statement: "ct state invalid drop", comment: "packets no connection explains" },
    {
      statement: `ip daddr { ${relays.join(", ")} } accept`,
      comment: `its relays: the node${proxies.length > 0 ? ", the Mithril signer's proxy" : ""}`,
    },
    { statement: `tcp dport { ${CORE_EGRESS_TCP_PORTS.join(", ")} } accept`, comment: "packages, the node and Mithril releases, the Mithril restore" },
    { statement: "meta l4proto { tcp, udp } th dport 53 accept", comment: "DNS" },
    { statement: "udp dport 123 accept", comment: "time (NTP)" },
    { statement: "tcp dport 4460 accept", comment: "time (NTS key exchange)" },
    { statement: "udp sport 68 udp dport 67 accept", comment: "DHCP lease renewals" },
    { statement: "udp sport 546 udp dport 547 accept", comment: "DHCPv6" },
    { statement: "ip daddr 169.254.0.0/16 accept", comment: "link-local: instance metadata, Amazon Time Sync" },
    // nft's own names: "ipv6-icmp" is /etc/protocols' (absent from minimal images: the e2e guest refused it).
    { statement: "meta l4proto { icmp, icmpv6 } accept", comment: "ICMP: errors, neighbour discovery, ping" },
  ];
}

/** The host's output chain rules, or undefined when its outbound is open (the relays). */
export function egressRules(model: PoolModel, host: HostSpec): BaselineRule[] | undefined {
  return host.role === "core" ? coreEgressRules(model) : undefined;
}
