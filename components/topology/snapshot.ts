/**
 * Reads a big-ledger peer snapshot (the file `cardano-cli query ledger-peer-snapshot` writes, and the
 * one each node release ships) into the pools and relays the kit may choose community peers from.
 *
 * Two versions of the format exist and both are read:
 * - newer (mainnet's): `{NetworkMagic, NodeToClientVersion, Point, bigLedgerPools}`, each relay
 *   `{address, port?}`, `address` an IP or a DNS name, no port meaning an SRV name;
 * - older (`"version": 1`, preprod's and preview's): `{version, slotNo, bigLedgerPools}`, each relay
 *   `{address, port}` for an IP or `{domain, port}` for a DNS name.
 *
 * A file that is not a snapshot is a problem. A relay that is well formed but that the kit will not
 * write into a topology (an SRV name, an address nobody can reach, port 0) is skipped and listed, so
 * the plan can say why a pool is missing: the snapshot is on-chain data, not the operator's mistake.
 */
import { fullKey } from "../config/settings";
import { Findings } from "../config/problems";
import { comparePeers, isValidPort, parseHost, type Peer } from "./peer";

/** The setting every snapshot problem is reported on. */
export const SNAPSHOT_SETTING = fullKey("peerSnapshotFile");

/** More shape problems than this are summed up in one: a file that is not a snapshot fails everywhere. */
const MAX_SHAPE_PROBLEMS = 5;

export type SnapshotFormat = "network-magic" | "version-1";

export interface SnapshotPool {
  /** Position in `bigLedgerPools`: the only name a snapshot gives a pool. */
  readonly index: number;
  /** The pool's share of the total active stake, as the ledger reported it. */
  readonly relativeStake: number;
  /** Usable relays: canonical, deduplicated, sorted. May be empty when every relay was skipped. */
  readonly relays: readonly Peer[];
}

export interface SkippedRelay {
  /** e.g. `bigLedgerPools[1].relays[0]`. */
  readonly where: string;
  /** The relay as the snapshot wrote it. */
  readonly relay: string;
  readonly reason: string;
}

export interface PeerSnapshot {
  readonly format: SnapshotFormat;
  /** Absent from version-1 files, which cannot be checked against the pool's network. */
  readonly networkMagic: number | undefined;
  /** The slot of the ledger state the snapshot was taken from, when the file says it. */
  readonly slot: number | undefined;
  readonly pools: readonly SnapshotPool[];
  readonly skipped: readonly SkippedRelay[];
}

export interface SnapshotInput {
  readonly text: string;
  /** How the operator would recognise the file in a message, e.g. its path. */
  readonly source: string;
  /** The pool's network magic (`NETWORKS[name].magic`); a snapshot of another network is refused. */
  readonly expectedMagic: number;
  /** The network's name, for the fix. */
  readonly network: string;
}

export interface SnapshotParse {
  readonly snapshot: PeerSnapshot | undefined;
  readonly findings: Findings;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: Json | undefined): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

/** The fix for a file that is not a usable snapshot of the pool's network. */
export function snapshotFix(network: string): string {
  return (
    `write a fresh snapshot on a synced ${network} node with \`cardano-cli query ledger-peer-snapshot --out-file peer-snapshot.json\` ` +
    `and \`pulumi config set ${SNAPSHOT_SETTING} peer-snapshot.json\`, or use the kit's bundled one: \`pulumi config rm ${SNAPSHOT_SETTING}\``
  );
}

class ShapeReport {
  private count = 0;

  constructor(
    private readonly findings: Findings,
    private readonly source: string,
    private readonly fix: string,
  ) {}

  add(message: string): void {
    this.count += 1;
    if (this.count <= MAX_SHAPE_PROBLEMS) this.findings.problem(SNAPSHOT_SETTING, `${this.source}: ${message}`, this.fix);
  }

  finish(): void {
    if (this.count > MAX_SHAPE_PROBLEMS) {
      this.findings.problem(
        SNAPSHOT_SETTING,
        `${this.source}: ${this.count - MAX_SHAPE_PROBLEMS} more problems of the same kind (is this a peer snapshot?)`,
        this.fix,
      );
    }
  }

  get any(): boolean {
    return this.count > 0;
  }
}

interface RelayRead {
  readonly peer?: Peer;
  readonly skipped?: SkippedRelay;
}

/** Turns one well-formed relay into a peer, or says why the kit will not write it. */
function usableRelay(where: string, host: string, port: number | undefined, written: string): RelayRead {
  const skip = (reason: string): RelayRead => ({ skipped: { where, relay: written, reason } });
  if (port === undefined) {
    return skip("an SRV name (no port): the kit writes only access points with a port");
  }
  if (!isValidPort(port)) return skip(`port ${port} is not a TCP port (1-65535)`);
  const parsed = parseHost(host);
  if (!parsed.ok) return skip(parsed.message);
  if (parsed.kind !== "dns" && parsed.range !== "unicast") {
    return skip(`${parsed.address} is a ${parsed.range} address: nobody on the Internet reaches it`);
  }
  return { peer: { address: parsed.address, port } };
}

