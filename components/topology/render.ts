/**
 * Topology files in the node's current P2P format (localRoots / publicRoots / bootstrapPeers /
 * useLedgerAfterSlot / peerSnapshotFile), for the core and for each relay. The objects are built
 * first (tests read them), then written with two-space JSON and a final newline. Key and list order
 * are fixed, so the same model and peers always give the same bytes.
 */
import { NODE_PORT, type HostPeer } from "../networks/networks";
import { PEER_SNAPSHOT_NAME } from "../node/paths";
import type { HostSpec, PoolModel } from "../model/pool";
import { comparePeers, type Peer } from "./peer";

export interface AccessPoint {
  readonly address: string;
  readonly port: number;
}

export interface LocalRootGroup {
  readonly accessPoints: readonly AccessPoint[];
  readonly advertise: boolean;
  readonly trustable: boolean;
  readonly hotValency: number;
  readonly warmValency: number;
}

export interface PublicRootGroup {
  readonly accessPoints: readonly AccessPoint[];
  readonly advertise: boolean;
}

export interface Topology {
  readonly localRoots: readonly LocalRootGroup[];
  readonly publicRoots: readonly PublicRootGroup[];
  readonly bootstrapPeers?: readonly AccessPoint[];
  readonly useLedgerAfterSlot: number;
  readonly peerSnapshotFile?: string;
}

export interface RelayPeerLists {
  /** The relay's community peers (relayPeers). */
  readonly community: readonly Peer[];
  /** How many of them the relay keeps hot; at most `community.length`. */
  readonly communityHotValency: number;
  /** The operator's pinned peers (parseExtraPeers). */
  readonly extraPeers: readonly Peer[];
}

/** An explicit `{address, port}`: a portless access point would be read as an SRV name. */
function accessPoint(peer: Peer | HostPeer): AccessPoint {
  return { address: peer.address, port: peer.port };
}

function hostAccessPoint(host: HostSpec): AccessPoint {
  return { address: host.privateIp, port: NODE_PORT };
}

/** A group the node keeps `valency` of hot and established; `valency` = all members unless less. */
function group(points: readonly AccessPoint[], trustable: boolean, valency: number = points.length): LocalRootGroup {
  return { accessPoints: points, advertise: false, trustable, hotValency: valency, warmValency: valency };
}

/**
 * The core talks to its own relays only: one trustable group of exactly their private addresses,
 * all kept hot; no public roots, no ledger peers, no bootstrap peers, no snapshot. Trustable matters:
 * with everything else off, the core only reaches a trusted state through trustable local roots.
 */
export function coreTopology(model: PoolModel): Topology {
  return {
    localRoots: [group(model.relays.map(hostAccessPoint), true)],
    publicRoots: [],
    useLedgerAfterSlot: -1,
  };
}

/**
 * A relay keeps its core and its sibling relays (trustable, never advertised: they are private
 * addresses), its community peers (a group of `community` with `communityHotValency` kept hot, the
 * rest spares the node promotes when one fails), the pinned extra peers, the network's bootstrap
 * peers (PraosMode networks only) and ledger-peer slot, and the big-ledger snapshot next to the topology file.
 */
export function relayTopology(model: PoolModel, relay: HostSpec, peers: RelayPeerLists): Topology {
  if (!model.relays.some((r) => r.name === relay.name)) throw new Error(`${relay.name} is not a relay of this pool`);
  const siblings = model.relays.filter((r) => r.name !== relay.name).map(hostAccessPoint);
  const community = [...peers.community].sort(comparePeers).map(accessPoint);
  const extra = [...peers.extraPeers].sort(comparePeers).map(accessPoint);
  const localRoots: LocalRootGroup[] = [group([hostAccessPoint(model.core)], true)];
  if (siblings.length > 0) localRoots.push(group(siblings, true));
  if (community.length > 0) localRoots.push(group(community, false, Math.min(peers.communityHotValency, community.length)));
  if (extra.length > 0) localRoots.push(group(extra, false));
  return {
    localRoots,
    publicRoots: [],
    // GenesisMode nodes drop bootstrap peers with a warning (cardano-node TopologyP2P.hs readTopologyFile):
    // they sync from big-ledger peers, which the snapshot provides.
    ...(model.network.consensusMode === "PraosMode" ? { bootstrapPeers: model.network.bootstrapPeers.map(accessPoint) } : {}),
    useLedgerAfterSlot: model.network.useLedgerAfterSlot,
    peerSnapshotFile: PEER_SNAPSHOT_NAME,
  };
}

/** Two-space JSON and a final newline: the bytes the host receives and the plan shows. */
export function serializeTopology(topology: Topology): string {
  return `${JSON.stringify(topology, null, 2)}\n`;
}

export function renderCoreTopology(model: PoolModel): string {
  return serializeTopology(coreTopology(model));
}

export function renderRelayTopology(model: PoolModel, relay: HostSpec, peers: RelayPeerLists): string {
  return serializeTopology(relayTopology(model, relay, peers));
}
