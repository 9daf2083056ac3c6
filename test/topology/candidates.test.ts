import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupCandidates } from "../../components/topology/candidates";
import type { SnapshotPool } from "../../components/topology/snapshot";
import { bundled, rawPools } from "./fixtures";

const relay = (address: string, port = 3001) => ({ address, port });
const pool = (index: number, relativeStake: number, ...relays: { address: string; port: number }[]): SnapshotPool => ({ index, relativeStake, relays });

/** Pools over a small set of hosts, so that sharing happens often. */
const poolsArb = fc
  .array(
    fc.record({
      stake: fc.double({ min: 0.0001, max: 0.01, noNaN: true }),
      relays: fc.uniqueArray(fc.record({ host: fc.integer({ min: 0, max: 40 }), port: fc.constantFrom(3001, 6000) }), {
        minLength: 1,
        maxLength: 3,
        selector: (r) => `${r.host}:${r.port}`,
      }),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((list) =>
    list.map((p, index) =>
      pool(index, p.stake, ...p.relays.map((r) => relay(`relay-${r.host}.example.org`, r.port)).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.port - b.port))),
    ),
  );

describe("candidate groups", () => {
  it("merge pools that share a relay host, transitively and whatever the port", () => {
    const groups = groupCandidates([
      pool(0, 0.01, relay("a.example.org")),
      pool(1, 0.02, relay("a.example.org"), relay("b.example.org")),
      pool(2, 0.03, relay("b.example.org", 6000)),
      pool(3, 0.04, relay("c.example.org")),
    ]);
    expect(groups.map((g) => g.pools)).toEqual([[0, 1, 2], [3]]);
    const merged = groups[0]!;
    expect(merged.relays).toEqual([relay("a.example.org"), relay("b.example.org"), relay("b.example.org", 6000)]);
    expect(merged.stake).toBeCloseTo(0.06, 12);
  });

  it("drop pools left without a usable relay", () => {
    expect(groupCandidates([pool(0, 0.01), pool(1, 0.02, relay("a.example.org"))]).map((g) => g.pools)).toEqual([[1]]);
  });

  it("hold every relay exactly once, and no host in two groups", () => {
    fc.assert(
      fc.property(poolsArb, (pools) => {
        const groups = groupCandidates(pools);
        const hosts = groups.flatMap((g) => [...new Set(g.relays.map((r) => r.address))]);
        expect(new Set(hosts).size).toBe(hosts.length);
        const keys = groups.flatMap((g) => g.relays.map((r) => `${r.address}:${r.port}`));
        expect(new Set(keys)).toEqual(new Set(pools.flatMap((p) => p.relays.map((r) => `${r.address}:${r.port}`))));
        expect(keys).toHaveLength(new Set(keys).size);
        expect(groups.flatMap((g) => g.pools).sort((a, b) => a - b)).toEqual(pools.map((p) => p.index));
        const stake = pools.reduce((s, p) => s + p.relativeStake, 0);
        expect(groups.reduce((s, g) => s + g.stake, 0)).toBeCloseTo(stake, 9);
      }),
    );
  });

  it("do not depend on the order of the pools", () => {
    fc.assert(
      fc.property(
        poolsArb.chain((pools) => fc.tuple(fc.constant(pools), fc.shuffledSubarray(pools, { minLength: pools.length, maxLength: pools.length }))),
        ([pools, shuffled]) => {
          expect(groupCandidates(shuffled)).toEqual(groupCandidates(pools));
        },
      ),
    );
  });

  it("put every mainnet pool that shares a relay host with another into one group with it", () => {
    const { groups } = bundled("mainnet");
    const groupOfPool = new Map<number, string>();
    for (const g of groups) for (const p of g.pools) groupOfPool.set(p, g.key);
    const poolsOfHost = new Map<string, Set<number>>();
    rawPools("mainnet").forEach((p, i) => {
      for (const r of p.relays) {
        if (r.port === undefined) continue;
        const host = r.address!.toLowerCase();
        poolsOfHost.set(host, (poolsOfHost.get(host) ?? new Set()).add(i));
      }
    });
    const shared = [...poolsOfHost.values()].filter((set) => set.size > 1);
    expect(shared).toHaveLength(117);
    for (const set of shared) expect(new Set([...set].map((i) => groupOfPool.get(i))).size).toBe(1);
    expect(groups.length).toBeLessThan(470 - 18);
  });
});
