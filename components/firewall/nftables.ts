/**
 * The host wall: the pool's firewall policy rendered as one self-contained nftables ruleset per host,
 * the second rendering of the policy the security groups render in the cloud. If a security group is
 * ever opened by mistake (or a relay is compromised inside the VPC), the host still refuses what the
 * policy does not allow.
 *
 * The ruleset owns exactly one table, `inet stakepool`, and replaces it in one transaction when loaded
 * with `nft -f`: the file first declares the table (so that deleting it cannot fail on a host that does
 * not have it yet), deletes it, and declares it again with its rules. nft applies a file as a single
 * kernel transaction, so a reload never leaves the host without rules, and never touches another
 * table (Docker's, an operator's own). It names no network interface except loopback, because
 * interface names differ between instance types.
 */
import { hostname, type HostRole, type HostSpec, type PoolModel } from "../model/pool";
import { egressRules } from "./egress";
import { BASELINE_INPUT_RULES, BASELINE_SETS, METRICS_DROP, type BaselineRule } from "./nftables-baseline";
import { firewallPolicy, hostRules, SCRAPED_SERVICES, type IngressRule } from "./policy";

/** One table for both IPv4 and IPv6, so that one policy cannot be rendered for one family and forgotten for the other. */
export const NFTABLES_FAMILY = "inet";
/** The only table the kit owns on a host; reloads replace it and nothing else. */
export const NFTABLES_TABLE = "stakepool";

/**
 * Concurrent connections one source address may hold on a port open to the whole internet (the relays'
 * node port). An honest node keeps one connection to a peer (node-to-node connections are duplex), so
 * several connections from one address mean several nodes behind one NAT address (an operator's relays
 * at home, a multi-pool operator), plus a stale connection or two while a restarted peer reconnects
 * before the old one times out. 10 leaves room for about five relays behind one address with their
 * reconnects, while one address can no longer fill the node's inbound limit (cardano-node accepts 512
 * connections, slowing down above 384: ouroboros-network defaultAcceptedConnectionsLimit); it takes 52
 * addresses instead of one. Community guides use 3 to 5, which cuts off operators behind NAT.
 */
export const DEFAULT_RELAY_CONNECTION_LIMIT = 10;

/** Above this a per-source limit means nothing: it is the node's own hard limit on inbound connections. */
export const MAX_RELAY_CONNECTION_LIMIT = 512;

export interface NftablesOptions {
  /** Concurrent connections per source address on ports open to anywhere; the next one is reset. */
  readonly relayConnectionLimit: number;
}

/** The options `renderNftables` uses when given none. */
export const DEFAULT_NFTABLES_OPTIONS: NftablesOptions = { relayConnectionLimit: DEFAULT_RELAY_CONNECTION_LIMIT };

/** Why a connection limit is unusable, or undefined when it is fine (for the config layer's findings). */
export function connectionLimitProblem(limit: number): string | undefined {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RELAY_CONNECTION_LIMIT) {
    return `the per-source connection limit must be a whole number from 1 to ${MAX_RELAY_CONNECTION_LIMIT} (the node's own inbound limit), not ${String(limit)}`;
  }
  return undefined;
}

/** Everything one host's ruleset is made of; the model-free core of the renderer. */
export interface HostRulesetSpec {
  /** The host's name as the operator sees it, e.g. `mainnet-relay-1`. */
  readonly hostname: string;
  readonly role: HostRole;
  /** What the header says the ruleset comes from. */
  readonly origin: string;
  readonly rules: readonly IngressRule[];
  readonly connectionLimit: number;
  /** The output chain's rules under a drop policy (the core: ./egress.ts); absent, outbound is open. */
  readonly egress?: readonly BaselineRule[];
}

type Family = "ipv4" | "ipv6";

function familyOf(cidr: string): Family {
  return cidr.includes(":") ? "ipv6" : "ipv4";
}

