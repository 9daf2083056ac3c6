/**
 * The operator's own servers (`stakepool:servers`, a mapping in the stack file), checked before anything
 * is delivered: one `core` and `relay-1` … `relay-N`, each with the address the other hosts reach it at,
 * how the kit logs in (a user with passwordless sudo, never root; a port), the server's SSH host key
 * (deliveries accept no other), its memory and chain-database disk as the operator declares them, and
 * where the chain database lives (a disk by its stable name, or a folder on the root disk).
 *
 * A relay's public address is what the operator's machine connects to and what the pool registers on
 * chain; the core has none: it is reached through relay-1 and never published.
 */
import ipaddr from "ipaddr.js";
import { Findings } from "../../config/problems";
import { fullKey } from "../../config/settings";
import { singleQuote } from "../../config/shell";
import { checkHostKey } from "../../config/ssh-key";
import { relayDnsNameError } from "../../metadata/relay-dns";
import type { HostRole } from "../../model/pool";
import { HARDWARE_FLOOR, type NetworkProfile } from "../../networks/networks";
import { canonicalIp, notPublicReason } from "../../topology/peer";

/** The most relays a pool has (the same bound as `stakepool:relays`). */
export const MAX_SSH_RELAYS = 20;
const SETTING = fullKey("servers");
const FIELDS = ["address", "publicAddress", "sshUser", "sshPort", "hostKey", "memoryGiB", "dataDiskGiB", "dataDevice"] as const;
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
  readonly relayNumber: number;
  /** The IPv4 address the pool's other hosts reach it at (and the operator, through relay-1, for the core). */
  readonly address: string;
  /** A relay's public IPv4 address or DNS name: the operator connects to it, and the pool registers it. */
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