function readRelay(relay: Json, where: string, format: SnapshotFormat, shape: ShapeReport): RelayRead | undefined {
  if (!isObject(relay)) {
    shape.add(`${where} is ${describe(relay)}, not a relay object`);
    return undefined;
  }
  const host = relay.address ?? relay.domain;
  if (host === undefined) {
    shape.add(`${where} has neither address nor domain`);
    return undefined;
  }
  if (typeof host !== "string") {
    shape.add(`${where}.${relay.address !== undefined ? "address" : "domain"} is ${describe(host)}, not text`);
    return undefined;
  }
  if (relay.port !== undefined && typeof relay.port !== "number") {
    shape.add(`${where}.port is ${describe(relay.port)}, not a number`);
    return undefined;
  }
  if (relay.port === undefined && format === "version-1") {
    shape.add(`${where} has no port (version-1 snapshots always give one)`);
    return undefined;
  }
  const port = relay.port;
  const written = port === undefined ? host : `${host}:${port}`;
  return usableRelay(where, host, port, written);
}

function readPools(pools: Json | undefined, format: SnapshotFormat, shape: ShapeReport, skipped: SkippedRelay[]): SnapshotPool[] {
  if (!Array.isArray(pools)) {
    shape.add(`bigLedgerPools is ${describe(pools)}, not a list`);
    return [];
  }
  const out: SnapshotPool[] = [];
  pools.forEach((pool, index) => {
    const where = `bigLedgerPools[${index}]`;
    if (!isObject(pool)) {
      shape.add(`${where} is ${describe(pool)}, not a pool object`);
      return;
    }
    const stake = pool.relativeStake;
    if (typeof stake !== "number" || !Number.isFinite(stake) || stake < 0 || stake > 1) {
      shape.add(`${where}.relativeStake is ${describe(stake)}, not a share of stake between 0 and 1`);
      return;
    }
    if (!Array.isArray(pool.relays)) {
      shape.add(`${where}.relays is ${describe(pool.relays)}, not a list`);
      return;
    }
    const relays: Peer[] = [];
    const seen = new Set<string>();
    pool.relays.forEach((relay, r) => {
      const read = readRelay(relay, `${where}.relays[${r}]`, format, shape);
      if (read?.skipped) skipped.push(read.skipped);
      if (read?.peer) {
        const key = `${read.peer.address} ${read.peer.port}`;
        if (!seen.has(key)) relays.push(read.peer);
        seen.add(key);
      }
    });
    relays.sort(comparePeers);
    out.push({ index, relativeStake: stake, relays });
  });
  return out;
}

function readSlot(root: JsonObject, format: SnapshotFormat): number | undefined {
  const slot = format === "version-1" ? root.slotNo : isObject(root.Point) ? root.Point.blockPointSlot : undefined;
  return typeof slot === "number" && Number.isSafeInteger(slot) && slot >= 0 ? slot : undefined;
}

/**
 * Parses snapshot text of either format. Problems (on `stakepool:peerSnapshotFile`) for text that is
 * not JSON, a file that is not a snapshot, a malformed pool or relay (named by its place in the file),
 * and a snapshot of another network. Deterministic: pools keep the file's order, relays are sorted.
 */
export function parseSnapshot({ text, source, expectedMagic, network }: SnapshotInput): SnapshotParse {
  const findings = new Findings();
  const fix = snapshotFix(network);
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    findings.problem(SNAPSHOT_SETTING, `${source} is not JSON (${reason})`, fix);
    return { snapshot: undefined, findings };
  }
  if (!isObject(root)) {
    findings.problem(SNAPSHOT_SETTING, `${source} is ${describe(root)}, not a peer snapshot object`, fix);
    return { snapshot: undefined, findings };
  }

  let format: SnapshotFormat;
  if (root.version !== undefined) {
    if (root.version !== 1) {
      findings.problem(SNAPSHOT_SETTING, `${source} has snapshot version ${JSON.stringify(root.version)}; the kit reads version 1 and NetworkMagic snapshots`, fix);
      return { snapshot: undefined, findings };
    }
    format = "version-1";
  } else if (root.NetworkMagic !== undefined) {
    format = "network-magic";
  } else {
    findings.problem(
      SNAPSHOT_SETTING,
      `${source} is not a ledger peer snapshot: it has neither NetworkMagic nor version (keys: ${Object.keys(root).sort().join(", ") || "none"})`,
      fix,
    );
    return { snapshot: undefined, findings };
  }

  let networkMagic: number | undefined;
  if (format === "network-magic") {
    const magic = root.NetworkMagic;
    if (typeof magic !== "number" || !Number.isSafeInteger(magic) || magic < 0) {
      findings.problem(SNAPSHOT_SETTING, `${source}: NetworkMagic is ${describe(magic)}, not a network magic number`, fix);
      return { snapshot: undefined, findings };
    }
    if (magic !== expectedMagic) {
      findings.problem(
        SNAPSHOT_SETTING,
        `${source} is a snapshot of network magic ${magic}, but the pool runs on ${network} (magic ${expectedMagic})`,
        fix,
      );
      return { snapshot: undefined, findings };
    }
    networkMagic = magic;
  }

  const shape = new ShapeReport(findings, source, fix);
  const skipped: SkippedRelay[] = [];
  const pools = readPools(root.bigLedgerPools, format, shape, skipped);
  shape.finish();
  if (shape.any) return { snapshot: undefined, findings };
  return { snapshot: { format, networkMagic, slot: readSlot(root, format), pools, skipped }, findings };
}
