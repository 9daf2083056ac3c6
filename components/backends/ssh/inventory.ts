/**
 * The operator's own servers (`stakepool:servers`, a list in the stack file), checked before anything is
 * delivered: exactly one core and 1 to 20 relays (numbered in the order listed), each with a name, the
 * address the kit connects to over SSH (the core's through the first relay, as on AWS), the address the
 * pool's other hosts reach it at (`privateAddress`, default `address`), what a relay registers on chain
 * (`publicAddress`, default `address`), how the kit logs in (a user with passwordless sudo, never root;
 * a port), the server's SSH host key (deliveries accept no other), its memory and chain-database disk as
 * the operator declares them, and where the chain database lives (a disk by its stable name, or a folder
 * on the root disk). With monitoring, one more server has role `monitor`: reached like the core (through
 * the first relay, at the address the relays use), never published, its metrics on its root disk.
 */
import ipaddr from "ipaddr.js";
import { Findings } from "../../config/problems";
import { fullKey } from "../../config/settings";
import { singleQuote } from "../../config/shell";
import { checkHostKey } from "../../config/ssh-key";
import { relayDnsNameError } from "../../metadata/relay-dns";
import type { HostRole } from "../../model/pool";
import { HARDWARE_FLOOR, type NetworkProfile } from "../../networks/networks";

/** The monitoring host's floor: Prometheus, Alertmanager and Grafana fit in 2 GiB; 90 days of metrics in a few GB. */
export const MONITOR_FLOOR = { memoryGiB: 2, diskGiB: 10 } as const;
import { canonicalIp, notPublicReason, parseHost } from "../../topology/peer";

/** The most relays a pool has (the same bound as `stakepool:relays`). */
export const MAX_SSH_RELAYS = 20;
/** A host name: part of resource names, plan paths and `<stack>-<name>` host names. */
export const SERVER_NAME = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;
const SETTING = fullKey("servers");
const FIELDS = ["name", "role", "address", "privateAddress", "publicAddress", "sshUser", "sshPort", "hostKey", "memoryGiB", "dataDiskGiB", "dataDevice"] as const;
type Field = (typeof FIELDS)[number];
/** A POSIX login name as Debian's adduser takes it. */
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
/** Disk names udev keeps across boots and kernels; /dev/sdb or /dev/nvme1n1 may name another disk after a reboot. */
const STABLE_DEVICE = /^\/dev\/disk\/by-id\/[A-Za-z0-9._:+@-]+$/;
/** RFC 5737 documentation networks and RFC 2606/6761 names: fine in an example, never a real server. */
const DOCUMENTATION_V4 = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"].map((c) => ipaddr.IPv4.parseCIDR(c));
const DOCUMENTATION_NAMES = /(^|\.)(example\.(com|net|org)|example|invalid|test|localhost)$/i;

export interface SshServer {
  readonly name: string;
  readonly role: HostRole;
  /** 0 for the core and the monitoring host; 1, 2, … for the relays in the order listed. */
  readonly relayNumber: number;
  /** Where the kit connects over SSH (for the core and the monitoring host: from the first relay). */
  readonly address: string;
  /** The IPv4 address the pool's other hosts reach it at (topologies, host firewalls). */
  readonly privateAddress: string;
  /** A relay's public IPv4 address or DNS name, registered on chain; undefined for the core and the monitoring host. */
  readonly publicAddress: string | undefined;
  readonly sshUser: string;
  readonly sshPort: number;
  /** `type base64`, without a comment. */
  readonly hostKey: string;
  readonly memoryGiB: number;
  readonly dataDiskGiB: number;
  /** `/dev/disk/by-id/…`, or undefined for a folder on the root disk. */
  readonly dataDevice: string | undefined;
}

export interface InventoryOptions {
  readonly network: NetworkProfile;
  readonly allowBelowRecommended: boolean;
  /** A real `pulumi up`: documentation addresses (an example stack's) are refused, not warned about. */
  readonly deploying: boolean;
}

