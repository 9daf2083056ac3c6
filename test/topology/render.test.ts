import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NETWORKS, NODE_PORT, type NetworkName } from "../../components/networks/networks";
import { PEER_SNAPSHOT_NAME } from "../../components/node/paths";
import type { PoolModel } from "../../components/model/pool";
import { peerKey } from "../../components/topology/peer";
import { coreTopology, renderCoreTopology, type AccessPoint, type LocalRootGroup, type Topology } from "../../components/topology/render";
import { loadPoolTopologies, type TopologySettings } from "../../components/topology/topologies";
import { bundled, poolModel } from "./fixtures";

const NETWORKS_ALL: NetworkName[] = ["mainnet", "preprod", "preview"];

function settings(overrides: Partial<TopologySettings> = {}): TopologySettings {
  return { peerSnapshotFile: "", peerCount: 20, extraPeers: [], poolIdentity: "pool1test", ...overrides };
}

function topologies(model: PoolModel, overrides: Partial<TopologySettings> = {}) {
  const result = loadPoolTopologies(model, settings(overrides));
  expect(result.findings.problems).toEqual([]);
  return result;
}

function parsed(text: string): Topology {
  return JSON.parse(text) as Topology;
}

function addresses(points: readonly AccessPoint[]): string[] {
  return points.map((p) => p.address);
}

/** The relay's community group: the one that is neither trustable nor the extra peers. */
function communityGroup(topology: Topology, extra: readonly string[] = []): LocalRootGroup {
  const groups = topology.localRoots.filter((g) => !g.trustable && !g.accessPoints.some((p) => extra.includes(p.address)));
  expect(groups).toHaveLength(1);
  return groups[0]!;
}

function allAccessPoints(topology: Topology): AccessPoint[] {
  return [
    ...topology.localRoots.flatMap((g) => g.accessPoints),
    ...topology.publicRoots.flatMap((g) => g.accessPoints),
    ...(topology.bootstrapPeers ?? []),
  ];
}

describe("the core's topology", () => {
  it("holds exactly its relays, trustable, never advertised, all hot; nothing else", () => {
    fc.assert(
      fc.property(fc.constantFrom(...NETWORKS_ALL), fc.integer({ min: 1, max: 8 }), (network, relays) => {
        const model = poolModel(network, relays);
        const core = parsed(renderCoreTopology(model));
        expect(core.localRoots).toHaveLength(1);
        const [group] = core.localRoots;
        expect([...addresses(group!.accessPoints)].sort()).toEqual(model.relays.map((r) => r.privateIp).sort());
        expect(group!.accessPoints.every((p) => p.port === NODE_PORT)).toBe(true);
        expect(group).toMatchObject({ advertise: false, trustable: true, hotValency: relays, warmValency: relays });
        expect(core.publicRoots).toEqual([]);
        expect(core.useLedgerAfterSlot).toBe(-1);
        expect("bootstrapPeers" in core).toBe(false);
        expect("peerSnapshotFile" in core).toBe(false);
        expect(addresses(group!.accessPoints)).not.toContain(model.core.privateIp);
      }),
      { numRuns: 20 },
    );
  });

  it("is the same file the pool flow writes for the host named core", () => {
    const model = poolModel("preview", 2);
    expect(topologies(model).files.get("core")).toBe(renderCoreTopology(model));
    expect(parsed(renderCoreTopology(model))).toEqual(coreTopology(model));
  });
});

