/**
 * What cardano-node does with a topology file, so the kit ships only topologies that mean what they say.
 * The node is lenient where a mistake is silent, so the kit is stricter than the node there.
 *
 * Sources (ouroboros-network d80f488c = tag ouroboros-network-1.1.0.0 for these paths, which cardano-node
 * 10.7.0 to 11.0.1 pin; cardano-node 0a21a743):
 * - keys and types: ouroboros-network `orphan-instances/Ouroboros/Network/OrphanInstances.hs`
 *   `networkTopologyFromJSON`, `localRootPeersGroupFromJSON`, `instance FromJSON UseLedgerPeers`;
 *   cardano-diffusion `orphan-instances/Cardano/Network/OrphanInstances.hs` (`trustable`,
 *   `bootstrapPeers`). `localRoots` and `publicRoots` are required arrays; unknown keys are ignored.
 * - access points: ouroboros-network `api/lib/Ouroboros/Network/PeerSelection/RelayAccessPoint.hs`
 *   `instance FromJSON RelayAccessPoint`: a missing or non-integral `port` silently makes the entry an
 *   SRV name; the port wraps modulo 65536; only 0.0.0.0 and :: are refused (`isValidDestinationIPAddr`).
 * - valencies: never checked; `LocalRootPeers.fromGroups` (`State/LocalRootPeers.hs`) clamps warm to the
 *   members and hot to warm, DROPS a group whose hot or warm ends at 0, and gives an address listed in
 *   two groups to the first only. The intended invariant is `0 < hot <= warm <= members`.
 * - `useLedgerAfterSlot`: > 0 after that slot, 0 always, < 0 or absent never.
 * - `bootstrapPeers: []` stops the node at start unless a trustable group has an access point
 *   (cardano-diffusion `Diffusion/Topology.hs` `isValidTrustedPeerConfiguration`); in GenesisMode any
 *   value is dropped with a warning (cardano-node `Configuration/TopologyP2P.hs` `readTopologyFile`).
 * - a core (ledger peers, peer sharing and bootstrap peers off) is `LocalRootsOnly` and trusted only
 *   when every established peer is a trustable local root (cardano-diffusion
 *   `PeerSelection/Governor/Types.hs` `outboundConnectionsState`); untrusted, a GenesisMode node stays in
 *   PreSyncing (ouroboros-consensus `Node/GSM.hs`).
 */
import type { NetworkProfile } from "../../networks/networks";

export interface TopologyContext {
  readonly role: "core" | "relay";
  readonly network: NetworkProfile;
}

/** How many local roots a relay pins, as the governor counts them. */
export interface PinnedRoots {
  /** Σ hotValency: peers the node keeps hot whatever its active target says. */
  readonly hot: number;
  /** Σ warmValency: peers it keeps established whatever its established target says. */
  readonly warm: number;
  /** Access points listed in local roots (spares included): all count in the known target. */
  readonly listed: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);

function checkAccessPoint(point: unknown, where: string, problems: string[]): string | undefined {
  if (!isObject(point)) {
    problems.push(`${where} is not an access point object`);
    return undefined;
  }
  if (typeof point.address !== "string" || point.address === "") {
    problems.push(`${where}.address must be a non-empty string`);
    return undefined;
  }
  if (!isInt(point.port) || point.port < 1 || point.port > 65535) {
    // The node would read it as an SRV name (no integral port) or wrap it modulo 65536.
    problems.push(`${where}.port must be a whole number from 1 to 65535 (the node reads anything else as an SRV name or wraps it)`);
    return undefined;
  }
  if (point.address === "0.0.0.0" || point.address === "::") problems.push(`${where}: ${point.address} is not a valid destination address`);
  return `${point.address.toLowerCase()} ${point.port}`;
}

