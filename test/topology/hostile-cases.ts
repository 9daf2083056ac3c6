/**
 * Hostile inputs from strangers: what a peer snapshot (on-chain data, or a file someone hands over) can
 * hold. Relay cases go into one pool beside a good relay; file cases are whole files. Kept apart from the
 * test so that the same table can be run against an older kit to count what it let through.
 */
import { NETWORKS } from "../../components/networks/networks";

export type RelayExpectation = "srv" | "port" | "malformed" | "numeric" | "internal" | "not-public";

export interface RelayCase {
  readonly area: "numeric spelling" | "internal name" | "non-public address" | "malformed host" | "port";
  readonly relay: Readonly<Record<string, unknown>>;
  readonly expect: RelayExpectation;
}

const at = (address: string, port: unknown = 3001) => ({ address, port });

/** Each must be skipped (never written into a topology) with this kind of reason. */
export const HOSTILE_RELAYS: readonly RelayCase[] = [
  // IP addresses in spellings readers disagree on (inet_aton reads them; iproute and ipaddr.js differ).
  ...["0x7f000001", "0x7f.0x0.0x0.0x1", "0X7F.1", "127.1", "10.1", "010.0.0.1", "1.2.3.04", "2130706433", "017700000001", "52.14.1.2.", "0.0.0.0x1"].map(
    (address): RelayCase => ({ area: "numeric spelling", relay: at(address), expect: "numeric" }),
  ),
  ...["fe80::1%eth0", "2a01:4f8::1%25", "::127.0.0.1", "::8.8.8.8", "64:ff9b::1.2.3.4"].map(
    (address): RelayCase => ({ area: "numeric spelling", relay: at(address), expect: "numeric" }),
  ),
  // Names the public DNS does not answer: the relay's own resolver would (the cloud's services, a LAN).
  ...[
    "instance-data",
    "localhost",
    "metadata",
    "instance-data.ec2.internal",
    "ip-10-0-0-1.us-east-2.compute.internal",
    "metadata.google.internal",
    "printer.local",
    "kubernetes.default.svc.cluster.local",
    "relay.localhost",
    "router.home.arpa",
    "nas.lan",
    "relay.corp",
    "relay.home",
    "relay.intranet",
    "relay.test",
    "relay.invalid",
    "relay.onion",
    "relay.alt",
    "1.0.0.127.in-addr.arpa",
    "co.uk",
    "com",
    "relay.kawasaki.jp",
  ].map((address): RelayCase => ({ area: "internal name", relay: at(address), expect: "internal" })),
  // Canonical addresses nobody on the Internet reaches.
  ...[
    "127.0.0.1",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "224.0.0.1",
    "192.0.2.1",
    "198.51.100.7",
    "203.0.113.9",
    "198.18.0.1",
    "240.0.0.1",
    "::1",
    "::",
    "fe80::1",
    "fd12:3456::1",
    "ff02::1",
    "2001:db8::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::FFFF:169.254.169.254",
    "2002:7f00:1::1",
    "2001::1",
    "64:ff9b::7f00:1",
    "100::1",
    "4000::1",
    "fec0::1",
  ].map((address): RelayCase => ({ area: "non-public address", relay: at(address), expect: "not-public" })),
  // Text that is no host at all, including what would fool a reader of the plan or a terminal.
  ...[
    "",
    " ",
    "relay.example.org ",
    "rel ay.example.org",
    "relay_1.example.org",
    "-relay.example.org",
    "relay..example.org",
    `${"a".repeat(64)}.example.org`,
    `${"a.".repeat(130)}org`,
    "relay.example.org/path",
    "http://relay.example.org",
    "relay.example.org:3001",
    "[2a01:4f8::1]",
    "2a01:4f8::zz",
    "réläy.example.org",
    "relay\u202e.example.org",
    "relay\u200b.example.org",
    "relay\n.example.org",
    "relay\u0000.example.org",
    "\u001b[31mrelay.example.org",
    "x".repeat(1_000_000),
  ].map((address): RelayCase => ({ area: "malformed host", relay: at(address), expect: "malformed" })),
  // Ports the node would wrap, or read as an SRV name.
  { area: "port", relay: at("relay.example.org", 0), expect: "port" },
  { area: "port", relay: at("relay.example.org", 70000), expect: "port" },
  { area: "port", relay: at("relay.example.org", -1), expect: "port" },
  { area: "port", relay: at("relay.example.org", 65536), expect: "port" },
  { area: "port", relay: { address: "relay.example.org" }, expect: "srv" },
  { area: "port", relay: at("relay.example.org", "3001"), expect: "srv" },
  { area: "port", relay: at("relay.example.org", 3001.5), expect: "srv" },
  { area: "port", relay: at("relay.example.org", null), expect: "srv" },
  { area: "port", relay: at("relay.example.org", 1e300), expect: "srv" },
];

