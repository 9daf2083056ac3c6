/**
 * The pool model: one plain, cloud-neutral description of the whole pool, from which every rendering
 * (host firewalls, topologies, units, the node's settings, the registration, the plan) is derived by pure
 * functions. A backend (../backends) decides where the hosts are and fills in what it knows of them: their
 * addresses, sizes, how the kit logs in, where the chain database lives. Nothing here names a cloud.
 */
import type { NetworkProfile } from "../networks/networks";

/** A pool host runs the node (the core, a relay); the monitoring host watches them and runs no node. */
export type HostRole = "core" | "relay" | "monitor";
/** The roles that run cardano-node. */
export type NodeRole = Exclude<HostRole, "monitor">;

/** Where a host keeps its chain database. */
export type DataDisk =
  /** A volume the host finds through an instance tag that holds its id (an EBS volume, read over IMDSv2). */
  | { readonly kind: "tagged-volume"; readonly tag: string }
  /** A disk of the operator's server, by a name that stays the same across boots (`/dev/disk/by-id/…`). */
  | { readonly kind: "device"; readonly path: string }
  /** A folder on the root disk. */
  | { readonly kind: "folder" };

/** How the kit logs in to a host: a user with passwordless sudo, on this SSH port. */
export interface Login {
  readonly user: string;
  readonly port: number;
}

export interface HostSpec {
  /** "core" and "relay-<n>" on AWS; the operator's names on own servers. Identity: never renamed. */
  readonly name: string;
  readonly role: HostRole;
  /** 0 for the core and the monitoring host; 1, 2, … for the relays in order. */
  readonly relayNumber: number;
  /** The IPv4 address the pool's other hosts reach it at (topologies, firewalls). */
  readonly privateIp: string;
  /** Whether the host has an IPv6 route to the Internet. */
  readonly ipv6: boolean;
  /** The host's memory and chain-database disk, as known (a cloud's instance type) or declared (an operator). */
  readonly memoryGiB: number;
  readonly dataDiskGiB: number;
  readonly login: Login;
  readonly dataDisk: DataDisk;
  /** The time server the host keeps time from, or undefined for the distribution's own pool. */
  readonly timeServer: string | undefined;
  /** The admin networks reach the host's firewall from its instance tags as well as by delivery (an AWS relay). */
  readonly adminSync: boolean;
}

export interface PoolModel {
  readonly stack: string;
  readonly network: NetworkProfile;
  readonly core: HostSpec;
  readonly relays: readonly HostSpec[];
  /** The monitoring host, when the pool has one: Prometheus, Alertmanager, Grafana; no node. */
  readonly monitor: HostSpec | undefined;
  /** The core, then the relays in order, then the monitoring host when there is one. */
  readonly hosts: readonly HostSpec[];
  /** Canonical, deduplicated and sorted. */
  readonly adminCidrs: readonly string[];
  /**
   * The operator's SSH public key, installed as the login user's only authorized key on every host; or
   * undefined to leave the servers' authorized keys as the operator keeps them.
   */
  readonly authorizedKey: string | undefined;
  /** Mainnet: chain data and published addresses are protected from deletion. */
  readonly protect: boolean;
  /** Concurrent connections one source may hold to a relay's node port (host firewall). */
  readonly relayConnectionLimit: number;
  /** Where the pool runs, in words (an AWS region): seeds the peer draw when nothing else identifies the pool. */
  readonly location: string;
  /**
   * The core runs a Mithril signer that reaches its aggregator only through a forward proxy on the first
   * relay (and the second, a standby, when there is one): each proxy admits the core alone.
   */
  readonly mithrilSigner: boolean;
}

/** A host's name as the operator sees it: `<stack>-<host>` (its system host name). */
export function hostname(model: PoolModel, host: HostSpec): string {
  return `${model.stack}-${host.name}`;
}

/** The pool's model from its hosts in any order: the core first, then the relays by number. */
export function poolOf(fields: Omit<PoolModel, "core" | "relays" | "monitor" | "hosts">, hosts: readonly HostSpec[]): PoolModel {
  const core = hosts.find((h) => h.role === "core");
  if (core === undefined) throw new Error("a pool has a core");
  const relays = hosts.filter((h) => h.role === "relay").sort((a, b) => a.relayNumber - b.relayNumber);
  const monitors = hosts.filter((h) => h.role === "monitor");
  if (monitors.length > 1) throw new Error("a pool has at most one monitoring host");
  const monitor = monitors[0];
  return { ...fields, core, relays, monitor, hosts: [core, ...relays, ...(monitor ? [monitor] : [])] };
}

/** Whether the host runs cardano-node (the core and the relays; not the monitoring host). */
export function runsNode(host: HostSpec): host is HostSpec & { readonly role: NodeRole } {
  return host.role !== "monitor";
}

/** The hosts that run cardano-node: the core, then the relays in order. */
export function nodeHosts(model: Pick<PoolModel, "core" | "relays">): HostSpec[] {
  return [model.core, ...model.relays];
}

/** At most two Mithril proxies: the first relay, and the second for redundancy when there is one (issue 16). */
export const MAX_MITHRIL_PROXY_RELAYS = 2;

/** The relays that run the Mithril signer's forward proxy (none when the pool runs no signer). */
export function mithrilProxyRelays(model: Pick<PoolModel, "relays" | "mithrilSigner">): HostSpec[] {
  return model.mithrilSigner ? model.relays.slice(0, MAX_MITHRIL_PROXY_RELAYS) : [];
}