/** nft comments are double-quoted and at most 128 bytes. */
function comment(text: string): string {
  const clean = text.replace(/["\\\n]/g, "'").slice(0, 120);
  return `comment "${clean}"`;
}

/** The match for a policy source: a prefix of 0 means the whole family. */
function sourceMatch(cidr: string): string {
  const family = familyOf(cidr);
  if (cidr.endsWith("/0")) return `meta nfproto ${family}`;
  return `${family === "ipv4" ? "ip" : "ip6"} saddr ${cidr}`;
}

function limitSetName(rule: IngressRule, family: Family): string {
  return `${rule.service}_sources_${family}`;
}

/**
 * The connection limit for a port open to everyone. An IPv6 source is counted per /64: one subscriber
 * owns a whole /64, and counting single addresses would limit nothing.
 */
function limitStatement(rule: IngressRule, limit: number): string {
  const family = familyOf(rule.source.cidr);
  const key = family === "ipv4" ? "ip saddr" : "ip6 saddr & ffff:ffff:ffff:ffff::";
  return (
    `${sourceMatch(rule.source.cidr)} tcp dport ${rule.port} ct state new ` +
    `add @${limitSetName(rule, family)} { ${key} ct count over ${limit} } reject with tcp reset`
  );
}

function isOpenToAnywhere(rule: IngressRule): boolean {
  return rule.source.kind === "anywhere";
}

function limitSets(rules: readonly IngressRule[]): string[] {
  const sets = new Map<string, Family>();
  for (const rule of rules.filter(isOpenToAnywhere)) {
    const family = familyOf(rule.source.cidr);
    sets.set(limitSetName(rule, family), family);
  }
  return [...sets.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, family]) => [
      `\tset ${name} {`,
      `\t\ttype ${family === "ipv4" ? "ipv4_addr" : "ipv6_addr"}`,
      "\t\tsize 65535",
      // No timeout: the kernel removes an element when its last connection closes.
      "\t\tflags dynamic",
      "\t}",
      "",
    ]);
}

/**
 * The admin networks live in one interval set per family, so that they can be replaced in one
 * transaction without reloading the ruleset: on AWS a relay keeps them in step with its instance's tags
 * (admin-sync.ts), which is how a changed admin address reaches a relay that no longer admits the
 * operator's new address over SSH; elsewhere the operator's recovery command adds an element.
 */
export function adminSetName(family: "ipv4" | "ipv6"): string {
  return `admin_${family}`;
}

function adminRules(rules: readonly IngressRule[]): Map<Family, IngressRule[]> {
  const byFamily = new Map<Family, IngressRule[]>();
  for (const rule of rules.filter((r) => r.source.kind === "admin")) {
    const family = familyOf(rule.source.cidr);
    byFamily.set(family, [...(byFamily.get(family) ?? []), rule]);
  }
  return byFamily;
}

function adminSets(rules: readonly IngressRule[]): string[] {
  return [...adminRules(rules).entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([family, list]) => [
      `\tset ${adminSetName(family)} {`,
      `\t\ttype ${family === "ipv4" ? "ipv4_addr" : "ipv6_addr"}`,
      "\t\tflags interval",
      // Overlapping admin networks are one range to the kernel: nft refuses overlapping intervals otherwise.
      "\t\tauto-merge",
      `\t\telements = { ${list.map((r) => r.source.cidr).join(", ")} }`,
      "\t}",
      "",
    ]);
}

