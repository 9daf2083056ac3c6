/**
 * Peers as a topology file names them: a host (IP address or DNS name) and a port. Every module of the
 * topology concern speaks in these, so a peer read from a snapshot, pinned by the operator or chosen
 * by the selection compares equal whenever it is the same access point.
 */
import ipaddr from "ipaddr.js";

/** An access point with a port: the only kind the kit writes (a portless one is an SRV name). */
export interface Peer {
  /** Canonical text: an IP in ipaddr.js's canonical form, or a lower-case DNS name without trailing dot. */
  readonly address: string;
  readonly port: number;
}

export type HostKind = "ipv4" | "ipv6" | "dns";

export type HostParse =
  | { readonly ok: true; readonly kind: HostKind; readonly address: string; readonly range?: string }
  | { readonly ok: false; readonly message: string };

/** RFC 1123 limits: the whole name (without the trailing dot) ≤ 253 bytes, each label 1–63. */
const MAX_DNS_NAME_BYTES = 253;
const MAX_DNS_LABEL_BYTES = 63;

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * Canonical form of an IP address, or undefined for anything that is not one. IPv4 must be written
 * in four decimal parts: ipaddr.js also accepts forms like "10.1" or "0x7f.1", which nobody means.
 * An IPv4-mapped IPv6 address becomes the IPv4 address it maps, so both spellings deduplicate.
 */
export function canonicalIp(text: string): { kind: "ipv4" | "ipv6"; address: string; range: string } | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    const v4 = ipaddr.IPv4.parse(text);
    return { kind: "ipv4", address: v4.toString(), range: v4.range() };
  }
  if (!text.includes(":") || !ipaddr.IPv6.isValid(text)) return undefined;
  const v6 = ipaddr.IPv6.parse(text);
  if (v6.isIPv4MappedAddress()) {
    const v4 = v6.toIPv4Address();
    return { kind: "ipv4", address: v4.toString(), range: v4.range() };
  }
  return { kind: "ipv6", address: v6.toString(), range: v6.range() };
}

/**
 * Checks a DNS host name against RFC 1123 (letters, digits, hyphens; labels 1–63 bytes, not starting
 * or ending with a hyphen; ≤ 253 bytes) and returns it lower-cased without a trailing dot. A name
 * whose last label is all digits is refused: it is a mistyped IP address, not a name.
 */
function checkDnsName(text: string): HostParse {
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  if (name.length === 0) return { ok: false, message: "the host is empty" };
  if (Buffer.byteLength(name, "utf8") > MAX_DNS_NAME_BYTES) {
    return { ok: false, message: `the DNS name is longer than ${MAX_DNS_NAME_BYTES} bytes` };
  }
  const lower = name.toLowerCase();
  const labels = lower.split(".");
  for (const label of labels) {
    if (label.length === 0) return { ok: false, message: `${JSON.stringify(text)} has an empty label (two dots in a row)` };
    if (label.length > MAX_DNS_LABEL_BYTES) {
      return { ok: false, message: `${JSON.stringify(text)} has a label longer than ${MAX_DNS_LABEL_BYTES} bytes` };
    }
    if (!LABEL.test(label)) {
      return {
        ok: false,
        message: `${JSON.stringify(text)} is not a DNS host name (labels use letters, digits and inner hyphens only)`,
      };
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) {
    return { ok: false, message: `${JSON.stringify(text)} is neither an IP address (write all four parts) nor a DNS name` };
  }
  if (lower === "localhost" || lower.endsWith(".localhost")) {
    return { ok: false, message: `${JSON.stringify(text)} is this machine itself (loopback)` };
  }
  return { ok: true, kind: "dns", address: lower };
}

/** An IP or a DNS name, in canonical text. Says nothing yet about whether the address is reachable. */
export function parseHost(text: string): HostParse {
  const ip = canonicalIp(text);
  if (ip) return { ok: true, kind: ip.kind, address: ip.address, range: ip.range };
  if (text.includes(":")) return { ok: false, message: `${JSON.stringify(text)} is not a valid IPv6 address` };
  return checkDnsName(text);
}

/**
 * The text an address is compared by, for lists the kit is handed rather than parses (exclusions):
 * canonical for an IP, lower case without trailing dot for anything else.
 */
export function canonicalHost(text: string): string {
  const trimmed = text.trim();
  const ip = canonicalIp(trimmed);
  if (ip) return ip.address;
  const lower = trimmed.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** One text per access point: the key peers are deduplicated, excluded and hashed by. */
export function peerKey(peer: Peer): string {
  return peer.address.includes(":") ? `[${peer.address}]:${peer.port}` : `${peer.address}:${peer.port}`;
}

/** Address, then port: the order every peer list in a topology file is written in. */
export function comparePeers(a: Peer, b: Peer): number {
  if (a.address !== b.address) return a.address < b.address ? -1 : 1;
  return a.port - b.port;
}
