import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupCandidates, type CandidateGroup } from "../../components/topology/candidates";
import { peerKey } from "../../components/topology/peer";
import { MIN_COMMUNITY_PEERS, selectPeers } from "../../components/topology/select";
import type { SnapshotPool } from "../../components/topology/snapshot";
import { bundled } from "./fixtures";

const mainnet = bundled("mainnet").groups;

/** 25–80 pools over a few hundred hosts, some sharing: candidate groups as a snapshot would give. */
const groupsArb: fc.Arbitrary<CandidateGroup[]> = fc
  .array(
    fc.record({
      stake: fc.double({ min: 0.0001, max: 0.02, noNaN: true }),
      hosts: fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 3 }),
      port: fc.constantFrom(3001, 6000, 30800),
    }),
    { minLength: 25, maxLength: 80 },
  )
  .map((list) =>
    groupCandidates(
      list.map(
        (p, index): SnapshotPool => ({
          index,
          relativeStake: p.stake,
          relays: p.hosts.map((h) => ({ address: h % 7 === 0 ? `52.0.${Math.floor(h / 256)}.${h % 256}` : `r${h}.example.org`, port: p.port })),
        }),
      ),
    ),
  )
  .filter((groups) => groups.length >= 22);

const seedArb = fc.string({ minLength: 1, maxLength: 40 });

function groupOf(groups: readonly CandidateGroup[]): Map<string, CandidateGroup> {
  const map = new Map<string, CandidateGroup>();
  for (const g of groups) for (const r of g.relays) map.set(peerKey(r), g);
  return map;
}

function keys(peers: readonly { address: string; port: number }[]): string[] {
  return peers.map(peerKey);
}