/** Orders core, relay-1, relay-2, … (numerically). */
function byRole(a: string, b: string): number {
  const n = (s: string) => (s === "core" ? 0 : Number(/^relay-(\d+)$/.exec(s)?.[1] ?? 1e9));
  return n(a) - n(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function checkServers(raw: unknown, options: InventoryOptions): { servers: SshServer[] | undefined; findings: Findings } {
  const findings = new Findings();
  const example = `pulumi config set --path ${singleQuote(`${SETTING}.relay-1.address`)} 10.0.0.11`;
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    findings.problem(SETTING, "must list the pool's servers: core and relay-1 … relay-N, each a mapping of its settings", example);
    return { servers: undefined, findings };
  }
  const names = Object.keys(raw).sort(byRole);
  const relayNumbers: number[] = [];
  for (const name of names) {
    const relay = /^relay-([1-9]\d{0,1})$/.exec(name);
    if (name === "core") continue;
    if (relay) relayNumbers.push(Number(relay[1]));
    else findings.problem(`${SETTING}.${name}`, `is not a host name of the kit: the servers are named core and relay-1 … relay-${MAX_SSH_RELAYS}`, `pulumi config rm --path ${singleQuote(`${SETTING}.${name}`)}`);
  }
  if (!names.includes("core")) findings.problem(SETTING, "has no core: one server must be named core (the block producer)", `pulumi config set --path ${singleQuote(`${SETTING}.core.address`)} 10.0.0.10`);
  if (relayNumbers.length === 0) findings.problem(SETTING, "has no relay: a pool needs relay-1 at least (the core never talks to the network directly)", example);
  const missing = relayNumbers.length === 0 ? [] : Array.from({ length: Math.max(...relayNumbers) }, (_, i) => i + 1).filter((n) => !relayNumbers.includes(n));
  if (missing.length > 0) findings.problem(SETTING, `numbers its relays with gaps: relay-${missing.join(", relay-")} missing (relays are relay-1 … relay-N)`, "rename the relays so that they count from relay-1 without gaps");
  if (relayNumbers.length > MAX_SSH_RELAYS) findings.problem(SETTING, `lists ${relayNumbers.length} relays; the kit deploys at most ${MAX_SSH_RELAYS}`, "remove the extra relays");

  const servers: SshServer[] = [];
  for (const name of names.filter((n) => n === "core" || /^relay-([1-9]\d{0,1})$/.test(n))) {
    const server = checkServer(name, raw[name], options, findings);
    if (server) servers.push(server);
  }

  // Two entries for one machine would put a relay and the core (or two relays) on one server.
  for (const field of ["address", "publicAddress"] as const) {
    const seen = new Map<string, string>();
    for (const s of servers) {
      const value = s[field]?.toLowerCase();
      if (value === undefined) continue;
      const other = seen.get(value);
      if (other) findings.problem(`${SETTING}.${s.name}.${field}`, `is ${value}, the same as ${other}'s: every host of the pool is a server of its own`, `give ${s.name} the ${field} of its own server`);
      else seen.set(value, s.name);
    }
  }
  return { servers: findings.problems.length === 0 ? servers : undefined, findings };
}

function checkServer(name: string, value: unknown, options: InventoryOptions, findings: Findings): SshServer | undefined {
  const at = (field: Field | "") => (field === "" ? `${SETTING}.${name}` : `${SETTING}.${name}.${field}`);
  const set = (field: Field, example: string) => `pulumi config set --path ${singleQuote(at(field))} ${example}`;
  const role: HostRole = name === "core" ? "core" : "relay";
  if (!isRecord(value)) {
    findings.problem(at(""), "must be a mapping of the server's settings (address, sshUser, hostKey, memoryGiB, dataDiskGiB, …)", set("address", "10.0.0.11"));
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

  const address = text("address");
  let privateAddress: string | undefined;
  if (address === undefined || address === "") {
    if (address === "" || value.address === undefined) findings.problem(at("address"), "is required: the IPv4 address the pool's other hosts reach this server at", set("address", "10.0.0.11"));
  } else {
    const ip = canonicalIp(address);
    if (ip?.kind !== "ipv4") findings.problem(at("address"), `${JSON.stringify(address)} is not an IPv4 address (the host firewalls and topologies name hosts by IPv4)`, set("address", "10.0.0.11"));
    else if (["unspecified", "loopback", "multicast", "broadcast", "linkLocal"].includes(ip.range)) findings.problem(at("address"), `${address} is a ${ip.range} address, which no other host reaches`, set("address", "10.0.0.11"));
    else {
      privateAddress = ip.address;
      documentation("address", ip.address);
    }
  }

  const publicText = text("publicAddress");
  let publicAddress: string | undefined;
  if (role === "core") {
    if (publicText !== undefined) findings.problem(at("publicAddress"), "is set on the core: the core is reached through relay-1 and is never published", `pulumi config rm --path ${singleQuote(at("publicAddress"))}`);
  } else if (publicText === undefined || publicText === "") {
    findings.problem(at("publicAddress"), "is required on a relay: its public IPv4 address or DNS name, which the operator connects to and the pool registers", set("publicAddress", "203.0.113.11"));
  } else {
    const ip = canonicalIp(publicText);
    const reason = ip ? (ip.kind === "ipv6" ? "is an IPv6 address; the kit registers and firewalls relays by IPv4 or DNS name" : notPublicReason(ip)) : relayDnsNameError(publicText);
    const documentary = isDocumentation(publicText);
    if (reason !== undefined && !documentary) findings.problem(at("publicAddress"), `${JSON.stringify(publicText)} ${reason}`, set("publicAddress", "203.0.113.11"));
    else {
      publicAddress = ip ? ip.address : publicText.replace(/\.$/, "").toLowerCase();
      documentation("publicAddress", publicAddress);
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
  const scan = `"$(ssh-keyscan -t ed25519 ${publicAddress ?? privateAddress ?? "<address>"} | cut -d' ' -f2-)" (then compare its fingerprint with the server's console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)`;
  if (keyText === undefined || keyText === "") findings.problem(at("hostKey"), "is required: the server's SSH host key; deliveries accept no other", set("hostKey", scan));
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
  if (memoryGiB !== undefined) below("memoryGiB", "memory", memoryGiB, HARDWARE_FLOOR.memoryGiB, rec.memoryGiB);
  if (dataDiskGiB !== undefined) below("dataDiskGiB", "disk for the chain database", dataDiskGiB, HARDWARE_FLOOR.dataDiskGiB, rec.dataDiskGiB);

  const device = text("dataDevice");
  if (device !== undefined && !STABLE_DEVICE.test(device)) {
    findings.problem(
      at("dataDevice"),
      `${JSON.stringify(device)} is not a disk's stable name; /dev/sdX and /dev/nvmeXnY can name another disk after a reboot`,
      set("dataDevice", "/dev/disk/by-id/<the disk's name> (ls -l /dev/disk/by-id on the server)"),
    );
  } else if (device === undefined) {
    findings.warn(at("dataDevice"), `is not set: the chain database lives in a folder on ${name}'s root disk, whose size is yours to watch`);
  }

  if (findings.problems.length > before || !privateAddress || !user || !port || !hostKey || !memoryGiB || !dataDiskGiB) return undefined;
  return {
    name,
    role,
    relayNumber: role === "core" ? 0 : Number(name.slice("relay-".length)),
    address: privateAddress,
    publicAddress,
    sshUser: user,
    sshPort: port,
    hostKey,
    memoryGiB,
    dataDiskGiB,
    dataDevice: device,
  };
}
