/**
 * The pool's peers: which snapshot, which identity seeds the draw, each relay's community peers and
 * every host's topology file. The snapshot is read once (the only I/O): the bytes checked are the bytes delivered.
 */
import { fullKey, type Settings } from "../config/settings";
import { Findings } from "../config/problems";
import type { RelayPeers } from "../topology/relay-peers";
import type { PeerSnapshot } from "../topology/snapshot";
import { loadPoolTopologies } from "../topology/topologies";
import type { PoolModel } from "../model/pool";

export interface PeerIdentity {
  /** Seeds every relay's draw: `${value}/${relay name}`. */
  readonly value: string;
  readonly source: "peerSeed" | "ticker" | "stack";
}

export interface PoolPeers {
  /** Host name → topology.json. */
  readonly topologies: ReadonlyMap<string, string>;
  readonly relayPeers: RelayPeers;
  readonly identity: PeerIdentity;
  /** The snapshot the peers came from; relays receive it as their peer-snapshot.json. */
  readonly snapshot: {
    readonly path: string;
    /** As the operator named it, or "bundled <network> snapshot". */
    readonly label: string;
    readonly content: string;
    readonly parsed: PeerSnapshot;
  };
}

/** The identity that spreads this pool's peers away from other pools': peerSeed, else the ticker. */
export function peerIdentity(settings: Settings, model: PoolModel, ticker: string | undefined): { identity: PeerIdentity; findings: Findings } {
  const findings = new Findings();
  if (settings.peerSeed.trim() !== "") return { identity: { value: settings.peerSeed.trim(), source: "peerSeed" }, findings };
  if (ticker) return { identity: { value: ticker, source: "ticker" }, findings };
  findings.warn(
    fullKey("peerSeed"),
    "is empty and the pool has no metadata ticker, so the relays' peers are drawn from the stack's name and " +
      "region; another pool with the same stack name would draw the same peers. Set any text unique to your pool",
  );
  return { identity: { value: `${model.network.name}/${model.location}/${model.stack}`, source: "stack" }, findings };
}

export function loadPoolPeers(
  model: PoolModel,
  settings: Settings,
  options: { readonly baseDir: string; readonly ticker: string | undefined; readonly ownAddresses?: readonly string[] },
): { peers: PoolPeers | undefined; findings: Findings } {
  const findings = new Findings();
  const { identity, findings: identityFindings } = peerIdentity(settings, model, options.ticker);
  findings.absorb(identityFindings);
  const topologies = loadPoolTopologies(model, {
    peerSnapshotFile: settings.peerSnapshotFile,
    peerCount: settings.peerCount,
    extraPeers: settings.extraPeers,
    poolIdentity: identity.value,
    baseDir: options.baseDir,
    ...(options.ownAddresses ? { ownAddresses: options.ownAddresses } : {}),
  });
  findings.absorb(topologies.findings);
  if (findings.problems.length > 0 || !topologies.peers || !topologies.snapshot || topologies.snapshotText === undefined) {
    return { peers: undefined, findings };
  }
  return {
    peers: {
      topologies: topologies.files,
      relayPeers: topologies.peers,
      identity,
      snapshot: {
        path: topologies.snapshotPath,
        label: settings.peerSnapshotFile.trim() === "" ? `the kit's bundled ${model.network.name} snapshot` : settings.peerSnapshotFile,
        content: topologies.snapshotText,
        parsed: topologies.snapshot,
      },
    },
    findings,
  };
}
