/**
 * One firewall policy for the pool, derived from the model. It is rendered twice: as AWS security
 * group rules (the cloud wall) and as an nftables ruleset per host (the host wall).
 *
 * - core: node (3001) and SSH (22) from its relays' private addresses, nothing else;
 * - relays: node from anywhere, SSH from the admin CIDRs only;
 * - metrics (12798) are never opened; outbound is open.
 */
import { NODE_PORT, SSH_PORT } from "../networks/networks";
import type { HostRole, HostSpec, PoolModel } from "../model/pool";
import { cidrSlug } from "../config/cidr";

export type Service = "node" | "ssh";

export const SERVICE_PORTS: Readonly<Record<Service, number>> = { node: NODE_PORT, ssh: SSH_PORT };

export type RuleSource =
  /** Another host of the pool, by its static private address. */
  | { readonly kind: "host"; readonly host: string; readonly cidr: string }
  | { readonly kind: "admin"; readonly cidr: string }
  | { readonly kind: "anywhere"; readonly cidr: "0.0.0.0/0" | "::/0" };

export interface IngressRule {
  readonly service: Service;
  readonly port: number;
  readonly source: RuleSource;
  /** Stable, content-derived key, used in resource names: `<service>-from-<source>`. */
  readonly key: string;
  readonly description: string;
}

export type FirewallPolicy = Readonly<Record<HostRole, readonly IngressRule[]>>;

function sourceSlug(source: RuleSource): string {
  switch (source.kind) {
    case "host":
      return source.host;
    case "admin":
      return `admin-${cidrSlug(source.cidr)}`;
    case "anywhere":
      return source.cidr.includes(":") ? "anywhere-ipv6" : "anywhere-ipv4";
  }
}

function sourceLabel(source: RuleSource): string {
  switch (source.kind) {
    case "host":
      return `${source.host} (${source.cidr})`;
    case "admin":
      return `admin ${source.cidr}`;
    case "anywhere":
      return `anywhere (${source.cidr})`;
  }
}

function rule(service: Service, source: RuleSource): IngressRule {
  return {
    service,
    port: SERVICE_PORTS[service],
    source,
    key: `${service}-from-${sourceSlug(source)}`,
    description: `${service === "node" ? "cardano-node" : "SSH"} from ${sourceLabel(source)}`,
  };
}

export function firewallPolicy(model: PoolModel): FirewallPolicy {
  const relaySources: RuleSource[] = model.relays.map((r) => ({ kind: "host", host: r.name, cidr: `${r.privateIp}/32` }));
  const core = [...relaySources.map((s) => rule("node", s)), ...relaySources.map((s) => rule("ssh", s))];
  const relay = [
    rule("node", { kind: "anywhere", cidr: "0.0.0.0/0" }),
    ...model.adminCidrs.map((cidr) => rule("ssh", { kind: "admin", cidr })),
  ];
  return { core, relay };
}

/** The rules of one host: its role's, with SSH on the port the host's sshd listens on. */
export function hostRules(policy: FirewallPolicy, host: HostSpec): IngressRule[] {
  return policy[host.role].map((r) => (r.service === "ssh" ? { ...r, port: host.login.port } : r));
}

