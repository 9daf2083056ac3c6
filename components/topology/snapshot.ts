/**
 * Reads a big-ledger peer snapshot (the file `cardano-cli latest query ledger-peer-snapshot` writes, and
 * the one each node release ships) into the pools and relays the kit may choose community peers from.
 *
 * The same file is delivered to every relay as its `peerSnapshotFile`, so it is first checked by the
 * node's own rules (../node/rules/peer-snapshot.ts): only the current format (NodeToClientVersion 23),
 * the pool's network magic, a block point at or after the network's `useLedgerAfterSlot`. A file the
 * node would refuse is a problem on `stakepool:peerSnapshotFile`.
 *
 * A relay the node would read but the kit will not write into a topology (an SRV name, a port the node
 * would wrap, an address nobody can reach) is skipped and listed, so the plan can say why a pool is
 * missing: the snapshot is on-chain data written by strangers, not the operator's mistake.
 */
import { fullKey } from "../config/settings";
import { Findings } from "../config/problems";
import type { NetworkProfile } from "../networks/networks";
import { decodePeerSnapshot, refusalsFor, type SnapshotRelay } from "../node/rules/peer-snapshot";
import { jsonNestingDepth, MAX_SNAPSHOT_DEPTH, sizeProblem } from "./snapshot-bounds";
import { comparePeers, notPublicReason, parseHost, quoteHost, type HostRefusal, type Peer } from "./peer";

/** The setting every snapshot problem is reported on. */
export const SNAPSHOT_SETTING = fullKey("peerSnapshotFile");

export interface SnapshotPool {
  /** Position in `bigLedgerPools`: the only name a snapshot gives a pool. */
  readonly index: number;
  /** The pool's share of the total active stake, as the ledger reported it. */
  readonly relativeStake: number;
  /** Usable relays: canonical, deduplicated, sorted. May be empty when every relay was skipped. */
  readonly relays: readonly Peer[];
}

/**
 * Why a relay was skipped, in kinds a reviewer can count: an SRV name, a port the kit will not write,
 * a host that is malformed, an IP in a non-canonical spelling, a name the public DNS does not answer,
 * or an address nobody on the Internet reaches.
 */
export type SkipKind = "srv" | "port" | HostRefusal | "not-public";

/** How the plan names each kind of skipped relay (singular, plural). */
export const SKIP_KIND_NAMES: Readonly<Record<SkipKind, readonly [string, string]>> = {
  srv: ["SRV name (no port)", "SRV names (no port)"],
  port: ["port that is not a TCP port", "ports that are not TCP ports"],
  malformed: ["malformed host", "malformed hosts"],
  numeric: ["IP address in a non-canonical spelling", "IP addresses in non-canonical spellings"],
  internal: ["internal or non-public name", "internal or non-public names"],
  "not-public": ["address nobody on the Internet reaches", "addresses nobody on the Internet reaches"],
};

/**
 * One sentence for the plan: how many relays of the snapshot were skipped, grouped by kind (most first,
 * then in the order of SKIP_KIND_NAMES), e.g. "20 relays of the snapshot skipped: 18 SRV names (no port),
 * 2 addresses nobody on the Internet reaches."
 */
export function skippedSummary(skipped: readonly { readonly kind: SkipKind }[]): string {
  if (skipped.length === 0) return "No relay of the snapshot skipped.";
  const order = Object.keys(SKIP_KIND_NAMES) as SkipKind[];
  const counts = new Map<SkipKind, number>();
  for (const s of skipped) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  const groups = [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || order.indexOf(a) - order.indexOf(b))
    .map(([kind, n]) => `${n} ${SKIP_KIND_NAMES[kind][n === 1 ? 0 : 1]}`);
  return `${skipped.length} ${skipped.length === 1 ? "relay" : "relays"} of the snapshot skipped: ${groups.join(", ")}.`;
}

export interface SkippedRelay {
  /** e.g. `bigLedgerPools[1].relays[0]`. */
  readonly where: string;
  /** The relay as the snapshot wrote it (strangers' text: quote it with `quoteHost` before showing it). */
  readonly relay: string;
  readonly kind: SkipKind;
  readonly reason: string;
}

export interface PeerSnapshot {
  readonly networkMagic: number;
  /** The slot of the ledger state the snapshot was taken from. */
  readonly slot: number;
  readonly pools: readonly SnapshotPool[];
  readonly skipped: readonly SkippedRelay[];
}

export interface SnapshotInput {
  readonly text: string;
  /** How the operator would recognise the file in a message, e.g. its path. */
  readonly source: string;
  /** The pool's network: its magic and the `useLedgerAfterSlot` the relays' topologies carry. */
  readonly network: NetworkProfile;
}