function policyStatements(rules: readonly IngressRule[], limit: number): string[] {
  const lines: string[] = [];
  const admins = adminRules(rules);
  for (const rule of rules.filter((r) => r.source.kind !== "admin")) {
    if (isOpenToAnywhere(rule)) {
      lines.push(`${limitStatement(rule, limit)} ${comment(`at most ${limit} connections per source to port ${rule.port}`)}`);
    }
    lines.push(`${sourceMatch(rule.source.cidr)} tcp dport ${rule.port} accept ${comment(rule.description)}`);
  }
  for (const [family, list] of [...admins.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ports = [...new Set(list.map((r) => r.port))].sort((a, b) => a - b);
    for (const port of ports) {
      lines.push(`${family === "ipv4" ? "ip" : "ip6"} saddr @${adminSetName(family)} tcp dport ${port} accept ${comment(`SSH from the admin networks (${family})`)}`);
    }
  }
  return lines;
}

/** Renders a host ruleset from its parts (the policy rules of its role and the connection limit). */
export function renderHostRuleset(spec: HostRulesetSpec): string {
  const problem = connectionLimitProblem(spec.connectionLimit);
  if (problem !== undefined) throw new RangeError(problem);
  const table = `${NFTABLES_FAMILY} ${NFTABLES_TABLE}`;
  // The monitoring host's scrapes are admitted just before the baseline drops the metrics port for
  // everyone else; every other rule of the policy follows the baseline.
  const baseline = BASELINE_INPUT_RULES.map((r) => `${r.statement} ${comment(r.comment)}`);
  const metricsDrop = BASELINE_INPUT_RULES.findIndex((r) => r.statement === METRICS_DROP);
  const scraped = spec.rules.filter((r) => SCRAPED_SERVICES.includes(r.service));
  const input = [
    ...baseline.slice(0, metricsDrop),
    ...policyStatements(scraped, spec.connectionLimit),
    ...baseline.slice(metricsDrop),
    ...policyStatements(spec.rules.filter((r) => !scraped.includes(r)), spec.connectionLimit),
  ];
  return [
    "#!/usr/sbin/nft -f",
    `# Host firewall of ${spec.hostname} (role: ${spec.role}), ${spec.origin}.`,
    "# Generated by the stakepool kit from its pool model: do not edit, the next delivery replaces it.",
    `# Loading it replaces the table ${table} in one transaction and leaves every other table alone.`,
    "",
    "# Declared first so that the delete below also succeeds on a host that does not have the table yet.",
    `table ${table}`,
    `delete table ${table}`,
    "",
    `table ${table} {`,
    ...BASELINE_SETS,
    ...limitSets(spec.rules),
    ...adminSets(spec.rules),
    "\tchain input {",
    "\t\ttype filter hook input priority filter; policy drop;",
    ...input.map((line) => `\t\t${line}`),
    "\t}",
    "",
    "\t# A pool host routes nothing.",
    "\tchain forward {",
    "\t\ttype filter hook forward priority filter; policy drop;",
    "\t}",
    "",
    ...(spec.egress === undefined
      ? [
          "\t# Outbound is open: peers, package mirrors, time, the chain's bootstrap.",
          "\tchain output {",
          "\t\ttype filter hook output priority filter; policy accept;",
          "\t}",
        ]
      : [
          "\t# Outbound only where something on this host needs it (components/firewall/egress.ts).",
          "\tchain output {",
          "\t\ttype filter hook output priority filter; policy drop;",
          ...spec.egress.map((r) => `\t\t${r.statement} ${comment(r.comment)}`),
          "\t}",
        ]),
    "}",
    "",
  ].join("\n");
}

/**
 * The nftables ruleset of one host of the pool, from the one firewall policy: the core admits the node
 * and SSH from its relays only; a relay admits the node from anywhere (at most `relayConnectionLimit`
 * connections per source) and SSH from the admin CIDRs; the node's metrics and node_exporter
 * from the monitoring host only (when the pool has one); the monitoring host admits SSH from the relays only.
 */
export function renderNftables(model: PoolModel, host: HostSpec, options: NftablesOptions = DEFAULT_NFTABLES_OPTIONS): string {
  return renderHostRuleset({
    hostname: hostname(model, host),
    role: host.role,
    origin: `stake pool stack ${model.stack} on ${model.network.name}`,
    rules: hostRules(firewallPolicy(model), host),
    connectionLimit: options.relayConnectionLimit,
    ...(egressRules(model, host) === undefined ? {} : { egress: egressRules(model, host) }),
  });
}
