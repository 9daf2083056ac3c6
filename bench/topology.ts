/**
 * Community peer selection over the bundled mainnet snapshot (470 pools, 1,020 relays): time per
 * selection, how much the peer sets of different pools (and of two relays of one pool) overlap, and
 * how many of a relay's peers change when 10 % of the snapshot's pools disappear. Aims: < 5 ms per
 * selection, mean overlap ≤ 0.2, churn ≤ 15 %. Every draw is deterministic, so the figures repeat.
 */
import fs from "node:fs";
import { NETWORKS } from "../components/networks/networks";
import { groupCandidates, type CandidateGroup } from "../components/topology/candidates";
import { peerKey } from "../components/topology/peer";
import { listedPeerCount, DEFAULT_PEER_COUNT } from "../components/topology/relay-peers";
import { selectPeers, STAKE_WEIGHT_EXPONENT } from "../components/topology/select";
import { parseSnapshot, type SnapshotPool } from "../components/topology/snapshot";
import { bundledSnapshotPath } from "../components/topology/snapshot-file";

const POOLS = 400;
const REMOVALS = 20;
const SEEDS_PER_REMOVAL = 10;
const TIMED_RUNS = 400;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** mulberry32: a small seeded PRNG, so the removals are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let both = 0;
  for (const x of a) if (b.has(x)) both += 1;
  return both / (a.size + b.size - both);
}

function mainnetPools(): SnapshotPool[] {
  const text = fs.readFileSync(bundledSnapshotPath("mainnet"), "utf8");
  const parsed = parseSnapshot({ text, source: "mainnet.json", network: NETWORKS.mainnet });
  if (!parsed.snapshot) throw new Error("the bundled mainnet snapshot does not parse");
  return [...parsed.snapshot.pools];
}

/** Exposed with the exponent as a parameter so the README's comparison can be re-run. */
export function measureTopology(exponent: number, count: number): Record<string, number> {
  const pools = mainnetPools();
  const groups = groupCandidates(pools);
  const pick = (g: readonly CandidateGroup[], seed: string) =>
    new Set(selectPeers(g, { count, seed, weightExponent: exponent }).peers.map(peerKey));

  for (let i = 0; i < 50; i++) pick(groups, `warm-${i}`);
  const times: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const start = process.hrtime.bigint();
    selectPeers(groups, { count, seed: `timed-pool-${i}/relay-1`, weightExponent: exponent });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }

  const betweenPools: number[] = [];
  const betweenRelays: number[] = [];
  const load = new Map<string, number>();
  for (let i = 0; i < POOLS; i++) {
    const a = pick(groups, `pool-${i}/relay-1`);
    betweenPools.push(jaccard(a, pick(groups, `pool-${i + 1}/relay-1`)));
    betweenRelays.push(jaccard(a, pick(groups, `pool-${i}/relay-2`)));
    for (const peer of a) load.set(peer, (load.get(peer) ?? 0) + 1);
  }
  // The load that weighting puts on the most chosen community relay: the share of all relays
  // (one per pool here) that list it. Uniform choice would give about count / groups.
  const busiest = Math.max(...load.values()) / POOLS;

  const churn: number[] = [];
  for (let r = 0; r < REMOVALS; r++) {
    const random = prng(1000 + r);
    const order = pools.map((pool) => ({ pool, key: random() })).sort((x, y) => x.key - y.key);
    const kept = order.slice(Math.round(pools.length * 0.1)).map((x) => x.pool);
    const refreshed = groupCandidates(kept);
    for (let s = 0; s < SEEDS_PER_REMOVAL; s++) {
      const seed = `churn-pool-${r * SEEDS_PER_REMOVAL + s}/relay-1`;
      const before = pick(groups, seed);
      const after = pick(refreshed, seed);
      let changed = 0;
      for (const peer of before) if (!after.has(peer)) changed += 1;
      churn.push(changed / before.size);
    }
  }

  const round = (x: number, digits: number) => Number(x.toFixed(digits));
  return {
    [`topology: selection of ${count} peers, median ms`]: round(median(times), 3),
    "topology: mean Jaccard overlap, two pools": round(mean(betweenPools), 3),
    "topology: mean Jaccard overlap, two relays of one pool": round(mean(betweenRelays), 3),
    "topology: share of peers changed when 10% of pools go": round(mean(churn), 3),
    "topology: share of relays that list the busiest community relay": round(busiest, 3),
  };
}

/** The figures for the kit's own settings: the default peer count (with spares) and exponent. */
export function benchTopology(): Record<string, number> {
  return measureTopology(STAKE_WEIGHT_EXPONENT, listedPeerCount(DEFAULT_PEER_COUNT));
}
