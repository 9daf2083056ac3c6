/**
 * Chooses each relay's community peers from the candidate groups by weighted rendezvous hashing.
 *
 * Every group gets a score from a hash of (seed, group key): score = w / -ln(u), u uniform in (0, 1)
 * from SHA-256, w the group's dampened stake. Taking the `count` highest scores is a weighted sample
 * without replacement (the exponential-clocks form of Efraimidis–Spirakis), so:
 * - well-staked groups are favoured, yet every relay (seed) draws its own sample: two pools, and two
 *   relays of one pool, do not converge on one top set and overload it;
 * - the score of a group depends only on the seed and that group, so permuting the candidates changes
 *   nothing, and a refreshed snapshot in which a few groups changed moves only the picks they win or lose;
 * - SHA-256 and the key text are the same on every machine: same inputs, same peers.
 * Inside the chosen group one relay is picked the same way (unweighted), keyed by the relay alone, so
 * a group's pick changes only when the picked relay goes or a new relay outranks it.
 */
import { createHash } from "node:crypto";
import { fullKey } from "../config/settings";
import { Findings } from "../config/problems";
import type { CandidateGroup } from "./candidates";
import { canonicalHost, comparePeers, peerKey, type Peer } from "./peer";

export const PEER_COUNT_SETTING = fullKey("peerCount");

/** The design's floor: each relay keeps at least this many other pools' relays hot. */
export const MIN_COMMUNITY_PEERS = 20;

/**
 * Exponent applied to a group's stake before it weighs the draw. Mean overlap meets the ≤ 0.2 aim at
 * any exponent on mainnet (0.030 at 0, 0.033 at ½, 0.048 at 1), but it hides the hot spot: at 1 the
 * most chosen relay (an 11-pool operator's single relay) sits in 63 % of all relays' sets, at ½ in
 * 27 %, at 0 in 12.5 %. The square root keeps the lean towards stake (a set covers 10 % of stake on
 * average, against 7 % uniform and 15 % at 1) without making a few relays everyone's peer.
 * Figures: bench/topology.ts, measureTopology(exponent, 25).
 */
export const STAKE_WEIGHT_EXPONENT = 0.5;

/** A chosen community peer and the group it stands for. */
export interface ChosenPeer extends Peer {
  /** The key of its candidate group. */
  readonly group: string;
}

export interface SelectOptions {
  /** How many peers to choose, each from a different group. */
  readonly count: number;
  /** Makes the draw this relay's own; the kit passes `${poolIdentity}/${relayName}`. */
  readonly seed: string;
  /**
   * Hosts (IP or DNS name, any port) never to choose: the pool's own hosts and the extra peers
   * already pinned. A group holding any of them is left out entirely: it is the pool itself, or an
   * operator the topology already reaches.
   */
  readonly exclude?: readonly string[];
  /** See STAKE_WEIGHT_EXPONENT; exposed for the bench. */
  readonly weightExponent?: number;
  /**
   * Whether the relay can reach IPv6 addresses. Without it (the default), IPv6 literal peers are left
   * out and a group whose relays are all IPv6 literals is not a candidate: the node would dial them
   * forever. DNS names stay (their A records reach the relay).
   */
  readonly ipv6?: boolean;
}

export interface Selection {
  /** Sorted by address then port. Fewer than `count` only when a problem says so. */
  readonly peers: readonly ChosenPeer[];
  readonly findings: Findings;
}

const TWO_POW_48 = 2 ** 48;

/** A uniform number in (0, 1), from the first 48 bits of SHA-256 over the parts. */
function hashUniform(...parts: readonly string[]): number {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  return (digest.readUIntBE(0, 6) + 0.5) / TWO_POW_48;
}

/** ln(w / -ln u): the logarithm of the rendezvous score, which orders the same and cannot overflow. */
function logScore(stake: number, exponent: number, u: number): number {
  return exponent * Math.log(Math.max(stake, Number.MIN_VALUE)) - Math.log(-Math.log(u));
}

/** Whether a relay that has no IPv6 route could dial this peer. */
function reachableOverIpv4(peer: Peer): boolean {
  return !peer.address.includes(":");
}

