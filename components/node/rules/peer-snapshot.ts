/**
 * What cardano-node accepts as the file a relay's topology names in `peerSnapshotFile`, decided the way
 * the node decides it, so that the kit never ships a snapshot the node would refuse (a refused snapshot
 * stops a GenesisMode relay at every start, and a too-old one stops any relay).
 *
 * Sources (read at IntersectMBO/ouroboros-network d80f488c and IntersectMBO/cardano-node 0a21a743):
 * - the decoder: ouroboros-network `Ouroboros/Network/PeerSelection/LedgerPeers/Type.hs`,
 *   `instance FromJSON (LedgerPeerSnapshot BigLedgerPeers)`: the version is `"version"`, else
 *   `"NodeToClientVersion"`; 1 and 2 decode as the legacy `LedgerPeerSnapshotV2` (`slotNo`), 23 as
 *   `LedgerBigPeerSnapshotV23` (`Point`, `NetworkMagic`, `bigLedgerPools`), anything else fails with
 *   "failed to parse unsupported version"; each pool needs `accumulatedStake`, `relativeStake` and a
 *   NON-EMPTY `relays` list (`NonEmpty`: an empty list fails the whole file);
 * - a relay: ouroboros-network `PeerSelection/RelayAccessPoint.hs`, `instance FromJSON
 *   LedgerRelayAccessPoint`: `address` is required text; with an integral `port` it is an IP when it reads
 *   as one (`readMaybe`), else a DNS name; without a usable `port` it is an SRV name. The port is
 *   converted with `fromIntegral` to a 16-bit port number, so 70000 silently becomes 4464;
 * - the point: ouroboros-network `Ouroboros/Network/Point.hs` (`Block {blockPointSlot, blockPointHash}`)
 *   under `WithOrigin` (`"origin"` is the GenesisPoint); the hash must be hex (`FromJSON RawBlockHash`);
 * - the checks at start and on SIGHUP: cardano-node `Cardano/Node/Run.hs`, `updateLedgerPeerSnapshot`:
 *   legacy version → "Unsupported legacy peer snapshot version."; GenesisPoint → "GenesisPoint is not a
 *   valid value in the peer snapshot file"; another network's magic → "NetworkMagic … doesn't match";
 *   slot below the topology's `useLedgerAfterSlot` → `LedgerPeerSnapshotTooOld` thrown. In GenesisMode
 *   an unreadable file is fatal at start; in PraosMode it is traced and ignored.
 * The file is read whole (`readPeerSnapshotFile`, cardano-node `Configuration/TopologyP2P.hs`).
 */

/** The only snapshot version current nodes read (NodeToClientV_23). */
export const CURRENT_SNAPSHOT_VERSION = 23;
/** Versions the decoder still recognises, only for `updateLedgerPeerSnapshot` to refuse them. */
export const LEGACY_SNAPSHOT_VERSIONS: readonly number[] = [1, 2];

/** A relay as the node reads it from a snapshot. */
export type SnapshotRelay =
  | { readonly kind: "ip"; readonly address: string; readonly port: number; readonly written: string }
  | { readonly kind: "domain"; readonly address: string; readonly port: number; readonly written: string }
  /** No usable port: the node resolves it as a DNS SRV name. */
  | { readonly kind: "srv"; readonly address: string; readonly written: string };

export interface SnapshotPoolEntry {
  readonly accumulatedStake: number;
  readonly relativeStake: number;
  readonly relays: readonly (SnapshotRelay & { readonly portWraps?: number })[];
}

/** A snapshot the node's decoder accepts, before the per-network checks of `updateLedgerPeerSnapshot`. */
export interface DecodedSnapshot {
  readonly networkMagic: number;
  /** `"origin"` for the GenesisPoint. */
  readonly point: { readonly slot: number; readonly hash: string } | "origin";
  readonly pools: readonly SnapshotPoolEntry[];
}

export type SnapshotDecode = { readonly ok: true; readonly snapshot: DecodedSnapshot } | { readonly ok: false; readonly errors: readonly string[] };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const isIntegral = (v: Json | undefined): v is number => typeof v === "number" && Number.isInteger(v);

