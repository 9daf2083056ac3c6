/**
 * One firewall policy for the pool, derived from the model. It is rendered twice: as AWS security
 * group rules (the cloud wall) and as an nftables ruleset per host (the host wall).
 *
 * - core: node (3001) and SSH (22) from its relays' private addresses, nothing else;
 * - relays: node from anywhere, SSH from the admin CIDRs only; with a Mithril signer, the proxy relays
 *   (the first two) take the proxy port (3132) from the core's private address only;
 * - with a monitoring host: the node's metrics (12798) and node_exporter (9100) on the core and every relay,
 *   and the Mithril signer's metrics (9090) on the core when it runs one, from the monitoring host's
 *   private address only; the monitoring host takes SSH from its relays only
 *   (the jump, like the core). Without one, metrics are never opened;
 * - the core's outbound goes only where it is needed (./egress.ts), the relays' and monitor's is open.
 */
import { METRICS_PORT, MITHRIL_PROXY_PORT, MITHRIL_SIGNER_METRICS_PORT, NODE_EXPORTER_PORT, NODE_PORT, SSH_PORT } from "../networks/networks";
import { mithrilProxyRelays, type HostRole, type HostSpec, type PoolModel } from "../model/pool";
import { cidrSlug } from "../config/cidr";

export type Service = "node" | "ssh" | "mithril-proxy" | "node-metrics" | "node-exporter" | "signer-metrics";

export const SERVICE_PORTS: Readonly<Record<Service, number>> = {
  node: NODE_PORT,
  ssh: SSH_PORT,
  "mithril-proxy": MITHRIL_PROXY_PORT,
  "node-metrics": METRICS_PORT,
  "node-exporter": NODE_EXPORTER_PORT,
  "signer-metrics": MITHRIL_SIGNER_METRICS_PORT,
};

const SERVICE_NAMES: Readonly<Record<Service, string>> = {
  node: "cardano-node",
  ssh: "SSH",
  "mithril-proxy": "Mithril signer's proxy",
  "node-metrics": "cardano-node metrics",
  "node-exporter": "node_exporter",
  "signer-metrics": "mithril-signer metrics",
};

/** The services only the monitoring host scrapes. */
export const SCRAPED_SERVICES: readonly Service[] = ["node-metrics", "node-exporter", "signer-metrics"];

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
  /**
   * The hosts of the role that take it, when not all do (the Mithril proxy: the proxy relays). The cloud
   * wall has one group per role, so there it admits the same source on every host of the role, where
   * nothing listens on the port.
   */
  readonly hosts?: readonly string[];
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

function rule(service: Service, source: RuleSource, hosts?: readonly string[]): IngressRule {
  return {
    service,
    port: SERVICE_PORTS[service],
    source,
    key: `${service}-from-${sourceSlug(source)}`,
    description: `${SERVICE_NAMES[service]} from ${sourceLabel(source)}`,
    ...(hosts === undefined ? {} : { hosts }),
  };
}

export function firewallPolicy(model: PoolModel): FirewallPolicy {
  const relaySources: RuleSource[] = model.relays.map((r) => ({ kind: "host", host: r.name, cidr: `${r.privateIp}/32` }));
  const monitor = model.monitor;
  const fromMonitor: RuleSource | undefined = monitor === undefined ? undefined : { kind: "host", host: monitor.name, cidr: `${monitor.privateIp}/32` };
  const scraped: IngressRule[] = fromMonitor === undefined ? [] : [rule("node-metrics", fromMonitor), rule("node-exporter", fromMonitor)];
  // The core's Mithril signer serves its metrics to the monitoring host too.
  const signer: IngressRule[] = fromMonitor !== undefined && model.mithrilSigner ? [rule("signer-metrics", fromMonitor)] : [];
  const core = [...relaySources.map((s) => rule("node", s)), ...relaySources.map((s) => rule("ssh", s)), ...scraped, ...signer];
  const proxies = mithrilProxyRelays(model).map((r) => r.name);
  const relay = [
    rule("node", { kind: "anywhere", cidr: "0.0.0.0/0" }),
    ...model.adminCidrs.map((cidr) => rule("ssh", { kind: "admin", cidr })),
    ...(proxies.length === 0 ? [] : [rule("mithril-proxy", { kind: "host", host: model.core.name, cidr: `${model.core.privateIp}/32` }, proxies)]),
    ...scraped,
  ];
  // The monitoring host, like the core, is reached through the relays alone; it scrapes its own exporter over loopback.
  return { core, relay, monitor: monitor === undefined ? [] : relaySources.map((s) => rule("ssh", s)) };
}

/** The rules of one host: its role's that apply to it, with SSH on the port the host's sshd listens on. */
export function hostRules(policy: FirewallPolicy, host: HostSpec): IngressRule[] {
  return policy[host.role].filter((r) => r.hosts === undefined || r.hosts.includes(host.name)).map((r) => (r.service === "ssh" ? { ...r, port: host.login.port } : r));
}

