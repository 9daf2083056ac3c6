/**
 * The networks allowed to administer the pool (SSH to the relays, and through them to the core).
 * Refuses what cannot be meant: malformed entries, and the whole internet on mainnet.
 */
import { fullKey } from "../config/settings";
import { Findings } from "../config/problems";
import type { NetworkName } from "../networks/networks";
import { parseCidr } from "../vpc/cidr";

export function checkAdminCidrs(entries: readonly string[], network: NetworkName): { cidrs: string[]; findings: Findings } {
  const findings = new Findings();
  const setting = fullKey("adminCidrs");
  const cidrs = new Set<string>();
  entries.forEach((entry, index) => {
    const item = `${setting}[${index}]`;
    const parsed = parseCidr(entry);
    if (!parsed.ok) {
      findings.problem(
        item,
        parsed.suggestion ? `${parsed.message}; did you mean ${parsed.suggestion}?` : parsed.message,
        `pulumi config set --path '${item}' <your public IP>/32 (find it with: curl -4 https://checkip.amazonaws.com)`,
      );
      return;
    }
    const { cidr } = parsed;
    if (cidr.prefix === 0) {
      const message = `${cidr.text} lets the whole internet try SSH on the relays`;
      if (network === "mainnet") {
        findings.problem(item, message, `pulumi config set --path '${item}' <your public IP>/32 (find it with: curl -4 https://checkip.amazonaws.com)`);
        return;
      }
      findings.warn(item, `${message}; acceptable only on a throwaway testnet pool`);
    } else if ((cidr.family === "ipv4" && cidr.prefix < 16) || (cidr.family === "ipv6" && cidr.prefix < 32)) {
      findings.warn(item, `${cidr.text} is a very wide range for SSH access`);
    }
    cidrs.add(cidr.text);
  });
  return { cidrs: [...cidrs].sort(compareCidrs), findings };
}

/** IPv4 before IPv6, then by text: a stable order for rules and plans. */
export function compareCidrs(a: string, b: string): number {
  const fa = a.includes(":") ? 1 : 0;
  const fb = b.includes(":") ? 1 : 0;
  return fa - fb || (a < b ? -1 : a > b ? 1 : 0);
}
