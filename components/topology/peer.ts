/**
 * Peers as a topology file names them: a host (IP address or DNS name) and a port. Every module of the
 * topology concern speaks in these, so a peer read from a snapshot, pinned by the operator or chosen
 * by the selection compares equal whenever it is the same access point.
 *
 * A host is accepted only in a spelling every reader agrees on, because the text is judged here and
 * resolved elsewhere (by the node's resolver, by getaddrinfo in a tool): one canonical spelling per IP
 * address, and DNS names that the public DNS answers. Anything else is refused with a kind, so the plan
 * can count what a snapshot (strangers' text) lost and why.
 */
import ipaddr from "ipaddr.js";
import { parse as parseDomainName } from "tldts";

/** An access point with a port: the only kind the kit writes (a portless one is an SRV name). */
export interface Peer {
  /** Canonical text: an IP in ipaddr.js's canonical form, or a lower-case DNS name without trailing dot. */
  readonly address: string;
  readonly port: number;
}

export type HostKind = "ipv4" | "ipv6" | "dns";

/**
 * Why a host text is refused:
 * - `malformed`: neither an IP address nor a DNS host name;
 * - `numeric`: an IP address in a spelling other than the canonical one (hex, octal, short forms,
 *   leading zeros, a zone, an IPv4-compatible IPv6), or a name whose last label is a number;
 * - `internal`: a name the public DNS does not answer (one label, no public suffix, a special-use name).
 */
export type HostRefusal = "malformed" | "numeric" | "internal";

export type HostParse =
  | { readonly ok: true; readonly kind: HostKind; readonly address: string; readonly range?: string }
  | { readonly ok: false; readonly refusal: HostRefusal; readonly message: string };

/** RFC 1123 limits: the whole name (without the trailing dot) ≤ 253 bytes, each label 1–63. */
const MAX_DNS_NAME_BYTES = 253;
const MAX_DNS_LABEL_BYTES = 63;

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** How much of a stranger's text a message quotes. */
const MAX_QUOTED_CHARS = 64;

/**
 * A host as a message may show it: JSON-quoted, everything outside printable ASCII escaped (no control
 * characters, bidi overrides or zero-width characters reach a terminal or plan.md), and cut short.
 */
export function quoteHost(text: string): string {
  const cut = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
  const quoted = JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (c) => (c === "…" ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  return text.length > MAX_QUOTED_CHARS ? `${quoted} (${text.length} characters)` : quoted;
}

/**
 * The only global unicast IPv6 space allocated today (IANA "IPv6 Global Unicast Address Assignments";
 * RFC 4291 2.4): anything outside it is unassigned or special, whatever ipaddr.js calls it.
 */
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3") as [ipaddr.IPv6, number];

/**
 * The text before an embedded dotted quad must spell the IPv4-mapped prefix (0:0:0:0:0:ffff). ipaddr.js
 * reads the IPv4-compatible form `::a.b.c.d` (deprecated, RFC 4291 2.5.5.1) as if it were mapped, which
 * would rewrite `::8.8.8.8` (the IPv6 address ::808:808) into 8.8.8.8: such text is refused instead.
 */
function isMappedSpelling(text: string): boolean {
  const last = text.lastIndexOf(":");
  const head = `${text.slice(0, last + 1)}0:0`;
  if (!ipaddr.IPv4.isValidFourPartDecimal(text.slice(last + 1)) || !ipaddr.IPv6.isValid(head)) return false;
  const parts = ipaddr.IPv6.parse(head).parts;
  return parts.slice(0, 5).every((p) => p === 0) && parts[5] === 0xffff;
}

/**
 * Canonical form of an IP address, or undefined for anything that is not one in a canonical-enough
 * spelling. IPv4 must be written in four decimal parts without leading zeros: ipaddr.js (and inet_aton)
 * also accept "10.1", "0x7f.1" or "010.0.0.1", which readers disagree on (octal or decimal). IPv6 may be
 * written any valid way and comes back canonical, but never with a zone (`%eth0`) or an embedded IPv4
 * other than the mapped form. An IPv4-mapped IPv6 address becomes the IPv4 address it maps, so both
 * spellings deduplicate and are judged by the same ranges.
 */
export function canonicalIp(text: string): { kind: "ipv4" | "ipv6"; address: string; range: string } | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    const v4 = ipaddr.IPv4.parse(text);
    return { kind: "ipv4", address: v4.toString(), range: v4.range() };
  }
  if (!text.includes(":") || text.includes("%") || !ipaddr.IPv6.isValid(text)) return undefined;
  if (text.includes(".") && !isMappedSpelling(text)) return undefined;
  const v6 = ipaddr.IPv6.parse(text);
  if (v6.isIPv4MappedAddress()) {
    const v4 = v6.toIPv4Address();
    return { kind: "ipv4", address: v4.toString(), range: v4.range() };
  }
  return { kind: "ipv6", address: v6.toString(), range: v6.range() };
}

/**
 * Why nobody on the Internet reaches this (canonical) IP address, or undefined when it is public:
 * IPv4 outside every special range ipaddr.js knows (private, loopback, link-local, CGNAT, multicast,
 * reserved and documentation, benchmarking, AS112, AMT), IPv6 inside 2000::/3 and outside its special
 * blocks (documentation, Teredo, 6to4, ORCHID, benchmarking, …).
 */