function isDocumentation(address: string): boolean {
  const ip = canonicalIp(address);
  if (ip?.kind === "ipv4") return DOCUMENTATION_V4.some((cidr) => ipaddr.IPv4.parse(ip.address).match(cidr));
  return ip === undefined && DOCUMENTATION_NAMES.test(address.replace(/\.$/, ""));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function checkServers(raw: unknown, options: InventoryOptions): { servers: SshServer[] | undefined; findings: Findings } {
  const findings = new Findings();
  const example = `pulumi config set --path ${singleQuote(`${SETTING}[0].name`)} core`;
  if (!Array.isArray(raw) || raw.length === 0) {
    findings.problem(SETTING, "must list the pool's servers: one with role core and at least one with role relay, each a mapping of its settings", example);
    return { servers: undefined, findings };
  }
  const servers: Array<SshServer & { readonly index: number }> = [];
  let relayNumber = 0;
  raw.forEach((entry: unknown, index) => {
    const relay = isRecord(entry) && entry.role === "relay";
    const server = checkServer(index, entry, relay ? (relayNumber += 1) : 0, options, findings);
    if (server) servers.push({ ...server, index });
  });
  const roles = raw.map((entry: unknown) => (isRecord(entry) ? entry.role : undefined));
  const cores = roles.filter((r) => r === "core").length;
  const relays = roles.filter((r) => r === "relay").length;
  const monitors = roles.filter((r) => r === "monitor").length;
  if (monitors > 1) findings.problem(SETTING, `has ${monitors} servers with role monitor; a pool has one monitoring host`, "keep one, and remove the others");
  if (cores === 0) findings.problem(SETTING, "has no core: one server must have role core (the block producer)", `pulumi config set --path ${singleQuote(`${SETTING}[0].role`)} core`);
  if (cores > 1) findings.problem(SETTING, `has ${cores} servers with role core; a pool has exactly one block producer`, "give the others role relay, or remove them");
  if (relays === 0) findings.problem(SETTING, "has no relay: a pool needs at least one (the core never talks to the network directly)", `add a server with role relay: pulumi config set --path ${singleQuote(`${SETTING}[1].role`)} relay`);
  if (relays > MAX_SSH_RELAYS) findings.problem(SETTING, `lists ${relays} relays; the kit deploys at most ${MAX_SSH_RELAYS}`, "remove the extra relays");

  // Two entries for one machine would put a relay and the core (or two relays) on one server.
  for (const field of ["name", "address", "privateAddress", "publicAddress"] as const) {
    const seen = new Map<string, string>();
    for (const s of servers) {
      const value = s[field]?.toLowerCase();
      if (value === undefined) continue;
      const other = seen.get(value);
      const at = `${SETTING}[${s.index}].${field}`;
      if (other) findings.problem(at, `is ${value}, the same as ${other}'s: every host of the pool is a server of its own, with a name of its own`, `give ${s.name} its own ${field}`);
      else seen.set(value, s.name);
    }
  }
  // The core first, then the relays in the order listed.
  const rank = (s: SshServer) => (s.role === "monitor" ? MAX_SSH_RELAYS + 1 : s.relayNumber);
  const ordered = servers.map(({ index: _index, ...server }): SshServer => server).sort((a, b) => rank(a) - rank(b));
  return { servers: findings.problems.length === 0 ? ordered : undefined, findings };
}

function checkServer(index: number, value: unknown, relayNumber: number, options: InventoryOptions, findings: Findings): SshServer | undefined {
  const at = (field: Field | "") => (field === "" ? `${SETTING}[${index}]` : `${SETTING}[${index}].${field}`);
  const set = (field: Field, example: string) => `pulumi config set --path ${singleQuote(at(field))} ${example}`;
  if (!isRecord(value)) {
    findings.problem(at(""), "must be a mapping of the server's settings (name, role, address, sshUser, hostKey, memoryGiB, dataDiskGiB, …)", set("name", "relay-1"));
    return undefined;
  }
  const before = findings.problems.length;
  for (const key of Object.keys(value).sort()) {
    if ((FIELDS as readonly string[]).includes(key)) continue;
    const guess = FIELDS.find((f) => f.toLowerCase() === key.toLowerCase());
    findings.problem(`${at("")}.${key}`, "is not a setting of a server", guess ? `did you mean ${guess}?` : `remove it; a server's settings are ${FIELDS.join(", ")}`);
  }
  const text = (field: Field): string | undefined => {
    const v = value[field];
    if (v === undefined) return undefined;
    if (typeof v !== "string") {
      findings.problem(at(field), `must be text (got ${JSON.stringify(v)})`, set(field, "'…'"));
      return undefined;
    }
    return v.trim();
  };
  const number = (field: Field, fallback?: number): number | undefined => {
    const v = value[field] ?? fallback;
    const n = typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n <= 0) {
      findings.problem(at(field), v === undefined ? "is required but not set" : `must be a whole number (got ${JSON.stringify(v)})`, set(field, field === "sshPort" ? "22" : "16"));
      return undefined;
    }
    return n;
  };
  const documentation = (field: Field, address: string) => {
    if (!isDocumentation(address)) return;
    const message = `${address} is a documentation address (an example's), not a server`;
    if (options.deploying) findings.problem(at(field), `${message}; pulumi up would connect to whoever holds it`, set(field, "<the server's address>"));
    else findings.warn(at(field), `${message}: fine in a plan, refused by pulumi up`);
  };

  const name = text("name");
  if (name === undefined || name === "") findings.problem(at("name"), "is required: the host's name in the plan, its resources and its host name", set("name", "relay-1"));
  else if (!SERVER_NAME.test(name)) findings.problem(at("name"), `${JSON.stringify(name)} is not a host name: 2 to 20 lower-case letters, digits and hyphens, starting with a letter`, set("name", "relay-1"));
  const roleText = value.role;
  const role: HostRole | undefined = roleText === "core" || roleText === "relay" || roleText === "monitor" ? roleText : undefined;
  if (role === undefined) findings.problem(at("role"), roleText === undefined ? "is required: core, relay or monitor" : `must be core, relay or monitor (got ${JSON.stringify(roleText)})`, set("role", "relay"));
  const behindRelay = role === "core" || role === "monitor";

  // The addresses: where the kit connects, where the other hosts reach the server, what a relay registers.
  const ipv4 = (field: "address" | "privateAddress", required: boolean): string | undefined => {
    const given = text(field);
    if (given === undefined || given === "") {
      if (required) findings.problem(at(field), "is required: the server's IPv4 address", set(field, "10.0.0.11"));
      return undefined;
    }
    const ip = canonicalIp(given);
    if (ip?.kind !== "ipv4") findings.problem(at(field), `${JSON.stringify(given)} is not an IPv4 address (the host firewalls and topologies name hosts by IPv4)`, set(field, "10.0.0.11"));
    else if (["unspecified", "loopback", "multicast", "broadcast", "linkLocal"].includes(ip.range)) findings.problem(at(field), `${given} is a ${ip.range} address, which no other host reaches`, set(field, "10.0.0.11"));
    else {
      documentation(field, ip.address);
      return ip.address;
    }
    return undefined;
  };
  const address = ipv4("address", true);
  const privateAddress = value.privateAddress === undefined ? address : ipv4("privateAddress", false);
  if (behindRelay && value.privateAddress !== undefined && privateAddress !== undefined && privateAddress !== address) {
    // The kit reaches the core (and the monitoring host) through the first relay: at the address the relays use.
    findings.problem(at("privateAddress"), `differs from the ${role}'s address (${address ?? "?"}); the kit reaches the ${role} through the first relay, at the address the relays use`, `pulumi config rm --path ${singleQuote(at("privateAddress"))} and set address to the address the relays reach the ${role} at`);
  }

  let publicAddress: string | undefined;
  if (behindRelay) {
    if (value.publicAddress !== undefined) findings.problem(at("publicAddress"), `is set on the ${role}: the ${role} is reached through the first relay and is never published`, `pulumi config rm --path ${singleQuote(at("publicAddress"))}`);
  } else if (role === "relay") {
    const given = text("publicAddress") ?? address;
    const field: Field = value.publicAddress === undefined ? "address" : "publicAddress";
    if (given !== undefined && given !== "") {
      const ip = canonicalIp(given);
      // A name must be registrable (relay-dns.ts) and answered by the public DNS: the same rule as for
      // every peer the kit writes into a topology (../../topology/peer.ts parseHost).
      const why = ip ? (ip.kind === "ipv6" ? "is an IPv6 address; the kit registers and firewalls relays by IPv4 or DNS name" : notPublicReason(ip)) : relayDnsNameError(given);
      const parsed = ip || why !== undefined ? undefined : parseHost(given);
      const problem = why !== undefined ? `${JSON.stringify(given)} ${why}` : parsed?.ok === false ? parsed.message : undefined;
      if (problem !== undefined && !isDocumentation(given)) {
        findings.problem(at(field), `${problem}: a relay registers the address the Internet reaches it at`, `${set("publicAddress", "203.0.113.11")} (its public IPv4 address or DNS name)`);
      } else {
        publicAddress = ip ? ip.address : given.replace(/\.$/, "").toLowerCase();
        if (field === "publicAddress") documentation("publicAddress", publicAddress);
      }
    }
  }

  const user = text("sshUser");
  if (user === undefined || user === "") findings.problem(at("sshUser"), "is required: the user the kit logs in as, with passwordless sudo", set("sshUser", "ubuntu"));
  else if (user === "root") findings.problem(at("sshUser"), "is root; the kit logs in as a user with passwordless sudo and turns root logins off", set("sshUser", "ubuntu"));
  else if (!USER_NAME.test(user)) findings.problem(at("sshUser"), `${JSON.stringify(user)} is not a login name (lower-case letters, digits, _ and -)`, set("sshUser", "ubuntu"));

  const port = number("sshPort", 22);
  if (port !== undefined && port > 65535) findings.problem(at("sshPort"), `${port} is not a TCP port`, set("sshPort", "22"));

  const keyText = text("hostKey");
  let hostKey: string | undefined;
  const scan = `"$(ssh-keyscan -t ed25519 ${address ?? "<address>"} | cut -d' ' -f2-)" (then compare its fingerprint with the server's console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)`;
  if (keyText === undefined || keyText === "") findings.problem(at("hostKey"), "is required: the server's SSH host key; nothing is sent to a server the kit cannot verify", set("hostKey", scan));
  else {
    const checked = checkHostKey(keyText);
    if (checked.ok) hostKey = checked.key;
    else findings.problem(at("hostKey"), checked.message, set("hostKey", scan));
  }

  const memoryGiB = number("memoryGiB");
  const dataDiskGiB = number("dataDiskGiB");
  const rec = options.network.recommended;
  const below = (field: Field, what: string, have: number, floor: number, recommended: number) => {
    if (have < floor) findings.problem(at(field), `${have} GiB of ${what} is below the floor of ${floor} GiB for any pool host`, "use a larger server");
    else if (have < recommended) {
      const message = `${have} GiB of ${what} is below the ${recommended} GiB recommended on ${options.network.name}`;
      if (options.network.name === "mainnet" && !options.allowBelowRecommended) {
        findings.problem(at(field), `${message}; a mainnet node needs that much`, `use a larger server (or, knowingly, pulumi config set ${fullKey("allowBelowRecommended")} true)`);
      } else findings.warn(at(field), message);
    }
  };
  const device = text("dataDevice");
  if (role === "monitor") {
    // Prometheus's few GB live on the root disk; dataDiskGiB is that disk's size.
    if (memoryGiB !== undefined && memoryGiB < MONITOR_FLOOR.memoryGiB) findings.problem(at("memoryGiB"), `${memoryGiB} GiB of memory is below the monitoring host's floor of ${MONITOR_FLOOR.memoryGiB} GiB (Prometheus, Alertmanager and Grafana)`, "use a larger server");
    if (dataDiskGiB !== undefined && dataDiskGiB < MONITOR_FLOOR.diskGiB) findings.problem(at("dataDiskGiB"), `${dataDiskGiB} GiB of disk is below the monitoring host's floor of ${MONITOR_FLOOR.diskGiB} GiB (90 days of metrics)`, "use a larger disk");
    if (device !== undefined) findings.problem(at("dataDevice"), "is set on the monitoring host, which keeps its metrics on its root disk and has no chain database", `pulumi config rm --path ${singleQuote(at("dataDevice"))}`);
  } else {
    if (memoryGiB !== undefined) below("memoryGiB", "memory", memoryGiB, HARDWARE_FLOOR.memoryGiB, rec.memoryGiB);
    if (dataDiskGiB !== undefined) below("dataDiskGiB", "disk for the chain database", dataDiskGiB, HARDWARE_FLOOR.dataDiskGiB, rec.dataDiskGiB);
  }

  if (role !== "monitor" && device !== undefined && !STABLE_DEVICE.test(device)) {
    findings.problem(
      at("dataDevice"),
      `${JSON.stringify(device)} is not a disk's stable name; /dev/sdX and /dev/nvmeXnY can name another disk after a reboot`,
      set("dataDevice", "/dev/disk/by-id/<the disk's name> (ls -l /dev/disk/by-id on the server)"),
    );
  } else if (role !== "monitor" && device === undefined && name) {
    findings.warn(at("dataDevice"), `is not set: the chain database lives in a folder on ${name}'s root disk, whose size is yours to watch`);
  }

  if (findings.problems.length > before || !name || !role || !address || !privateAddress || !user || !port || !hostKey || !memoryGiB || !dataDiskGiB) return undefined;
  if (role === "relay" && publicAddress === undefined) return undefined;
  return { name, role, relayNumber, address, privateAddress, publicAddress, sshUser: user, sshPort: port, hostKey, memoryGiB, dataDiskGiB, dataDevice: role === "monitor" ? undefined : device };
}