/** Text from the file as a message may show it: quoted, cut short, nothing outside printable ASCII. */
function quoted(text: string): string {
  const cut = text.length > 64 ? `${text.slice(0, 64)}…` : text;
  return JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (c) => (c === "…" ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** The first few keys of an object, quoted, for a message. */
function someKeys(object: JsonObject): string {
  const keys = Object.keys(object).sort();
  if (keys.length === 0) return "none";
  const shown = keys.slice(0, 8).map(quoted).join(", ");
  return keys.length > 8 ? `${shown} and ${keys.length - 8} more` : shown;
}

function describe(value: Json | undefined): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  // String(): JSON.stringify would print Infinity (JSON.parse's reading of 1e999) as null.
  if (typeof value === "string") return `string ${quoted(value)}`;
  return `${typeof value} ${String(value)}`;
}

/** `readMaybe` of iproute's `IP`: dotted-quad IPv4 or IPv6 text. Close enough to tell an IP from a name. */
function readsAsIp(text: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return text.split(".").every((part) => Number(part) <= 255);
  return text.includes(":") && /^[0-9A-Fa-f:.]+$/.test(text);
}

/** At most this many errors are listed; a file that is not a snapshot fails everywhere. */
const MAX_ERRORS = 5;

function decodeRelay(relay: Json, where: string, errors: string[]): (SnapshotRelay & { portWraps?: number }) | undefined {
  if (!isObject(relay)) {
    errors.push(`${where} is ${describe(relay)}, not a relay object`);
    return undefined;
  }
  const address = relay.address;
  if (typeof address !== "string") {
    errors.push(
      relay.domain !== undefined
        ? `${where} has "domain" instead of "address" (the legacy relay shape: current nodes fail to read the whole file)`
        : `${where}.address is ${describe(address)}, not text`,
    );
    return undefined;
  }
  const port = relay.port;
  // `parseMaybe (o .: "port")` as an Int: absent, or not an integral number, means an SRV name.
  if (!isIntegral(port) || !Number.isSafeInteger(port)) return { kind: "srv", address, written: address };
  const written = `${address}:${port}`;
  const wrapped = ((port % 65536) + 65536) % 65536;
  const kind = readsAsIp(address) ? "ip" : "domain";
  return { kind, address, port: wrapped, written, ...(wrapped !== port ? { portWraps: port } : {}) };
}

function decodePoint(point: Json | undefined, errors: string[]): DecodedSnapshot["point"] | undefined {
  if (point === "origin") return "origin";
  if (!isObject(point)) {
    errors.push(`Point is ${describe(point)}, not {"blockPointSlot", "blockPointHash"}`);
    return undefined;
  }
  const slot = point.blockPointSlot;
  const hash = point.blockPointHash;
  if (!isIntegral(slot) || slot < 0 || !Number.isSafeInteger(slot)) errors.push(`Point.blockPointSlot is ${describe(slot)}, not a slot number`);
  if (typeof hash !== "string" || !/^([0-9a-fA-F]{2})*$/.test(hash)) errors.push(`Point.blockPointHash is ${describe(hash)}, not hex`);
  return isIntegral(slot) && typeof hash === "string" ? { slot, hash } : undefined;
}

function decodePools(pools: Json | undefined, errors: string[]): SnapshotPoolEntry[] {
  if (!Array.isArray(pools)) {
    errors.push(`bigLedgerPools is ${describe(pools)}, not a list`);
    return [];
  }
  const out: SnapshotPoolEntry[] = [];
  pools.forEach((pool, index) => {
    const where = `bigLedgerPools[${index}]`;
    if (!isObject(pool)) {
      errors.push(`${where} is ${describe(pool)}, not a pool object`);
      return;
    }
    const stake = (key: "accumulatedStake" | "relativeStake"): number | undefined => {
      const value = pool[key];
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        errors.push(`${where}.${key} is ${describe(value)}, not a share of stake`);
        return undefined;
      }
      return value;
    };
    const accumulatedStake = stake("accumulatedStake");
    const relativeStake = stake("relativeStake");
    if (!Array.isArray(pool.relays)) {
      errors.push(`${where}.relays is ${describe(pool.relays)}, not a list`);
      return;
    }
    if (pool.relays.length === 0) {
      errors.push(`${where}.relays is empty; the node reads it as a non-empty list and fails on the whole file`);
      return;
    }
    const relays = pool.relays.map((relay, r) => decodeRelay(relay, `${where}.relays[${r}]`, errors));
    if (accumulatedStake === undefined || relativeStake === undefined || relays.some((r) => r === undefined)) return;
    out.push({ accumulatedStake, relativeStake, relays: relays as SnapshotPoolEntry["relays"] });
  });
  return out;
}