export interface SnapshotParse {
  readonly snapshot: PeerSnapshot | undefined;
  readonly findings: Findings;
}

/** The fix for a file that is not a usable snapshot of the pool's network. */
export function snapshotFix(network: string): string {
  const magic = network === "mainnet" ? "--mainnet" : `--testnet-magic <${network}'s magic>`;
  return (
    `write a fresh snapshot on a synced ${network} node with \`cardano-cli latest query ledger-peer-snapshot ${magic} ` +
    "--socket-path <node.socket> --out-file peer-snapshot.json` and " +
    `\`pulumi config set ${SNAPSHOT_SETTING} peer-snapshot.json\`, or use the kit's bundled one: \`pulumi config rm ${SNAPSHOT_SETTING}\``
  );
}

/**
 * Why the kit will not write a relay the node reads from the snapshot, or the peer to keep. The host is
 * strangers' text: only a canonical IP address the Internet routes, or a DNS name with a public suffix,
 * reaches a topology (see `parseHost`, `notPublicReason`).
 */
function usable(relay: SnapshotRelay & { readonly portWraps?: number }): { peer: Peer } | { kind: SkipKind; reason: string } {
  if (relay.kind === "srv") return { kind: "srv", reason: "an SRV name (no port): the kit writes only access points with a port" };
  if (relay.portWraps !== undefined) return { kind: "port", reason: `port ${relay.portWraps} is not a TCP port; the node would read it as ${relay.port}` };
  if (relay.port === 0) return { kind: "port", reason: "port 0 is not a TCP port" };
  const parsed = parseHost(relay.address);
  if (!parsed.ok) return { kind: parsed.refusal, reason: parsed.message };
  const unreachable = notPublicReason(parsed);
  if (unreachable !== undefined) return { kind: "not-public", reason: `${quoteHost(parsed.address)} ${unreachable}: nobody on the Internet reaches it` };
  return { peer: { address: parsed.address, port: relay.port } };
}

/**
 * Parses and checks snapshot text for the pool's network. Problems (on `stakepool:peerSnapshotFile`) for
 * anything the node would fail to read or refuse to use. Deterministic: pools keep the file's order,
 * relays are sorted.
 */
export function parseSnapshot({ text, source, network }: SnapshotInput): SnapshotParse {
  const findings = new Findings();
  const fix = snapshotFix(network.name);
  if (jsonNestingDepth(text, MAX_SNAPSHOT_DEPTH) > MAX_SNAPSHOT_DEPTH) {
    findings.problem(SNAPSHOT_SETTING, `${source} nests deeper than ${MAX_SNAPSHOT_DEPTH} levels; a peer snapshot nests 5 deep`, fix);
    return { snapshot: undefined, findings };
  }
  const decoded = decodePeerSnapshot(text);
  if (!decoded.ok) {
    for (const error of decoded.errors) findings.problem(SNAPSHOT_SETTING, `${source}: ${error}`, fix);
    return { snapshot: undefined, findings };
  }
  const refusals = refusalsFor(decoded.snapshot, { networkMagic: network.magic, useLedgerAfterSlot: network.useLedgerAfterSlot });
  for (const refusal of refusals) findings.problem(SNAPSHOT_SETTING, `${source} ${refusal}`, fix);
  const tooBig = sizeProblem(decoded.snapshot.pools.length, decoded.snapshot.pools.reduce((n, pool) => n + pool.relays.length, 0));
  if (tooBig !== undefined) findings.problem(SNAPSHOT_SETTING, `${source} ${tooBig}`, fix);
  const { point } = decoded.snapshot;
  if (refusals.length > 0 || tooBig !== undefined || point === "origin") return { snapshot: undefined, findings };

  const skipped: SkippedRelay[] = [];
  const pools = decoded.snapshot.pools.map((pool, index): SnapshotPool => {
    const relays = new Map<string, Peer>();
    pool.relays.forEach((relay, r) => {
      const verdict = usable(relay);
      if ("reason" in verdict) skipped.push({ where: `bigLedgerPools[${index}].relays[${r}]`, relay: relay.written, kind: verdict.kind, reason: verdict.reason });
      else relays.set(`${verdict.peer.address} ${verdict.peer.port}`, verdict.peer);
    });
    return { index, relativeStake: Math.min(pool.relativeStake, 1), relays: [...relays.values()].sort(comparePeers) };
  });
  return { snapshot: { networkMagic: decoded.snapshot.networkMagic, slot: point.slot, pools, skipped }, findings };
}