/** Good relays that must reach the topology, in the canonical form given. */
export const GOOD_RELAYS: readonly { readonly relay: Readonly<Record<string, unknown>>; readonly peer: { address: string; port: number } }[] = [
  { relay: at("relay.example.org"), peer: { address: "relay.example.org", port: 3001 } },
  { relay: at("Relay.Example.ORG."), peer: { address: "relay.example.org", port: 3001 } },
  { relay: at("relay.duckdns.org", 6000), peer: { address: "relay.duckdns.org", port: 6000 } },
  { relay: at("r1.pool.co.uk"), peer: { address: "r1.pool.co.uk", port: 3001 } },
  { relay: at("relay.xn--fiqs8s"), peer: { address: "relay.xn--fiqs8s", port: 3001 } },
  { relay: at("52.14.1.2"), peer: { address: "52.14.1.2", port: 3001 } },
  { relay: at("::ffff:52.14.1.2"), peer: { address: "52.14.1.2", port: 3001 } },
  { relay: at("2A01:04F8:0:0::1"), peer: { address: "2a01:4f8::1", port: 3001 } },
];

export const HASH = "1a7f1af3e52ba8810247f7c82431113a61c2efc5435a8fe6f76c5ae6618cc92a";
export const GOOD_SLOT = NETWORKS.mainnet.useLedgerAfterSlot + 1;

export function pool(relays: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { accumulatedStake: 0.01, relativeStake: 0.01, relays, ...extra };
}

/** A current-format mainnet snapshot with these pools (and any top-level field replaced). */
export function snapshotWith(pools: unknown, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    NetworkMagic: NETWORKS.mainnet.magic,
    NodeToClientVersion: 23,
    Point: { blockPointHash: HASH, blockPointSlot: GOOD_SLOT },
    bigLedgerPools: pools,
    ...fields,
  });
}

export interface FileCase {
  readonly name: string;
  /** The file's bytes, or what else to put at the path (a FIFO, a device, a folder, nothing). */
  readonly content: Buffer | string | { readonly special: "fifo" | "dev-zero" | "folder" | "missing" };
  /** A fragment of the problem on stakepool:peerSnapshotFile. */
  readonly refused: string | RegExp;
}

/** The text with one byte replaced: the byte at `offset` into the first `marker`. */
function withByte(text: string, marker: string, offset: number, byte: number): Buffer {
  const bytes = Buffer.from(text, "utf8");
  bytes[bytes.indexOf(marker) + offset] = byte;
  return bytes;
}

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const manyPools = (n: number) => snapshotWith(Array.from({ length: n }, (_, i) => pool([at(`r${i}.pool.org`)])));