/** Why the node would refuse this topology, or read it other than the kit means it; empty when fine. */
export function checkTopology(topology: unknown, context: TopologyContext): string[] {
  const problems: string[] = [];
  if (!isObject(topology)) return ["the topology is not a JSON object"];
  const known = new Set(["localRoots", "publicRoots", "bootstrapPeers", "useLedgerAfterSlot", "peerSnapshotFile"]);
  for (const key of Object.keys(topology)) if (!known.has(key)) problems.push(`${key} is not a topology key (the node ignores it)`);
  if (!Array.isArray(topology.localRoots)) problems.push("localRoots must be an array");
  if (!Array.isArray(topology.publicRoots)) problems.push("publicRoots must be an array");
  if (topology.useLedgerAfterSlot !== undefined && !isInt(topology.useLedgerAfterSlot)) problems.push("useLedgerAfterSlot must be a whole number");

  const seen = new Map<string, string>();
  let trustableMembers = 0;
  (Array.isArray(topology.localRoots) ? topology.localRoots : []).forEach((group, g) => {
    const where = `localRoots[${g}]`;
    if (!isObject(group) || !Array.isArray(group.accessPoints)) {
      problems.push(`${where} must be an object with accessPoints`);
      return;
    }
    if ("valency" in group) problems.push(`${where} uses the deprecated valency (it wins over hotValency); write hotValency`);
    const hot = group.hotValency;
    const warm = group.warmValency;
    const members = group.accessPoints.length;
    if (!isInt(hot) || !isInt(warm) || !(0 < hot && hot <= warm && warm <= members)) {
      problems.push(`${where} must have 0 < hotValency ≤ warmValency ≤ ${members} access points (the node silently clamps or drops it otherwise)`);
    }
    for (const key of ["advertise", "trustable"] as const) {
      if (typeof group[key] !== "boolean") problems.push(`${where}.${key} must be written as true or false`);
    }
    if (group.trustable === true) trustableMembers += members;
    group.accessPoints.forEach((point, i) => {
      const key = checkAccessPoint(point, `${where}.accessPoints[${i}]`, problems);
      if (key === undefined) return;
      const first = seen.get(key);
      if (first !== undefined) problems.push(`${where}.accessPoints[${i}] repeats ${first}: the node counts it in the first group only`);
      else seen.set(key, `${where}.accessPoints[${i}]`);
    });
  });
  (Array.isArray(topology.publicRoots) ? topology.publicRoots : []).forEach((root, r) => {
    if (!isObject(root) || !Array.isArray(root.accessPoints)) problems.push(`publicRoots[${r}] must be an object with accessPoints`);
    else root.accessPoints.forEach((point, i) => checkAccessPoint(point, `publicRoots[${r}].accessPoints[${i}]`, problems));
  });

  const bootstrap = topology.bootstrapPeers;
  if (bootstrap !== undefined) {
    if (!Array.isArray(bootstrap)) problems.push("bootstrapPeers must be an array (or absent)");
    else {
      if (bootstrap.length === 0 && trustableMembers === 0) problems.push("bootstrapPeers is empty and no trustable group has a peer: the node stops at start");
      if (context.network.consensusMode === "GenesisMode") problems.push("bootstrapPeers is dropped by the node in GenesisMode; leave it out");
      bootstrap.forEach((point, i) => checkAccessPoint(point, `bootstrapPeers[${i}]`, problems));
    }
  }

  const ledger = isInt(topology.useLedgerAfterSlot) ? topology.useLedgerAfterSlot : -1;
  if (context.role === "core") {
    // The core talks to its relays only, and must reach a trusted state through them.
    if (ledger >= 0) problems.push("a core must not use ledger peers (useLedgerAfterSlot < 0)");
    if (Array.isArray(topology.publicRoots) && topology.publicRoots.length > 0) problems.push("a core must have no public roots");
    if (bootstrap !== undefined) problems.push("a core must have no bootstrap peers");
    if (topology.peerSnapshotFile !== undefined) problems.push("a core must have no peer snapshot");
    const groups = Array.isArray(topology.localRoots) ? topology.localRoots : [];
    if (groups.length === 0 || groups.some((g) => !isObject(g) || g.trustable !== true || g.advertise !== false)) {
      problems.push("a core's local roots must all be trustable and never advertised: untrusted, a GenesisMode core never leaves PreSyncing");
    }
  } else {
    if (ledger !== context.network.useLedgerAfterSlot) problems.push(`a ${context.network.name} relay uses ledger peers after slot ${context.network.useLedgerAfterSlot}`);
    if (typeof topology.peerSnapshotFile !== "string" || topology.peerSnapshotFile === "") problems.push("a relay names its peer snapshot (peerSnapshotFile)");
  }
  return problems;
}

/** The local roots a topology pins, as the governor counts them. */
export function pinnedRoots(text: string): PinnedRoots {
  const topology = JSON.parse(text) as { localRoots: { accessPoints: unknown[]; hotValency: number; warmValency: number }[] };
  let hot = 0;
  let warm = 0;
  let listed = 0;
  for (const group of topology.localRoots) {
    hot += group.hotValency;
    warm += group.warmValency;
    listed += group.accessPoints.length;
  }
  return { hot, warm, listed };
}