export function notPublicReason(ip: { kind: HostKind; address: string; range?: string }): string | undefined {
  if (ip.kind === "dns") return undefined;
  if (ip.range !== "unicast") return `is a ${ip.range ?? "special"} address`;
  if (ip.kind === "ipv6" && !ipaddr.IPv6.parse(ip.address).match(IPV6_GLOBAL_UNICAST)) return "is outside the global unicast space 2000::/3";
  return undefined;
}

/** RFC 6761 6.5: applications must not treat the example names specially; they resolve in the public DNS. */
const DOCUMENTATION_DOMAINS = ["example.com", "example.net", "example.org"];

function isUnder(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

/**
 * Whether the public DNS answers a (syntactically valid, lower-case) name, decided from the Public Suffix
 * List (tldts, pinned): the name must end in a suffix of the list's ICANN section (so an unknown top-level
 * domain, which only the list's default rule "*" matches, is refused: `.internal`, `.lan`, `.corp`,
 * `.home`) and have a label of its own below it (a bare suffix like `co.uk` names nobody). Special-use
 * names (IANA registry, RFC 6761: `.localhost`, `.local` (mDNS), `.test`, `.invalid`, `.onion`, `.alt`,
 * `home.arpa`) are never sent to the public DNS, and `.arpa` is infrastructure (RFC 3172), never a host.
 */
function publicNameProblem(name: string): string | undefined {
  const labels = name.split(".");
  if (isUnder(name, "localhost")) return "is this machine itself (loopback)";
  if (labels.length < 2) return "is a single label: only a resolver's search list could complete it, and the node's resolver has none";
  const parsed = parseDomainName(name, { allowPrivateDomains: false, detectSpecialUse: true, extractHostname: false, detectIp: false, mixedInputs: false });
  if (parsed.isSpecialUse === true && !DOCUMENTATION_DOMAINS.some((d) => isUnder(name, d))) {
    return `is a special-use name (.${parsed.publicSuffix ?? labels[labels.length - 1]}): the public DNS never answers it`;
  }
  if (isUnder(name, "arpa")) return "is under .arpa (DNS infrastructure, not a host)";
  if (parsed.isIcann !== true) return `ends in .${labels[labels.length - 1]}, which is not a public top-level domain (an internal or private name)`;
  if (parsed.domain === null) return `is itself a public suffix (${parsed.publicSuffix ?? name}): it names no host`;
  return undefined;
}

/**
 * Checks a DNS host name against RFC 1123 (letters, digits, hyphens; labels 1–63 bytes, not starting
 * or ending with a hyphen; ≤ 253 bytes) and the public DNS, and returns it lower-cased without a
 * trailing dot. A name whose last label is a number (decimal or 0x hex) is refused: it is an IP address
 * in a spelling some reader would decode (`127.1`, `010.0.0.1`, `0x7f000001`), not a name.
 */
function checkDnsName(text: string): HostParse {
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  const quoted = quoteHost(text);
  if (name.length === 0) return { ok: false, refusal: "malformed", message: "the host is empty" };
  if (Buffer.byteLength(name, "utf8") > MAX_DNS_NAME_BYTES) {
    return { ok: false, refusal: "malformed", message: `${quoted} is longer than ${MAX_DNS_NAME_BYTES} bytes (the DNS limit)` };
  }
  const lower = name.toLowerCase();
  const labels = lower.split(".");
  for (const label of labels) {
    if (label.length === 0) return { ok: false, refusal: "malformed", message: `${quoted} has an empty label (two dots in a row)` };
    if (label.length > MAX_DNS_LABEL_BYTES) {
      return { ok: false, refusal: "malformed", message: `${quoted} has a label longer than ${MAX_DNS_LABEL_BYTES} bytes` };
    }
    if (!LABEL.test(label)) {
      return { ok: false, refusal: "malformed", message: `${quoted} is not a DNS host name (labels use letters, digits and inner hyphens only)` };
    }
  }
  // inet_aton reads every part as decimal, octal (leading 0) or hex (0x): no top-level domain looks like one.
  if (/^(?:[0-9]+|0x[0-9a-f]*)$/.test(labels[labels.length - 1]!)) {
    return { ok: false, refusal: "numeric", message: `${quoted} is neither an IP address (write four decimal parts, no leading zeros) nor a DNS name` };
  }
  const problem = publicNameProblem(lower);
  if (problem !== undefined) return { ok: false, refusal: "internal", message: `${quoted} ${problem}` };
  return { ok: true, kind: "dns", address: lower };
}

/**
 * An IP or a public DNS name, in canonical text. Says nothing about whether an IP address is reachable
 * (see `notPublicReason`): the operator may pin a private address, a stranger's snapshot may not.
 */
export function parseHost(text: string): HostParse {
  const ip = canonicalIp(text);
  if (ip) return { ok: true, kind: ip.kind, address: ip.address, range: ip.range };
  if (text.includes(":")) {
    const numeric = text.includes("%") || (ipaddr.IPv6.isValid(text) && text.includes("."));
    return numeric
      ? { ok: false, refusal: "numeric", message: `${quoteHost(text)} is an IPv6 address with a zone or an embedded IPv4 other than ::ffff:a.b.c.d` }
      : { ok: false, refusal: "malformed", message: `${quoteHost(text)} is not a valid IPv6 address` };
  }
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
