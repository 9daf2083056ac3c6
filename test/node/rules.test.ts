/**
 * The node's own rules for the files it reads (components/node/rules), each with a real upstream case:
 * every file the kit ships for the three committed stacks passes them, and crafted files the node would
 * refuse or misread are caught, with the reason.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planDeployment } from "../../components/deployment/deployment";
import { NETWORKS } from "../../components/networks/networks";
import { checkNodeFiles } from "../../components/node/rules";
import { checkNodeSettings } from "../../components/node/rules/node-config";
import { checkTopology, pinnedRoots } from "../../components/node/rules/topology";
import { churnDecrease, relayTargets } from "../../components/node/settings";
import { MAX_LOCAL_ROOTS } from "../../components/topology/relay-peers";
import fc from "fast-check";
import { testPool } from "../helpers/model";
import { signingKeyConfig } from "../helpers/hot-keys";

const STACKS = [
  ["mainnet", { relays: 2, nodeSha256: "a".repeat(64), mithrilSha256: "b".repeat(64) }],
  ["preprod", { relays: 2 }],
  ["preview", { relays: 3, extraPeers: ["relay.friend.example.org:3001"] }],
] as const;

describe("every file the kit ships to a node", () => {
  for (const [network, overrides] of STACKS) {
    it(`passes the node's rules on ${network}, for every host`, () => {
      const pool = testPool(network, overrides);
      for (const { host, planFiles } of planDeployment(pool).hosts) {
        expect(checkNodeFiles(pool.model, host, planFiles), host.name).toEqual([]);
      }
    });
  }

  it("gives the core PeerSharing false whether or not it has keys, and its metrics listener to the monitoring host when there is one", () => {
    for (const overrides of [{ monitoring: false }, { ...signingKeyConfig(), monitoring: false }]) {
      const core = planDeployment(testPool("preview", overrides)).hosts.find((h) => h.host.role === "core")!;
      expect(JSON.parse(core.planFiles.get("node-config.json")!)).toEqual({ PeerSharing: false });
    }
    const watched = planDeployment(testPool("preview")).hosts.find((h) => h.host.role === "core")!;
    expect(JSON.parse(watched.planFiles.get("node-config.json")!)).toEqual({
      PeerSharing: false,
      TraceOptions: { "": { backends: ["EKGBackend", "Forwarder", `PrometheusSimple suffix ${watched.host.privateIp} 12798`, "Stdout HumanFormatColoured"] } },
    });
  });

  it("accepts the official mainnet config's own root backends (the upstream vector: cardano-node configuration/cardano/mainnet-config.json)", () => {
    const upstream = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/monitoring/mainnet-trace-options.json"), "utf8")) as { TraceOptions: { "": { backends: string[] } } };
    expect(checkNodeSettings({ TraceOptions: { "": { backends: upstream.TraceOptions[""].backends } } }, NETWORKS.mainnet)).toEqual([]);
  });

  it.each([
    [{ "": { backends: ["EKGBackend", "PrometheusSimple suffix 10.0.0.1 12798"] } }, []],
    [{ "": { backends: ["PrometheusSimple 12798"] } }, []],
    [{ "": { backends: ["PrometheusSimple nosuffix 127.0.0.1 12798", "Stdout MachineFormat"] } }, []],
    [{ "": { backends: ["EKGBackend"] } }, ["0 PrometheusSimple entries"]],
    [{ "": { backends: ["PrometheusSimple suffix 10.0.0.1 12798", "PrometheusSimple 12799"] } }, ["2 PrometheusSimple entries"]],
    [{ "": { backends: ["PrometheusSimple suffix 10.0.0.1 99999"] } }, ["is not one trace-dispatcher reads", "0 PrometheusSimple entries"]],
    [{ "": { backends: ["PrometheusSimple suffix 10.0.0.1"] } }, ["is not one trace-dispatcher reads", "0 PrometheusSimple entries"]],
    [{ "": { backends: ["Stdout Coloured", "PrometheusSimple 12798"] } }, ["is not one trace-dispatcher reads"]],
    [{ "": { backends: ["PrometheusSimple 12798"], severity: "Debug" } }, ["root namespace's backends only"]],
    [{ ChainDB: { backends: ["PrometheusSimple 12798"] } }, ["root namespace"]],
  ])("checks TraceOptions %j as trace-dispatcher reads its backends", (traceOptions, expected) => {
    const problems = checkNodeSettings({ TraceOptions: traceOptions }, NETWORKS.preview);
    expect(problems.length).toBe(expected.length);
    expected.forEach((text, i) => expect(problems[i]).toContain(text));
  });

  for (const [network, overrides] of STACKS) {
    it(`leaves every ${network} relay at least 5 ordinary hot peers: hot local roots + 5 ≤ active ≤ established ≤ known`, () => {
      for (const { host, planFiles } of planDeployment(testPool(network, overrides)).hosts.filter((h) => h.host.role === "relay")) {
        const roots = pinnedRoots(planFiles.get("topology.json")!);
        const t = JSON.parse(planFiles.get("node-config.json")!) as Record<string, number>;
        expect(roots.hot + 5, host.name).toBeLessThanOrEqual(t.TargetNumberOfActivePeers!);
        expect(t.TargetNumberOfActivePeers).toBeLessThanOrEqual(t.TargetNumberOfEstablishedPeers!);
        expect(t.TargetNumberOfEstablishedPeers).toBeLessThanOrEqual(t.TargetNumberOfKnownPeers!);
        // Local roots beyond the known target are dropped (LocalRootPeers.clampToLimit).
        expect(roots.listed).toBeLessThanOrEqual(t.TargetNumberOfKnownPeers!);
        // Churn can lower the active target without waiting on local roots it cannot demote.
        expect(churnDecrease(t.TargetNumberOfActivePeers!)).toBeGreaterThanOrEqual(roots.hot);
      }
    });
  }
});

describe("relay targets", () => {
  it("hold the node's inequalities, leave 5 ordinary hot peers and let churn complete, for any pinned roots", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_LOCAL_ROOTS }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 60 }), (hot, extraWarm, spares) => {
        const roots = { hot, warm: hot + extraWarm, listed: hot + extraWarm + spares };
        const t = relayTargets(roots);
        expect(checkNodeSettings(t, NETWORKS.mainnet)).toEqual([]);
        expect(t.TargetNumberOfActivePeers).toBeGreaterThanOrEqual(hot + 5);
        expect(churnDecrease(t.TargetNumberOfActivePeers)).toBeGreaterThanOrEqual(hot);
        expect(t.TargetNumberOfEstablishedPeers - roots.warm).toBeGreaterThanOrEqual(t.TargetNumberOfActivePeers - hot);
        expect(t.TargetNumberOfKnownPeers).toBeGreaterThanOrEqual(roots.listed);
      }),
    );
  });

  it("cannot fit more than 80 hot local roots: the node refuses an active target above 100", () => {
    expect(checkNodeSettings(relayTargets({ hot: MAX_LOCAL_ROOTS + 1, warm: MAX_LOCAL_ROOTS + 1, listed: 90 }), NETWORKS.mainnet).join()).toMatch(/active ≤ 100/);
  });

  it("are the relay defaults when the pinned roots fit in them (ouroboros-network defaultDeadlineTargets)", () => {
    expect(relayTargets({ hot: 15, warm: 15, listed: 15 })).toEqual({
      TargetNumberOfRootPeers: 60,
      TargetNumberOfKnownPeers: 150,
      TargetNumberOfEstablishedPeers: 30,
      TargetNumberOfActivePeers: 20,
    });
  });
});

describe("settings the node would refuse", () => {
  it("are caught as the node's sanePeerSelectionTargets would", () => {
    const sane = { TargetNumberOfRootPeers: 60, TargetNumberOfKnownPeers: 150, TargetNumberOfEstablishedPeers: 30, TargetNumberOfActivePeers: 20 };
    expect(checkNodeSettings(sane, NETWORKS.preview)).toEqual([]);
    expect(checkNodeSettings({ ...sane, TargetNumberOfActivePeers: 31 }, NETWORKS.preview).join()).toMatch(/active 31 ≤ established 30/);
    expect(checkNodeSettings({ ...sane, TargetNumberOfRootPeers: 151 }, NETWORKS.preview).join()).toMatch(/root 151 ≤ known 150/);
    expect(checkNodeSettings({ ...sane, TargetNumberOfActivePeers: 101, TargetNumberOfEstablishedPeers: 120 }, NETWORKS.preview).join()).toMatch(/active ≤ 100/);
    expect(checkNodeSettings({ TargetNumberOfActivePeers: 20 }, NETWORKS.preview).join()).toMatch(/set all of/);
    expect(checkNodeSettings({ PeerSharing: "false" }, NETWORKS.preview).join()).toMatch(/PeerSharing must be true or false/);
    expect(checkNodeSettings({ PeerSharingg: false }, NETWORKS.preview).join()).toMatch(/not a setting the kit writes/);
  });
});

describe("topologies the node would refuse or misread", () => {
  const relay = { role: "relay" as const, network: NETWORKS.preview };
  const good = () => ({
    localRoots: [{ accessPoints: [{ address: "10.30.0.10", port: 3001 }], advertise: false, trustable: true, hotValency: 1, warmValency: 1 }],
    publicRoots: [],
    useLedgerAfterSlot: NETWORKS.preview.useLedgerAfterSlot,
    peerSnapshotFile: "peer-snapshot.json",
  });
  const cases: ReadonlyArray<readonly [string, (t: ReturnType<typeof good>) => unknown, RegExp]> = [
    ["a string port (the node reads an SRV name)", (t) => ((t.localRoots[0]!.accessPoints[0] as { port: unknown }).port = "3001", t), /port must be a whole number/],
    ["a port the node wraps modulo 65536", (t) => ((t.localRoots[0]!.accessPoints[0]!.port = 70000), t), /port must be a whole number from 1 to 65535/],
    ["0.0.0.0 (isValidDestinationIPAddr)", (t) => ((t.localRoots[0]!.accessPoints[0]!.address = "0.0.0.0"), t), /0\.0\.0\.0 is not a valid destination address/],
    ["hotValency 0 (the node drops the group)", (t) => ((t.localRoots[0]!.hotValency = 0), t), /0 < hotValency/],
    ["hot above warm (silently clamped)", (t) => ((t.localRoots[0]!.hotValency = 2), t), /0 < hotValency ≤ warmValency/],
    ["the deprecated valency (it wins over hotValency)", (t) => (Object.assign(t.localRoots[0]!, { valency: 1 }), t), /deprecated valency/],
    ["a peer in two groups (counted in the first only)", (t) => (t.localRoots.push({ ...t.localRoots[0]! }), t), /repeats localRoots\[0\]/],
    ["bootstrap peers on a GenesisMode network (dropped)", (t) => ({ ...t, bootstrapPeers: [{ address: "preview-node.play.dev.cardano.org", port: 3001 }] }), /dropped by the node in GenesisMode/],
    ["an empty bootstrapPeers without trustable peers (fatal at start)", (t) => ((t.localRoots[0]!.trustable = false), { ...t, bootstrapPeers: [] }), /no trustable group has a peer: the node stops at start/],
    ["a misspelt key (ignored by the node)", (t) => ({ ...t, localroots: [] }), /localroots is not a topology key/],
    ["another network's ledger slot", (t) => ({ ...t, useLedgerAfterSlot: 1 }), /uses ledger peers after slot 110678393/],
  ];
  for (const [name, mutate, expected] of cases) {
    it(`catches ${name}`, () => {
      expect(checkTopology(good(), relay)).toEqual([]);
      expect(checkTopology(mutate(good()), relay).join("; ")).toMatch(expected);
    });
  }

  it("keeps a core's local roots trustable: untrusted, a GenesisMode core never leaves PreSyncing", () => {
    const core = { ...good(), useLedgerAfterSlot: -1 } as Record<string, unknown>;
    delete core.peerSnapshotFile;
    expect(checkTopology(core, { role: "core", network: NETWORKS.preview })).toEqual([]);
    const untrusted = { ...core, localRoots: [{ ...good().localRoots[0]!, trustable: false }] };
    expect(checkTopology(untrusted, { role: "core", network: NETWORKS.preview }).join()).toMatch(/never leaves PreSyncing/);
    expect(checkTopology({ ...core, useLedgerAfterSlot: 0 }, { role: "core", network: NETWORKS.preview }).join()).toMatch(/must not use ledger peers/);
  });
});
