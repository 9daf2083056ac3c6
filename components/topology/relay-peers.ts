/**
 * The community peers of every relay of a pool: one draw per relay (seeded by the pool's identity and
 * the relay's name), with spares, the pool's own hosts and the pinned extra peers left out.
 *
 * Spares: each relay lists `peerCount` + ¼ more peers in its community group and keeps `peerCount` of
 * them hot (the group's valency). When a listed relay is down or gone, the node's governor promotes a
 * spare from the same group, so the relay stays connected to `peerCount` other pools without a redeploy.
 */
import { Findings } from "../config/problems";
import type { HostSpec, PoolModel } from "../model/pool";
import type { CandidateGroup } from "./candidates";
import { EXTRA_PEERS_SETTING, type ExtraPeer } from "./extra-peers";
import { canonicalHost } from "./peer";
import { checkCandidates, eligibleGroups, MIN_COMMUNITY_PEERS, PEER_COUNT_SETTING, selectPeers, type ChosenPeer } from "./select";

/**
 * The most hot local roots a relay can pin. They count in TargetNumberOfActivePeers, which the node
 * refuses above 100 (ouroboros-network Governor/Types.hs sanePeerSelectionTargets), and each churn cycle
 * lowers that target by a fifth and waits for demotions it cannot make among local roots (cardano-diffusion
 * Churn.hs decreaseActivePeers): with 100, churn still works for 80 (100 - 20). The kit raises the targets
 * to fit the pinned roots (components/node/settings.ts), up to this.
 */
export const MAX_LOCAL_ROOTS = 80;

/** Community peers each relay keeps hot unless `stakepool:peerCount` says more. */
export const DEFAULT_PEER_COUNT = MIN_COMMUNITY_PEERS;

/** Spare peers listed beside `peerCount`: a quarter, rounded up (20 → 5). */
export function spareCount(peerCount: number): number {
  return Math.ceil(peerCount / 4);
}

/** How many community peers a relay's topology lists for `peerCount` hot ones. */
export function listedPeerCount(peerCount: number): number {
  return peerCount + spareCount(peerCount);
}

export interface RelayPeerOptions {
  /** Community peers each relay keeps hot (`stakepool:peerCount`, at least 20). */
  readonly peerCount: number;
  /**
   * Names this pool among all pools that use the kit (e.g. its pool id, or the stack's name): it seeds
   * the draw, so different pools choose different peers. Must not change, or every peer moves.
   */
  readonly poolIdentity: string;
  /** The operator's pinned peers, checked and sorted (parseExtraPeers). */
  readonly extraPeers: readonly ExtraPeer[];
  /** The pool's own public relay addresses or DNS names, when known (e.g. the registered relays). */
  readonly ownAddresses?: readonly string[];
}

export interface RelayPeers {
  /** Relay name → its community peers, sorted by address then port. */
  readonly community: ReadonlyMap<string, readonly ChosenPeer[]>;
  /** How many community peers each relay keeps hot: the community group's hot and warm valency. */
  readonly hotValency: number;
  readonly findings: Findings;
}

/** The seed of one relay's draw. */
export function relaySeed(poolIdentity: string, relay: HostSpec): string {
  return `${poolIdentity}/${relay.name}`;
}

/**
 * Chooses every relay's community peers. Problems: `stakepool:peerCount` below 20, above what the
 * snapshot offers, or beyond the 80 hot local roots a relay can pin; an extra peer that is one of the pool's
 * own hosts (`stakepool:extraPeers[i]`). A warning when fewer spares than usual fit.
 */
export function relayPeers(model: PoolModel, groups: readonly CandidateGroup[], options: RelayPeerOptions): RelayPeers {
  if (options.poolIdentity.trim() === "") throw new Error("relayPeers needs a pool identity to seed the draw");
  const findings = new Findings();
  const own = new Set([...model.hosts.map((host) => host.privateIp), ...(options.ownAddresses ?? []).map(canonicalHost)]);
  for (const extra of options.extraPeers) {
    if (own.has(extra.address)) {
      findings.problem(
        `${EXTRA_PEERS_SETTING}[${extra.index}]`,
        `${extra.address} is one of the pool's own hosts; its relays already reach each other and the core`,
        `pulumi config rm --path '${EXTRA_PEERS_SETTING}[${extra.index}]'`,
      );
    }
  }
  const exclude = [...own, ...options.extraPeers.map((peer) => peer.address)];
  // Checked for the relay that can reach the fewest peers: IPv4-only if any relay is.
  const ipv6 = model.relays.every((relay) => relay.ipv6);
  findings.absorb(checkCandidates(groups, options.peerCount, exclude, ipv6));

  // Core and siblings (one per relay of the pool) and the extra peers share the hot local-root room.
  const room = MAX_LOCAL_ROOTS - model.relays.length - options.extraPeers.length;
  if (room < options.peerCount) {
    findings.problem(
      PEER_COUNT_SETTING,
      `${options.peerCount} community peers, ${options.extraPeers.length} extra peers and the pool's ${model.relays.length} own hosts ` +
        `are more than the ${MAX_LOCAL_ROOTS} hot local roots a relay can pin (cardano-node refuses an active-peer target above 100, ` +
        "and churn needs a fifth of it free)",
      room >= MIN_COMMUNITY_PEERS
        ? `pulumi config set ${PEER_COUNT_SETTING} ${room}`
        : `keep at most ${Math.max(0, MAX_LOCAL_ROOTS - model.relays.length - MIN_COMMUNITY_PEERS)} entries in ${EXTRA_PEERS_SETTING} ` +
            `(pulumi config rm --path '${EXTRA_PEERS_SETTING}[<i>]') and pulumi config set ${PEER_COUNT_SETTING} ${MIN_COMMUNITY_PEERS}`,
    );
  }
  // Spares are listed, not hot: the known target is raised to hold them (components/node/settings.ts).
  const available = eligibleGroups(groups, exclude, ipv6).length;
  const wanted = listedPeerCount(options.peerCount);
  const listed = Math.max(options.peerCount, Math.min(wanted, available));
  if (available >= options.peerCount && room >= options.peerCount && listed < wanted) {
    findings.warn(
      PEER_COUNT_SETTING,
      `the snapshot offers ${available} candidate groups: each relay lists ${listed - options.peerCount} spare peers instead of ${spareCount(options.peerCount)}`,
    );
  }

  const community = new Map<string, readonly ChosenPeer[]>();
  for (const relay of model.relays) {
    community.set(relay.name, selectPeers(groups, { count: listed, seed: relaySeed(options.poolIdentity, relay), exclude, ipv6: relay.ipv6 }).peers);
  }
  return { community, hotValency: options.peerCount, findings };
}
