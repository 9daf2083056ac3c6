/**
 * What a list of CIDRs covers, whatever its spelling: each range as an interval of addresses, and the
 * size of their union per address family (overlaps counted once). `0.0.0.0/1` and `128.0.0.0/1`
 * together cover exactly what `0.0.0.0/0` covers.
 */
import ipaddr from "ipaddr.js";
import type { Cidr } from "../config/cidr";

export type Family = Cidr["family"];

export interface AddressInterval {
  readonly family: Family;
  /** First address, as a number. */
  readonly first: bigint;
  /** One past the last address. */
  readonly end: bigint;
}

const BITS: Readonly<Record<Family, number>> = { ipv4: 32, ipv6: 128 };

export function intervalOf(cidr: Cidr): AddressInterval {
  const bytes = ipaddr.parse(cidr.address).toByteArray();
  const first = bytes.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
  return { family: cidr.family, first, end: first + (1n << BigInt(BITS[cidr.family] - cidr.prefix)) };
}

/** Whether `inner` lies wholly inside `outer` (same family). */
export function isInside(inner: Cidr, outer: Cidr): boolean {
  if (inner.family !== outer.family) return false;
  const a = intervalOf(inner);
  const b = intervalOf(outer);
  return a.first >= b.first && a.end <= b.end;
}

/** Whether `a` and `b` share an address. Aligned CIDRs either nest or are disjoint. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return isInside(a, b) || isInside(b, a);
}

/** The number of addresses the union of `cidrs` covers, per family. */
export function coverage(cidrs: readonly Cidr[]): Readonly<Record<Family, bigint>> {
  const total: Record<Family, bigint> = { ipv4: 0n, ipv6: 0n };
  for (const family of ["ipv4", "ipv6"] as const) {
    const intervals = cidrs.filter((c) => c.family === family).map(intervalOf).sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
    let reached = 0n;
    let started = false;
    for (const { first, end } of intervals) {
      if (!started || first >= reached) {
        total[family] += end - first;
        reached = end;
        started = true;
      } else if (end > reached) {
        total[family] += end - reached;
        reached = end;
      }
    }
  }
  return total;
}

/** A count of addresses for people: 65,536; 4,294,967,296 (all of IPv4); 2^80. */
export function describeCount(count: bigint, family: Family): string {
  if (count === 1n << BigInt(BITS[family])) return `every ${family === "ipv4" ? "IPv4" : "IPv6"} address`;
  if (count >= 1n << 48n) {
    const exponent = count.toString(2).length - 1;
    if (count === 1n << BigInt(exponent)) return `2^${exponent} addresses`;
    return `more than 2^${exponent} addresses`;
  }
  return `${count.toLocaleString("en-US")} address${count === 1n ? "" : "es"}`;
}
