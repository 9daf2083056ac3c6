/**
 * The networks allowed to administer the pool (SSH to the relays, and through them to the core), judged
 * by what they cover, not by how they are spelt:
 * - how many addresses the list covers together (overlaps counted once, per family): on mainnet more
 *   than ADMIN_COVERAGE_LIMIT is refused (`0.0.0.0/1` plus `128.0.0.0/1` is the whole internet, like
 *   `0.0.0.0/0`); on testnets it is a warning;
 * - ranges that can never be an administrator's address as the relays see it are refused: loopback,
 *   link-local (the instance metadata service), multicast, reserved and "this network" space,
 *   carrier-grade NAT space (RFC 6598: the relays see the provider's public address instead), and the
 *   pool's own VPC (stakepool:vpcCidr: the pool's own hosts, never the operator);
 * - address families the pool cannot route: an AWS pool's VPC has no IPv6 range and its hosts no IPv6
 *   address (components/vpc, HostSpec.ipv6), so an IPv6 range admits nobody, and a list of only IPv6
 *   ranges locks the operator out;
 * - at most ADMIN_CIDR_LIMIT ranges, so that the relays' security group stays within AWS's rule quota.
 */
import { fullKey } from "../config/settings";
import { Findings } from "../config/problems";
import type { NetworkName } from "../networks/networks";
import { parseCidr, type Cidr } from "../config/cidr";
import { coverage, describeCount, isInside, overlaps, type Family } from "./address-coverage";

/**
 * Most addresses the admin ranges may cover together on mainnet: a /16 of IPv4 (65,536 addresses, an
 * office or a provider's pool of dynamic addresses), a /48 of IPv6 (one site's allocation).
 */
export const ADMIN_COVERAGE_LIMIT: Readonly<Record<Family, bigint>> = { ipv4: 1n << 16n, ipv6: 1n << 80n };

/**
 * AWS allows 60 inbound rules per security group by default, counted separately for IPv4 and IPv6
 * ("Inbound or outbound rules per security group", Amazon VPC quotas). The relays' group holds one SSH
 * rule per admin range and up to four others (components/firewall/policy.ts): the node port from
 * 0.0.0.0/0, the Mithril signer's proxy from the core, the node's metrics and node_exporter from the
 * monitoring host. So 56 admin ranges at most, whatever is on, or `pulumi up` fails half-way with
 * RulesPerSecurityGroupLimitExceeded (and turning monitoring on later would).
 */
export const SECURITY_GROUP_INBOUND_RULES = 60;
/** The relays' other IPv4 inbound rules at most: node, Mithril proxy, node metrics, node_exporter. */
export const RELAY_RULES_BESIDE_ADMIN = 4;
export const ADMIN_CIDR_LIMIT = SECURITY_GROUP_INBOUND_RULES - RELAY_RULES_BESIDE_ADMIN;

/** Address blocks no administrator's connection comes from (IANA special-purpose registries, RFC 6890). */
const NEVER_AN_ADMIN: ReadonlyArray<readonly [string, string]> = [
  ["0.0.0.0/8", "the \"this network\" block (RFC 1122), never a source address"],
  ["127.0.0.0/8", "loopback (RFC 1122): the relay itself"],
  ["169.254.0.0/16", "link-local (RFC 3927), where the cloud's instance metadata service lives"],
  ["100.64.0.0/10", "carrier-grade NAT space (RFC 6598): the relays see your provider's public address instead"],
  ["224.0.0.0/4", "multicast (RFC 5771), never a source of SSH"],
  ["240.0.0.0/4", "reserved (RFC 1112) and the broadcast address"],
  ["::/128", "the unspecified address"],
  ["::1/128", "loopback: the relay itself"],
  ["::ffff:0:0/96", "IPv4-mapped addresses: write the IPv4 range itself"],
  ["fe80::/10", "link-local"],
  ["ff00::/8", "multicast"],
];

const SPECIAL: ReadonlyArray<readonly [Cidr, string]> = NEVER_AN_ADMIN.map(([text, why]) => {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(`bad built-in CIDR ${text}`);
  return [parsed.cidr, why] as const;
});

export interface AdminCidrOptions {
  /** The pool's VPC range: an admin range overlapping it names the pool's own hosts. */
  readonly vpcCidr?: string;
  /** Whether the hosts have IPv6 routes (an AWS pool's do not). */
  readonly ipv6?: boolean;
}

