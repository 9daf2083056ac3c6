/** CIDR parsing and arithmetic on top of ipaddr.js. */
import ipaddr from "ipaddr.js";

export interface Cidr {
  readonly family: "ipv4" | "ipv6";
  /** The network address, in canonical text form. */
  readonly address: string;
  readonly prefix: number;
  /** `address/prefix`. */
  readonly text: string;
}

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; message: string; suggestion?: string };

/**
 * Parses a CIDR. A bare address, or one with host bits set, is refused with a suggestion, because
 * silently widening or narrowing a firewall source is worse than asking.
 */
export function parseCidr(text: string): CidrParse {
  const trimmed = text.trim();
  if (!trimmed.includes("/")) {
    if (ipaddr.isValid(trimmed)) {
      const addr = ipaddr.parse(trimmed);
      const bits = addr.kind() === "ipv4" ? 32 : 128;
      return { ok: false, message: `${JSON.stringify(text)} is an address, not a CIDR`, suggestion: `${addr.toString()}/${bits}` };
    }
    return { ok: false, message: `${JSON.stringify(text)} is not a CIDR (expected a form like 203.0.113.0/24)` };
  }
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(trimmed);
  } catch {
    return { ok: false, message: `${JSON.stringify(text)} is not a CIDR (expected a form like 203.0.113.0/24)` };
  }
  const [addr, prefix] = parsed;
  const family = addr.kind();
  if (family === "ipv4" && !ipaddr.IPv4.isValidFourPartDecimal(trimmed.split("/")[0]!)) {
    return { ok: false, message: `${JSON.stringify(text)} is not a CIDR (write all four parts of the address)` };
  }
  const network =
    family === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${addr.toString()}/${prefix}`);
  const canonical = `${network.toString()}/${prefix}`;
  if (network.toString() !== addr.toString()) {
    const host = `${addr.toString()}/${family === "ipv4" ? 32 : 128}`;
    return {
      ok: false,
      message: `${JSON.stringify(text)} has host bits set`,
      suggestion: `${canonical} for the whole network, or ${host} for the one host`,
    };
  }
  return { ok: true, cidr: { family, address: network.toString(), prefix, text: canonical } };
}

export function ipv4ToInt(address: string): number {
  return ipaddr.IPv4.parse(address).toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);
}

export function intToIpv4(value: number): string {
  const bytes = [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256);
  return bytes.join(".");
}

/** The `index`-th block of size `/newPrefix` inside an IPv4 CIDR. */
export function ipv4Subnet(parent: Cidr, newPrefix: number, index: number): string {
  const base = ipv4ToInt(parent.address);
  const size = 2 ** (32 - newPrefix);
  return `${intToIpv4(base + index * size)}/${newPrefix}`;
}

/** The address at `offset` from the start of an IPv4 CIDR. */
export function ipv4HostAt(cidrText: string, offset: number): string {
  const [address] = cidrText.split("/");
  return intToIpv4(ipv4ToInt(address!) + offset);
}

export function cidrContains(cidrText: string, address: string): boolean {
  const addr = ipaddr.parse(address);
  const [net, prefix] = ipaddr.parseCIDR(cidrText);
  return addr.kind() === net.kind() && addr.match(net, prefix);
}

/** RFC 1918 private IPv4 ranges. */
export function isPrivateIpv4Range(cidr: Cidr): boolean {
  if (cidr.family !== "ipv4") return false;
  const addr = ipaddr.IPv4.parse(cidr.address);
  return addr.range() === "private";
}

/** Stable text for use inside resource names: 203.0.113.0/24 becomes 203-0-113-0-24. */
export function cidrSlug(cidrText: string): string {
  return cidrText.replace(/[^0-9a-fA-F]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
}