function capped(errors: readonly string[]): string[] {
  if (errors.length <= MAX_ERRORS) return [...errors];
  return [...errors.slice(0, MAX_ERRORS), `${errors.length - MAX_ERRORS} more errors of the same kind (is this a peer snapshot?)`];
}

/**
 * Decodes snapshot text the way the node's `FromJSON (LedgerPeerSnapshot BigLedgerPeers)` does. `ok`
 * means the node can read the file as a current snapshot; whether it will USE it is `refusalsFor`'s question.
 */
export function decodePeerSnapshot(text: string): SnapshotDecode {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch {
    // Never the parser's message: it quotes the file, which may hold anything (a key pasted by mistake).
    return { ok: false, errors: ["is not JSON"] };
  }
  if (!isObject(root)) return { ok: false, errors: [`${describe(root)}, not a peer snapshot object`] };
  // `v .: "version" <|> v .: "NodeToClientVersion"`: an Int under "version" wins.
  const version = isIntegral(root.version) ? root.version : isIntegral(root.NodeToClientVersion) ? root.NodeToClientVersion : undefined;
  if (version === undefined) {
    return {
      ok: false,
      errors: [`has no snapshot version: neither "version" nor "NodeToClientVersion" is a number (keys: ${someKeys(root)})`],
    };
  }
  if (LEGACY_SNAPSHOT_VERSIONS.includes(version)) {
    // Decoded as LedgerPeerSnapshotV2 (or not at all, with the old {domain, port} relays), then refused.
    return {
      ok: false,
      errors: [`is a legacy version-${version} snapshot (slotNo, no NetworkMagic): cardano-node 10.7 and later stop with "Unsupported legacy peer snapshot version."`],
    };
  }
  const errors: string[] = [];
  if (version !== CURRENT_SNAPSHOT_VERSION) {
    return { ok: false, errors: [`has version ${version}; the node fails to parse "unsupported version ${version}" (it reads ${CURRENT_SNAPSHOT_VERSION})`] };
  }
  const magic = root.NetworkMagic;
  if (!isIntegral(magic) || magic < 0 || magic > 0xffffffff) errors.push(`NetworkMagic is ${describe(magic)}, not a network magic number`);
  const point = decodePoint(root.Point, errors);
  const pools = decodePools(root.bigLedgerPools, errors);
  if (errors.length > 0) return { ok: false, errors: capped(errors) };
  return { ok: true, snapshot: { networkMagic: magic as number, point: point!, pools } };
}

/** What the relay's topology tells the node about ledger peers. */
export interface SnapshotUse {
  readonly networkMagic: number;
  /** The topology's `useLedgerAfterSlot`; negative means ledger peers are off (the snapshot is then unused). */
  readonly useLedgerAfterSlot: number;
}

/**
 * Why `updateLedgerPeerSnapshot` (cardano-node Run.hs) would refuse a decoded snapshot, in its words;
 * empty when the node uses it. Every one of these stops the relay at start.
 */
export function refusalsFor(snapshot: DecodedSnapshot, use: SnapshotUse): string[] {
  const refusals: string[] = [];
  if (snapshot.point === "origin") refusals.push('has the GenesisPoint ("origin"): the node stops with "GenesisPoint is not a valid value in the peer snapshot file"');
  if (snapshot.networkMagic !== use.networkMagic) {
    refusals.push(`is a snapshot of network magic ${snapshot.networkMagic}, but the node runs with magic ${use.networkMagic}: it stops with "NetworkMagic … doesn't match"`);
  }
  if (typeof snapshot.point === "object" && use.useLedgerAfterSlot >= 0 && snapshot.point.slot < use.useLedgerAfterSlot) {
    refusals.push(
      `was taken at slot ${snapshot.point.slot}, before the topology's useLedgerAfterSlot ${use.useLedgerAfterSlot}: ` +
        "the node stops with LedgerPeerSnapshotTooOld",
    );
  }
  return refusals;
}