const FIX = (item: string) => `pulumi config set --path '${item}' '<your public IP>/32' (find it with: curl -4 https://checkip.amazonaws.com)`;

export function checkAdminCidrs(
  entries: readonly string[],
  network: NetworkName,
  options: AdminCidrOptions = {},
): { cidrs: string[]; findings: Findings } {
  const findings = new Findings();
  const setting = fullKey("adminCidrs");
  const vpc = options.vpcCidr === undefined ? undefined : parseCidr(options.vpcCidr);
  const accepted = new Map<string, { cidr: Cidr; item: string }>();
  entries.forEach((entry, index) => {
    const item = `${setting}[${index}]`;
    const parsed = parseCidr(entry);
    if (!parsed.ok) {
      findings.problem(item, parsed.suggestion ? `${parsed.message}; did you mean ${parsed.suggestion}?` : parsed.message, FIX(item));
      return;
    }
    const { cidr } = parsed;
    if (cidr.family === "ipv6" && !options.ipv6) {
      findings.problem(
        item,
        `${cidr.text} is an IPv6 range, but the pool's network is IPv4 only (its VPC has no IPv6 range, its hosts no IPv6 address): ` +
          "SSH from it can never reach a relay, and without an IPv4 range you would be locked out",
        FIX(item),
      );
      return;
    }
    const special = SPECIAL.find(([block]) => isInside(cidr, block));
    if (special) {
      findings.problem(item, `${cidr.text} is inside ${special[0].text}, ${special[1]}: no administrator connects from there`, FIX(item));
      return;
    }
    if (vpc?.ok && overlaps(cidr, vpc.cidr) && cidr.prefix >= 8) {
      findings.problem(
        item,
        `${cidr.text} overlaps the pool's own VPC ${vpc.cidr.text} (${fullKey("vpcCidr")}): it admits the pool's own hosts to SSH, and no administrator connects from there`,
        `${FIX(item)}; to reach the pool over a VPN or peering, use a range outside ${vpc.cidr.text}`,
      );
      return;
    }
    if (!accepted.has(cidr.text)) accepted.set(cidr.text, { cidr, item });
  });

  if (accepted.size > ADMIN_CIDR_LIMIT) {
    findings.problem(
      setting,
      `lists ${accepted.size} ranges; AWS allows ${SECURITY_GROUP_INBOUND_RULES} inbound rules per security group, and the relays' group needs one for the node port, so at most ${ADMIN_CIDR_LIMIT}`,
      "list the networks you administer from, merged into wider ranges where they are adjacent (two /25 are one /24)",
    );
  }

  const list = [...accepted.values()];
  const covered = coverage(list.map((a) => a.cidr));
  for (const family of ["ipv4", "ipv6"] as const) {
    const limit = ADMIN_COVERAGE_LIMIT[family];
    if (covered[family] <= limit) continue;
    // One range too wide by itself is named; otherwise the list is.
    const alone = list.filter((a) => a.cidr.family === family && coverage([a.cidr])[family] > limit);
    const at = alone.length === 1 ? alone[0]!.item : setting;
    const what =
      alone.length === 1 && alone[0]!.cidr.prefix === 0
        ? `${alone[0]!.cidr.text} lets the whole internet try SSH on the relays`
        : `${alone.length === 1 ? `${alone[0]!.cidr.text} covers ${describeCount(coverage([alone[0]!.cidr])[family], family)}` : `together these ranges cover ${describeCount(covered[family], family)}`}, ` +
          `more than the ${describeCount(limit, family)} (${family === "ipv4" ? "a /16" : "a /48"}) of an operator's own networks`;
    if (network === "mainnet") {
      findings.problem(at, `${what}; on mainnet, SSH is open only to the networks you administer from`, FIX(at === setting ? `${setting}[0]` : at));
    } else {
      findings.warn(at, `${what}; acceptable only on a throwaway testnet pool`);
    }
  }
  return { cidrs: [...accepted.keys()].sort(compareCidrs), findings };
}

/** IPv4 before IPv6, then by text: a stable order for rules and plans. */
export function compareCidrs(a: string, b: string): number {
  const fa = a.includes(":") ? 1 : 0;
  const fb = b.includes(":") ? 1 : 0;
  return fa - fb || (a < b ? -1 : a > b ? 1 : 0);
}