describe("selectPeers", () => {
  it("chooses `count` distinct peers, one per group, never from a group holding an excluded host", () => {
    fc.assert(
      fc.property(
        groupsArb.chain((groups) =>
          fc.tuple(
            fc.constant(groups),
            seedArb,
            fc.subarray(groups.slice(0, 2).flatMap((g) => g.relays.map((r) => r.address))),
          ),
        ),
        ([groups, seed, exclude]) => {
          const { peers, findings } = selectPeers(groups, { count: MIN_COMMUNITY_PEERS, seed, exclude });
          expect(findings.problems).toEqual([]);
          expect(peers).toHaveLength(MIN_COMMUNITY_PEERS);
          expect(new Set(keys(peers)).size).toBe(peers.length);
          const owner = groupOf(groups);
          const chosenGroups = peers.map((p) => owner.get(peerKey(p))!);
          expect(chosenGroups.every((g) => g !== undefined)).toBe(true);
          expect(new Set(chosenGroups).size).toBe(peers.length);
          expect(peers.map((p) => p.group)).toEqual(chosenGroups.map((g) => g.key));
          for (const g of chosenGroups) expect(g.relays.some((r) => exclude.includes(r.address))).toBe(false);
          for (const p of peers) expect(exclude).not.toContain(p.address);
        },
      ),
    );
  });

  it("gives the same peers for the same inputs, in any candidate order", () => {
    fc.assert(
      fc.property(
        groupsArb.chain((groups) => fc.tuple(fc.constant(groups), fc.shuffledSubarray(groups, { minLength: groups.length, maxLength: groups.length }))),
        seedArb,
        ([groups, shuffled], seed) => {
          const first = selectPeers(groups, { count: 20, seed });
          expect(selectPeers(structuredClone(groups), { count: 20, seed })).toEqual(first);
          expect(selectPeers(shuffled, { count: 20, seed })).toEqual(first);
        },
      ),
    );
  });

  it("gives different relays (and different pools) different peers", () => {
    fc.assert(
      fc.property(seedArb, seedArb, (a, b) => {
        fc.pre(a !== b);
        const one = new Set(keys(selectPeers(mainnet, { count: 25, seed: a }).peers));
        const two = keys(selectPeers(mainnet, { count: 25, seed: b }).peers);
        expect(two.every((k) => one.has(k))).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it("moves nothing when a group it did not choose disappears, and one peer when a chosen one does", () => {
    fc.assert(
      fc.property(groupsArb, seedArb, fc.nat(), (groups, seed, pick) => {
        const before = selectPeers(groups, { count: 20, seed }).peers;
        const chosen = new Set(before.map((p) => p.group));
        const unchosen = groups.filter((g) => !chosen.has(g.key));
        if (unchosen.length > 0) {
          const gone = unchosen[pick % unchosen.length]!;
          expect(selectPeers(groups.filter((g) => g !== gone), { count: 20, seed }).peers).toEqual(before);
        }
        const goneKey = before[pick % before.length]!.group;
        const after = selectPeers(groups.filter((g) => g.key !== goneKey), { count: 20, seed }).peers;
        const kept = new Set(keys(after));
        expect(keys(before).filter((k) => !kept.has(k))).toHaveLength(1);
      }),
    );
  });

  it("keeps a group's pick when the group gains another relay", () => {
    fc.assert(
      fc.property(groupsArb, seedArb, (groups, seed) => {
        const before = selectPeers(groups, { count: 20, seed }).peers;
        const grown = groups.map((g) => ({ ...g, relays: [...g.relays, { address: `extra.${g.key.replace(/[^a-z0-9]/g, "")}.example.net`, port: 3001 }] }));
        const after = selectPeers(grown, { count: 20, seed }).peers;
        const added = after.filter((p) => p.address.endsWith(".example.net")).length;
        const kept = new Set(keys(after));
        expect(keys(before).filter((k) => !kept.has(k))).toHaveLength(added);
      }),
    );
  });

  it("favours well-staked groups without always taking the same ones", () => {
    const groups: CandidateGroup[] = Array.from({ length: 100 }, (_, i) => ({
      key: `g${i}.example.org:3001`,
      stake: i === 0 ? 0.1 : 0.001,
      pools: [i],
      relays: [{ address: `g${i}.example.org`, port: 3001 }],
    }));
    let heavy = 0;
    let light = 0;
    const runs = 200;
    for (let s = 0; s < runs; s++) {
      const peers = selectPeers(groups, { count: 20, seed: `pool-${s}/relay-1` }).peers;
      if (peers.some((p) => p.group === groups[0]!.key)) heavy += 1;
      if (peers.some((p) => p.group === groups[1]!.key)) light += 1;
    }
    // 100 times the stake: chosen far more often than an equal light group, yet not by every relay.
    expect(heavy).toBeGreaterThan(2 * light);
    expect(heavy).toBeLessThan(runs);
    expect(light).toBeGreaterThan(0);
  });

  it("refuses fewer than 20 peers on stakepool:peerCount", () => {
    const { findings } = selectPeers(mainnet, { count: 19, seed: "p/relay-1" });
    expect(findings.problems).toHaveLength(1);
    expect(findings.problems[0]!.setting).toBe("stakepool:peerCount");
    expect(findings.problems[0]!.message).toMatch(/below the 20/);
    expect(findings.problems[0]!.fix).toBe("pulumi config set stakepool:peerCount 20");
  });

  it("says how many groups and relays there are when they are too few, and returns them all", () => {
    const groups = mainnet.slice(0, 30);
    const relays = groups.reduce((n, g) => n + g.relays.length, 0);
    const exclude = [groups[0]!.relays[0]!.address];
    const { peers, findings } = selectPeers(groups, { count: 40, seed: "p/relay-1", exclude });
    expect(findings.problems).toHaveLength(1);
    const [problem] = findings.problems;
    expect(problem!.setting).toBe("stakepool:peerCount");
    expect(problem!.message).toContain("only 29 candidate groups");
    expect(problem!.message).toContain(`(${relays - groups[0]!.relays.length} usable relays)`);
    expect(problem!.fix).toBe("pulumi config set stakepool:peerCount 29");
    expect(peers).toHaveLength(29);
    const tiny = selectPeers(mainnet.slice(0, 10), { count: 20, seed: "p/relay-1" });
    expect(tiny.findings.problems[0]!.fix).toMatch(/cardano-cli latest query ledger-peer-snapshot /);
  });

  it("chooses 20+ peers from 20+ distinct groups on every network's snapshot", () => {
    for (const network of ["mainnet", "preprod", "preview"] as const) {
      const { groups } = bundled(network);
      const { peers, findings } = selectPeers(groups, { count: 25, seed: `${network}-pool/relay-1` });
      expect(findings.problems).toEqual([]);
      expect(new Set(keys(peers)).size).toBe(25);
      expect(new Set(peers.map((p) => groupOf(groups).get(peerKey(p))!.key)).size).toBe(25);
    }
  });
});

describe("IPv6 literal peers", () => {
  // A synthetic snapshot where a third of the groups have an IPv6 literal, and some have nothing else.
  const groups = groupCandidates(
    Array.from({ length: 60 }, (_, i): SnapshotPool => ({
      index: i,
      relativeStake: 0.01,
      relays:
        i % 3 === 0
          ? [{ address: `2001:db8::${(i + 1).toString(16)}`, port: 3001 }]
          : i % 3 === 1
            ? [{ address: `2001:db8::${(i + 1).toString(16)}`, port: 3001 }, { address: `relay-${i}.example.org`, port: 3001 }]
            : [{ address: `relay-${i}.example.org`, port: 3001 }],
    })),
  );

  it("are never chosen for a relay without an IPv6 route, whatever the seed; its groups with another relay stay candidates", () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const { peers, findings } = selectPeers(groups, { count: 25, seed });
        expect(findings.problems).toEqual([]);
        expect(peers.filter((p) => p.address.includes(":"))).toEqual([]);
        expect(peers).toHaveLength(25);
      }),
    );
  });

  it("are chosen for a relay that has an IPv6 route, deterministically", () => {
    const a = selectPeers(groups, { count: 25, seed: "pool/relay-1", ipv6: true }).peers;
    expect(a.some((p) => p.address.includes(":"))).toBe(true);
    expect(selectPeers(groups, { count: 25, seed: "pool/relay-1", ipv6: true }).peers).toEqual(a);
  });

  it("leave the mainnet snapshot's 3 IPv6 literals out of every IPv4-only relay's draw", () => {
    const { groups: mainnet } = bundled("mainnet");
    expect(mainnet.flatMap((g) => g.relays).filter((r) => r.address.includes(":"))).toHaveLength(3);
    for (let i = 0; i < 200; i++) {
      const { peers } = selectPeers(mainnet, { count: 25, seed: `pool-${i}/relay-1` });
      expect(peers.some((p) => p.address.includes(":"))).toBe(false);
    }
  });
});