describe("each relay's topology", () => {
  for (const network of NETWORKS_ALL) {
    it(`on ${network}: core, siblings, bootstrap peers (mainnet), ledger slot, snapshot, and 20+ other pools`, () => {
      const model = poolModel(network, 3);
      const { files } = topologies(model);
      const { groups } = bundled(network);
      const groupOfRelay = new Map<string, string>();
      for (const g of groups) for (const r of g.relays) groupOfRelay.set(peerKey(r), g.key);
      const own = new Set(model.hosts.map((h) => h.privateIp));
      expect([...files.keys()].sort()).toEqual([model.core, ...model.relays].map((h) => h.name).sort());

      for (const relay of model.relays) {
        const topology = parsed(files.get(relay.name)!);
        const [coreGroup, siblingGroup] = topology.localRoots;
        expect(coreGroup).toEqual({
          accessPoints: [{ address: model.core.privateIp, port: NODE_PORT }],
          advertise: false,
          trustable: true,
          hotValency: 1,
          warmValency: 1,
        });
        const siblings = model.relays.filter((r) => r.name !== relay.name).map((r) => r.privateIp);
        expect([...addresses(siblingGroup!.accessPoints)].sort()).toEqual([...siblings].sort());
        expect(siblingGroup).toMatchObject({ trustable: true, advertise: false, hotValency: 2, warmValency: 2 });

        // GenesisMode nodes drop bootstrap peers with a warning (cardano-node TopologyP2P.hs readTopologyFile).
        if (NETWORKS[network].consensusMode === "PraosMode") {
          expect(topology.bootstrapPeers).toEqual(NETWORKS[network].bootstrapPeers.map((p) => ({ address: p.address, port: p.port })));
        } else {
          expect("bootstrapPeers" in topology).toBe(false);
        }
        expect(topology.useLedgerAfterSlot).toBe(NETWORKS[network].useLedgerAfterSlot);
        expect(topology.peerSnapshotFile).toBe(PEER_SNAPSHOT_NAME);
        expect(topology.publicRoots).toEqual([]);

        const community = communityGroup(topology);
        expect(community.advertise).toBe(false);
        expect(community.hotValency).toBeGreaterThanOrEqual(20);
        expect(community.warmValency).toBe(community.hotValency);
        expect(community.accessPoints.length).toBeGreaterThanOrEqual(community.hotValency);
        const peerKeys = community.accessPoints.map(peerKey);
        expect(new Set(peerKeys).size).toBe(peerKeys.length);
        // Every community peer is a snapshot relay, each from a different pool group: the node
        // keeps `hotValency` of them hot, so 20+ other pools whichever spares it uses.
        expect(peerKeys.every((k) => groupOfRelay.has(k))).toBe(true);
        expect(new Set(peerKeys.map((k) => groupOfRelay.get(k))).size).toBe(peerKeys.length);
        expect(addresses(community.accessPoints).some((a) => own.has(a))).toBe(false);
      }
    });
  }

  it("never names 0.0.0.0 or ::, and always writes a port", () => {
    for (const network of NETWORKS_ALL) {
      const { files } = topologies(poolModel(network, 2));
      for (const text of files.values()) {
        for (const point of allAccessPoints(parsed(text))) {
          expect(["0.0.0.0", "::"]).not.toContain(point.address);
          expect(Number.isInteger(point.port) && point.port >= 1 && point.port <= 65535).toBe(true);
        }
      }
    }
  });

  it("has no sibling group when the pool has one relay", () => {
    const model = poolModel("preprod", 1);
    const topology = parsed(topologies(model).files.get("relay-1")!);
    expect(topology.localRoots.filter((g) => g.trustable)).toHaveLength(1);
    expect(addresses(topology.localRoots[0]!.accessPoints)).toEqual([model.core.privateIp]);
  });

  it("is two-space JSON with a final newline, byte-identical from run to run", () => {
    const model = poolModel("mainnet", 2);
    const first = topologies(model).files;
    const second = topologies(poolModel("mainnet", 2)).files;
    for (const [name, text] of first) {
      expect(text).toBe(second.get(name));
      expect(text.endsWith("}\n")).toBe(true);
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    }
  });

  it("gives two relays of one pool, and two pools, different community peers", () => {
    const model = poolModel("mainnet", 2);
    const set = (files: ReadonlyMap<string, string>, relay: string) => communityGroup(parsed(files.get(relay)!)).accessPoints.map(peerKey);
    const a = topologies(model, { poolIdentity: "pool1aaa" }).files;
    const b = topologies(model, { poolIdentity: "pool1bbb" }).files;
    expect(set(a, "relay-1")).not.toEqual(set(a, "relay-2"));
    expect(set(a, "relay-1")).not.toEqual(set(b, "relay-1"));
  });

  it("adds the extra peers as their own group and leaves their operators out of the community draw", () => {
    const model = poolModel("mainnet", 2);
    const { groups } = bundled("mainnet");
    const plain = topologies(model).files;
    const chosen = communityGroup(parsed(plain.get("relay-1")!)).accessPoints[0]!;
    const group = groups.find((g) => g.relays.some((r) => r.address === chosen.address))!;
    const sibling = group.relays.find((r) => r.address !== chosen.address) ?? chosen;
    const extra = [`${sibling.address}:${sibling.port}`, "friend.example.org:6000"];
    const topology = parsed(topologies(model, { extraPeers: extra }).files.get("relay-1")!);
    const extraGroup = topology.localRoots.find((g) => g.accessPoints.some((p) => p.address === "friend.example.org"))!;
    expect(extraGroup.accessPoints).toEqual(
      [{ address: sibling.address, port: sibling.port }, { address: "friend.example.org", port: 6000 }].sort((x, y) => (x.address < y.address ? -1 : 1)),
    );
    expect(extraGroup).toMatchObject({ trustable: false, advertise: false, hotValency: 2, warmValency: 2 });
    const community = communityGroup(topology, ["friend.example.org"]);
    const inGroup = new Set(group.relays.map((r) => r.address));
    expect(community.accessPoints.some((p) => inGroup.has(p.address))).toBe(false);
    expect(community.accessPoints.length).toBeGreaterThanOrEqual(20);
  });

  it("leaves out the pool's own public relays and their group", () => {
    const model = poolModel("mainnet", 2);
    const before = communityGroup(parsed(topologies(model).files.get("relay-1")!)).accessPoints;
    const ownName = before[3]!.address;
    const after = communityGroup(parsed(topologies(model, { ownAddresses: [ownName.toUpperCase()] }).files.get("relay-1")!)).accessPoints;
    expect(addresses(after)).not.toContain(ownName);
    expect(after).toHaveLength(before.length);
  });
});

