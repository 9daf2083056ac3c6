/**
 * Extra peers the operator pins (`stakepool:extraPeers`): friends' relays, a second site. Written into
 * every relay's topology next to the community peers. A typo here would make a node dial nowhere (or
 * itself) forever, so each entry is checked and a wrong one is reported with the fix.
 *
 * The operator's text is held to the same spelling rules as a stranger's snapshot (`parseHost`): IP
 * addresses only in their canonical spelling, and DNS names only when the public DNS answers them. One
 * difference, on purpose: a private address is accepted (a peer over a VPN or VPC peering is a real
 * choice, and a fixed address means the same thing on every relay), while a private NAME is not: what
 * `relay.vpn.internal` or `instance-data` reaches depends on the resolver of the host that looks it up
 * (on EC2, `instance-data` and `*.internal` are the cloud's own services), which the kit neither
 * configures nor sees. Such a peer is pinned by its address instead.
 */
import { fullKey } from "../config/settings";
import { Findings } from "../config/problems";
import { comparePeers, isValidPort, parseHost, peerKey, quoteHost, type Peer } from "./peer";

export const EXTRA_PEERS_SETTING = fullKey("extraPeers");

/** A pinned peer and the first position it was given at, for messages about it later. */
export interface ExtraPeer extends Peer {
  readonly index: number;
}

export interface ExtraPeersParse {
  /** Valid, deduplicated, sorted by address then port. */
  readonly peers: readonly ExtraPeer[];
  readonly findings: Findings;
}

/**
 * Address ranges that never name another node: this machine, nobody, everybody, a link-local
 * neighbour, or a range reserved for documentation and future use. Private ranges are allowed: a
 * peer over a VPN or VPC peering is a real choice.
 */
const REFUSED_RANGES: Readonly<Record<string, string>> = {
  unspecified: "means no address at all (the node refuses 0.0.0.0 and ::)",
  loopback: "is the relay itself (loopback)",
  broadcast: "is the broadcast address",
  multicast: "is a multicast address",
  linkLocal: "is link-local: it names no host beyond the relay's own network link",
  reserved: "is reserved (documentation or future use): nothing answers there",
};

function setting(index: number): string {
  return `${EXTRA_PEERS_SETTING}[${index}]`;
}

function fixFor(index: number, example: string): string {
  return `pulumi config set --path '${setting(index)}' ${example}`;
}

type SplitResult = { ok: true; host: string; portText: string } | { ok: false; message: string; example: string };

/** Splits "host:port" or "[ipv6]:port"; says what is missing when the text has another shape. */
function splitHostPort(text: string): SplitResult {
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) {
      const inner = text.slice(1);
      const last = inner.lastIndexOf(":");
      const guess = last < 0 ? `[${inner}]:3001` : `[${inner.slice(0, last)}]:${inner.slice(last + 1) || "3001"}`;
      return { ok: false, message: `${quoteHost(text)} opens "[" but never closes it`, example: `'${guess}'` };
    }
    const host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest === "") return { ok: false, message: `${quoteHost(text)} has no port (write [address]:port)`, example: `'[${host}]:3001'` };
    if (!rest.startsWith(":")) return { ok: false, message: `${quoteHost(text)}: expected ":port" after "]"`, example: `'[${host}]:3001'` };
    return { ok: true, host, portText: rest.slice(1) };
  }
  const colons = text.split(":").length - 1;
  if (colons === 0) return { ok: false, message: `${quoteHost(text)} has no port (write host:port; the port is required)`, example: `${text}:3001` };
  if (colons > 1) {
    const last = text.lastIndexOf(":");
    return {
      ok: false,
      message: `${quoteHost(text)} looks like an IPv6 address without brackets (write [address]:port)`,
      example: `'[${text.slice(0, last)}]:${text.slice(last + 1) || "3001"}'`,
    };
  }
  const [host, portText] = text.split(":") as [string, string];
  return { ok: true, host, portText };
}

/** Checks one entry; returns the peer, or the problem's message and a corrected example. */
export function parseExtraPeer(text: string): { ok: true; peer: Peer } | { ok: false; message: string; example: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: "is empty", example: "relay.example.org:3001" };
  const split = splitHostPort(trimmed);
  if (!split.ok) return split;
  const { host, portText } = split;
  const hostExample = host.includes(":") ? `[${host}]` : host;
  if (!/^[0-9]+$/.test(portText)) {
    return { ok: false, message: `${quoteHost(trimmed)}: port ${quoteHost(portText)} is not a number`, example: `'${hostExample}:3001'` };
  }
  const port = Number(portText);
  if (!isValidPort(port)) {
    return { ok: false, message: `${quoteHost(trimmed)}: port ${portText} is outside 1-65535`, example: `'${hostExample}:3001'` };
  }
  const parsed = parseHost(host);
  if (!parsed.ok) {
    const advice = parsed.refusal === "internal" ? "; pin a peer you reach privately by its IP address" : "";
    return { ok: false, message: `${quoteHost(trimmed)}: ${parsed.message}${advice}`, example: `relay.example.org:${port}` };
  }
  const refused = parsed.range === undefined ? undefined : REFUSED_RANGES[parsed.range];
  if (refused) return { ok: false, message: `${quoteHost(trimmed)}: ${parsed.address} ${refused}`, example: `relay.example.org:${port}` };
  return { ok: true, peer: { address: parsed.address, port } };
}

/**
 * Checks every entry of `stakepool:extraPeers` ("host:port", IPv6 as "[address]:port"). Each wrong
 * entry is a problem on `stakepool:extraPeers[i]` with a `pulumi config set --path` fix; a repeated
 * entry (same address and port once canonical) is a warning and counts once. The result is sorted,
 * so reordering the setting changes no topology.
 */
export function parseExtraPeers(values: readonly string[]): ExtraPeersParse {
  const findings = new Findings();
  const byKey = new Map<string, ExtraPeer>();
  values.forEach((value, index) => {
    const parsed = parseExtraPeer(value);
    if (!parsed.ok) {
      findings.problem(setting(index), parsed.message, fixFor(index, parsed.example));
      return;
    }
    const key = peerKey(parsed.peer);
    const first = byKey.get(key);
    if (first) {
      findings.warn(setting(index), `${key} repeats ${setting(first.index)}; it is written once`);
      return;
    }
    byKey.set(key, { ...parsed.peer, index });
  });
  return { peers: [...byKey.values()].sort(comparePeers), findings };
}