/** Whole files the kit must refuse on stakepool:peerSnapshotFile, never crash or hang on. */
export const HOSTILE_FILES: readonly FileCase[] = [
  { name: "not JSON", content: "ed25519_sk1notasnapshot", refused: "is not JSON" },
  { name: "empty", content: "", refused: "is not JSON" },
  { name: "a byte-order mark before the JSON", content: `\ufeff${snapshotWith([pool([at("relay.example.org")])])}`, refused: "is not JSON" },
  { name: "invalid UTF-8 inside a host", content: withByte(snapshotWith([pool([at("relay.example.org")])]), "relay.example", 6, 0xff), refused: "is not UTF-8 text" },
  { name: "a JSON list", content: "[]", refused: "a list, not a peer snapshot object" },
  { name: "null", content: "null", refused: "null, not a peer snapshot object" },
  { name: "8 million nested lists", content: nested(8_000_000), refused: "nests deeper than 32 levels" },
  { name: "33 levels nested in an extra field", content: snapshotWith([pool([at("relay.example.org")])], { extra: JSON.parse(nested(33)) as unknown }), refused: "nests deeper than 32 levels" },
  { name: "a file one byte over the bound", content: Buffer.alloc(16 * 1024 * 1024 + 1, 0x20), refused: "a peer snapshot is at most" },
  { name: "/dev/zero", content: { special: "dev-zero" }, refused: "is not a regular file" },
  { name: "a FIFO nobody writes", content: { special: "fifo" }, refused: "is not a regular file" },
  { name: "a folder", content: { special: "folder" }, refused: "is a folder" },
  { name: "a missing file", content: { special: "missing" }, refused: "does not exist" },
  { name: "10,001 pools", content: manyPools(10_001), refused: "lists 10001 pools; the kit reads at most 10000" },
  { name: "50,001 relays", content: snapshotWith(Array.from({ length: 5 }, (_, p) => pool(Array.from({ length: 10_001 }, (_, i) => at(`r${i}.p${p}.org`))))), refused: "lists 50005 relays" },
  { name: "the legacy relay shape", content: snapshotWith([pool([{ domain: "relay.example.org", port: 3001 }])]), refused: 'has "domain" instead of "address"' },
  { name: "an address that is a number", content: snapshotWith([pool([{ address: 2130706433, port: 3001 }])]), refused: "address is number 2130706433, not text" },
  { name: "an empty relay list", content: snapshotWith([pool([])]), refused: "relays is empty" },
  { name: "pools that are not a list", content: snapshotWith({ length: 1 }), refused: "bigLedgerPools is an object" },
  { name: "a stake of 1e999 (Infinity)", content: snapshotWith([pool([at("relay.example.org")])]).replace('"relativeStake":0.01', '"relativeStake":1e999'), refused: "relativeStake is number Infinity, not a share of stake" },
  { name: "a negative stake", content: snapshotWith([pool([at("relay.example.org")], { relativeStake: -1 })]), refused: "relativeStake is number -1" },
  { name: "another network's magic", content: snapshotWith([pool([at("relay.example.org")])], { NetworkMagic: 1 }), refused: "network magic 1, but the node runs with magic 764824073" },
  { name: "a magic above 32 bits", content: snapshotWith([pool([at("relay.example.org")])], { NetworkMagic: 2 ** 40 }), refused: "NetworkMagic is number" },
  { name: "the legacy format", content: JSON.stringify({ version: 1, slotNo: GOOD_SLOT, bigLedgerPools: [] }), refused: "legacy version-1 snapshot" },
  { name: "an unknown version", content: snapshotWith([pool([at("relay.example.org")])], { NodeToClientVersion: 99 }), refused: "has version 99" },
  { name: "the GenesisPoint", content: snapshotWith([pool([at("relay.example.org")])], { Point: "origin" }), refused: "GenesisPoint" },
  { name: "a slot before useLedgerAfterSlot", content: snapshotWith([pool([at("relay.example.org")])], { Point: { blockPointHash: HASH, blockPointSlot: 1 } }), refused: "LedgerPeerSnapshotTooOld" },
  { name: "a hash that is not hex", content: snapshotWith([pool([at("relay.example.org")])], { Point: { blockPointHash: "<script>", blockPointSlot: GOOD_SLOT } }), refused: "Point.blockPointHash" },
  { name: "a thousand malformed pools", content: snapshotWith(Array.from({ length: 1000 }, () => pool([{}]))), refused: "more errors of the same kind" },
];

/** A file at the bounds that must be read, within time and memory: 10,000 pools. */
export const LARGEST_ACCEPTED = manyPools(10_000);