describe("topology problems", () => {
  it("refuses a peer count below 20 and writes no file", () => {
    const result = loadPoolTopologies(poolModel("preview", 2), settings({ peerCount: 12 }));
    expect(result.findings.problems.map((p) => p.setting)).toEqual(["stakepool:peerCount"]);
    expect(result.files.size).toBe(0);
  });

  it("refuses a peer count the snapshot cannot give, saying what it can", () => {
    const result = loadPoolTopologies(poolModel("preprod", 2), settings({ peerCount: 60 }));
    expect(result.findings.problems).toHaveLength(1);
    expect(result.findings.problems[0]!.message).toMatch(/only \d+ candidate groups \(\d+ usable relays\)/);
    expect(result.files.size).toBe(0);
  });

  it("warns when there is room for fewer spares than usual", () => {
    const { groups } = bundled("preprod");
    const result = loadPoolTopologies(poolModel("preprod", 2), settings({ peerCount: groups.length - 2 }));
    expect(result.findings.problems).toEqual([]);
    expect(result.findings.warnings.map((w) => w.setting)).toContain("stakepool:peerCount");
    const community = communityGroup(parsed(result.files.get("relay-1")!));
    expect(community.accessPoints).toHaveLength(groups.length);
    expect(community.hotValency).toBe(groups.length - 2);
  });

  it("refuses an extra peer that is one of the pool's own hosts, and a malformed one, together", () => {
    const model = poolModel("preview", 2);
    const result = loadPoolTopologies(model, settings({ extraPeers: ["relay.example.org:3001", `${model.relays[1]!.privateIp}:3001`, "nope"] }));
    expect(result.findings.problems.map((p) => p.setting).sort()).toEqual(["stakepool:extraPeers[1]", "stakepool:extraPeers[2]"]);
    expect(result.files.size).toBe(0);
  });

  it("refuses a snapshot file that is missing", () => {
    const result = loadPoolTopologies(poolModel("preview", 2), settings({ peerSnapshotFile: "/nonexistent/peer-snapshot.json" }));
    expect(result.findings.problems.map((p) => p.setting)).toEqual(["stakepool:peerSnapshotFile"]);
    expect(result.files.size).toBe(0);
  });
});

describe("the local-root room", () => {
  it("pins at most 80 hot local roots (the node's active target stops at 100), with every spare still listed", () => {
    const model = poolModel("mainnet", 10);
    const extra = Array.from({ length: 20 }, (_, i) => `friend${i}.example.org:3001`);
    const result = loadPoolTopologies(model, settings({ peerCount: 50, extraPeers: extra }));
    expect(result.findings.problems).toEqual([]);
    for (const relay of model.relays) {
      const topology = parsed(result.files.get(relay.name)!);
      expect(topology.localRoots.reduce((n, g) => n + g.hotValency, 0)).toBe(80);
      const community = communityGroup(topology, extra.map((e) => e.split(":")[0]!));
      expect(community.hotValency).toBe(50);
      expect(community.accessPoints).toHaveLength(50 + 13);
    }
    const over = loadPoolTopologies(model, settings({ peerCount: 51, extraPeers: extra }));
    expect(over.findings.problems.map((p) => p.message).join()).toMatch(/more than the 80 hot local roots a relay can pin/);
  });

  it("refuses a peer count that leaves no room for it", () => {
    const model = poolModel("mainnet", 10);
    const extra = Array.from({ length: 45 }, (_, i) => `friend${i}.example.org:3001`);
    const result = loadPoolTopologies(model, settings({ peerCount: 100, extraPeers: extra }));
    expect(result.findings.problems.map((p) => p.setting)).toEqual(["stakepool:peerCount"]);
    expect(result.findings.problems[0]!.fix).toBe("pulumi config set stakepool:peerCount 25");
    const crowded = loadPoolTopologies(model, settings({ peerCount: 20, extraPeers: [...extra, ...extra.map((e) => `x${e}`)].slice(0, 60) }));
    expect(crowded.findings.problems[0]!.fix).toBe(
      "keep at most 50 entries in stakepool:extraPeers (pulumi config rm --path 'stakepool:extraPeers[<i>]') and pulumi config set stakepool:peerCount 20",
    );
  });
});
