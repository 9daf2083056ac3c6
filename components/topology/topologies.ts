/**
 * The whole topology step for a pool: from the model, the snapshot and the peer settings to the
 * topology.json text of every host. `poolTopologies` is pure; `loadPoolTopologies` also reads the
 * snapshot file, and is what the Pulumi component calls.
 */
import { Findings } from "../config/problems";
import type { PoolModel } from "../model/pool";
import { groupCandidates, type CandidateGroup } from "./candidates";
import { parseExtraPeers } from "./extra-peers";
import { relayPeers, type RelayPeerOptions, type RelayPeers } from "./relay-peers";
import { renderCoreTopology, renderRelayTopology } from "./render";
import type { PeerSnapshot } from "./snapshot";
import { readSnapshotFile } from "./snapshot-file";

export interface PoolTopologies {
  /** Host name ("core", "relay-<n>") → topology.json text. Empty when there are problems. */
  readonly files: ReadonlyMap<string, string>;
  /** The chosen peers, for the plan (relay name → community peers). */
  readonly peers: RelayPeers | undefined;
  /** The snapshot the peers came from (its pools and its skipped relays), for the plan. */
  readonly snapshot: PeerSnapshot | undefined;
  /** The file it was read from (the operator's, or the bundled one). */
  readonly snapshotPath: string;
  /** Its exact text: what every relay receives as its peer-snapshot.json. */
  readonly snapshotText: string | undefined;
  readonly findings: Findings;
}

export interface RenderedTopologies {
  /** Host name → topology.json text. Empty when there are problems. */
  readonly files: ReadonlyMap<string, string>;
  readonly peers: RelayPeers;
  readonly findings: Findings;
}

/** Renders every host's topology from candidate groups already built. */
export function poolTopologies(model: PoolModel, groups: readonly CandidateGroup[], options: RelayPeerOptions): RenderedTopologies {
  const peers = relayPeers(model, groups, options);
  const files = new Map<string, string>();
  if (peers.findings.problems.length === 0) {
    files.set(model.core.name, renderCoreTopology(model));
    for (const relay of model.relays) {
      files.set(
        relay.name,
        renderRelayTopology(model, relay, {
          community: peers.community.get(relay.name) ?? [],
          communityHotValency: peers.hotValency,
          extraPeers: options.extraPeers,
        }),
      );
    }
  }
  return { files, peers, findings: peers.findings };
}

export interface TopologySettings {
  /** `stakepool:peerSnapshotFile`: empty for the kit's bundled snapshot of the pool's network. */
  readonly peerSnapshotFile: string;
  /** `stakepool:peerCount`. */
  readonly peerCount: number;
  /** `stakepool:extraPeers`, as written ("host:port", "[ipv6]:port"). */
  readonly extraPeers: readonly string[];
  /** Seeds the draw; see RelayPeerOptions.poolIdentity. */
  readonly poolIdentity: string;
  /** The pool's public relay addresses or names, when known. */
  readonly ownAddresses?: readonly string[];
  /** Folder a relative snapshot path is taken from (the Pulumi project folder). */
  readonly baseDir?: string;
}

/** Reads the snapshot, checks the settings, chooses the peers and renders every host's topology. */
export function loadPoolTopologies(model: PoolModel, settings: TopologySettings): PoolTopologies {
  const findings = new Findings();
  const extra = parseExtraPeers(settings.extraPeers);
  findings.absorb(extra.findings);
  const read = readSnapshotFile(settings.peerSnapshotFile, model.network, settings.baseDir);
  findings.absorb(read.findings);
  if (!read.snapshot) return { files: new Map(), peers: undefined, snapshot: undefined, snapshotPath: read.path, snapshotText: undefined, findings };
  const rendered = poolTopologies(model, groupCandidates(read.snapshot.pools), {
    peerCount: settings.peerCount,
    poolIdentity: settings.poolIdentity,
    extraPeers: extra.peers,
    ...(settings.ownAddresses ? { ownAddresses: settings.ownAddresses } : {}),
  });
  findings.absorb(rendered.findings);
  const files = findings.problems.length === 0 ? rendered.files : new Map<string, string>();
  return { files, peers: rendered.peers, snapshot: read.snapshot, snapshotPath: read.path, snapshotText: read.text, findings };
}
