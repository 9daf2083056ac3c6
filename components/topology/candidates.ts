/**
 * Candidate groups: the snapshot's pools, with pools that share a relay host merged into one group.
 *
 * Multi-pool operators register the same relays for several pools (on mainnet 117 relay hosts appear
 * under more than one pool). Connecting to two of their pools is connecting to one operator twice, so
 * the selection treats each group as one source: it picks at most one relay per group, and the group
 * counts once towards the 20 distinct peers.
 */
import { comparePeers, peerKey, type Peer } from "./peer";
import type { SnapshotPool } from "./snapshot";

export interface CandidateGroup {
  /**
   * The group's stable name: its smallest relay key. It survives snapshot refreshes unless that very
   * relay goes, so a refreshed snapshot moves few peers (the selection hashes this name).
   */
  readonly key: string;
  /**
   * The group's stake: the sum of its pools' relative stake. The blocks all those pools make flow
   * through these relays, so the sum (not the largest pool) is what a peer of this group is worth.
   */
  readonly stake: number;
  /** Indices in the snapshot's `bigLedgerPools`, ascending. */
  readonly pools: readonly number[];
  /** The group's relays, deduplicated by address and port, sorted. */
  readonly relays: readonly Peer[];
}

class UnionFind {
  private readonly parent: number[];

  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }

  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[x] !== root) {
      const next = this.parent[x]!;
      this.parent[x] = root;
      x = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller index wins, so the result does not depend on the order unions happen in.
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Groups pools that share a relay host (same address, any port: two ports on one machine are one
 * operator) with union-find, drops pools left with no usable relay, and returns the groups sorted by
 * key. The result depends only on the set of pools, not on their order.
 */
export function groupCandidates(pools: readonly SnapshotPool[]): CandidateGroup[] {
  const usable = pools.filter((pool) => pool.relays.length > 0);
  const sets = new UnionFind(usable.length);
  const ownerOfHost = new Map<string, number>();
  usable.forEach((pool, i) => {
    for (const relay of pool.relays) {
      const owner = ownerOfHost.get(relay.address);
      if (owner === undefined) ownerOfHost.set(relay.address, i);
      else sets.union(owner, i);
    }
  });

  const members = new Map<number, SnapshotPool[]>();
  usable.forEach((pool, i) => {
    const root = sets.find(i);
    const list = members.get(root) ?? [];
    list.push(pool);
    members.set(root, list);
  });

  const groups: CandidateGroup[] = [];
  for (const list of members.values()) {
    const relays = new Map<string, Peer>();
    for (const pool of list) for (const relay of pool.relays) relays.set(peerKey(relay), relay);
    const sorted = [...relays.values()].sort(comparePeers);
    // Summed in a fixed order so the float result does not depend on the input order.
    const stakes = list.map((pool) => pool.relativeStake).sort((a, b) => a - b);
    groups.push({
      key: peerKey(sorted[0]!),
      stake: stakes.reduce((sum, s) => sum + s, 0),
      pools: list.map((pool) => pool.index).sort((a, b) => a - b),
      relays: sorted,
    });
  }
  return groups.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