/**
 * Groups that hold none of the excluded hosts, each keeping only the relays the choosing relay can reach
 * (`ipv6` false: no IPv6 literals); a group left without a relay is not a candidate.
 */
export function eligibleGroups(groups: readonly CandidateGroup[], exclude: readonly string[] = [], ipv6 = false): CandidateGroup[] {
  const excluded = new Set(exclude.map(canonicalHost));
  return groups
    .filter((group) => !group.relays.some((relay) => excluded.has(relay.address)))
    .map((group) => (ipv6 ? group : { ...group, relays: group.relays.filter(reachableOverIpv4) }))
    .filter((group) => group.relays.length > 0);
}

/** The relay a seed picks inside a group: the highest hash over the relay's own key. */
function pickRelay(group: CandidateGroup, seed: string): Peer {
  let best = group.relays[0]!;
  let bestU = -1;
  for (const relay of group.relays) {
    const u = hashUniform("relay", seed, peerKey(relay));
    if (u > bestU) {
      best = relay;
      bestU = u;
    }
  }
  return best;
}

function candidateProblems(eligible: readonly CandidateGroup[], count: number): Findings {
  const findings = new Findings();
  if (!Number.isInteger(count) || count < MIN_COMMUNITY_PEERS) {
    findings.problem(
      PEER_COUNT_SETTING,
      `${count} community peers is below the ${MIN_COMMUNITY_PEERS} each relay needs to stay well connected`,
      `pulumi config set ${PEER_COUNT_SETTING} ${MIN_COMMUNITY_PEERS}`,
    );
  }
  if (eligible.length < count) {
    const relays = eligible.reduce((sum, group) => sum + group.relays.length, 0);
    findings.problem(
      PEER_COUNT_SETTING,
      `${count} community peers from distinct operators are wanted, but the snapshot offers only ${eligible.length} ` +
        `candidate groups (${relays} usable relays) once the pool's own hosts and the extra peers are left out`,
      eligible.length >= MIN_COMMUNITY_PEERS
        ? `pulumi config set ${PEER_COUNT_SETTING} ${eligible.length}`
        : "use a fuller snapshot: on a synced relay, `cardano-cli latest query ledger-peer-snapshot --socket-path /srv/cardano/db/node.socket " +
          `--mainnet --out-file peer-snapshot.json\` (--testnet-magic N instead of --mainnet on a testnet), then \`pulumi config set ${fullKey("peerSnapshotFile")} peer-snapshot.json\``,
    );
  }
  return findings;
}

/**
 * Checks that `count` community peers can be chosen: a problem on `stakepool:peerCount` when `count`
 * is below 20, or when fewer candidate groups remain than `count` (the message says how many groups
 * and relays are available). The same for every relay of a pool, so the caller checks once.
 */
export function checkCandidates(groups: readonly CandidateGroup[], count: number, exclude: readonly string[] = [], ipv6 = false): Findings {
  return candidateProblems(eligibleGroups(groups, exclude, ipv6), count);
}

/**
 * Chooses `count` community peers for one relay: never an excluded host, no duplicates, at most one
 * relay per group, weighted towards well-staked groups (stake ** exponent), deterministic. Its
 * findings are checkCandidates'; the peers found are returned even when there are too few.
 */
export function selectPeers(groups: readonly CandidateGroup[], options: SelectOptions): Selection {
  const { count, seed } = options;
  const exponent = options.weightExponent ?? STAKE_WEIGHT_EXPONENT;
  const eligible = eligibleGroups(groups, options.exclude, options.ipv6 ?? false);
  const findings = candidateProblems(eligible, count);
  const scored = eligible.map((group) => ({ group, score: logScore(group.stake, exponent, hashUniform("group", seed, group.key)) }));
  scored.sort((a, b) => b.score - a.score || (a.group.key < b.group.key ? -1 : a.group.key > b.group.key ? 1 : 0));
  const peers = scored
    .slice(0, Math.max(0, Math.min(count, scored.length)))
    .map(({ group }) => ({ ...pickRelay(group, seed), group: group.key }))
    .sort(comparePeers);
  return { peers, findings };
}
